"""Forms of challenge sign-ups (issue 20, part 1): the owner's challenge settings and the
participant's sign-up. They validate only (the sign-up form through
works.services.signups.prompt_problems, so the form and the service agree); views call the
services.

Times are typed as the owner's wall-clock time in the challenge's time zone (a select of
zoneinfo's zones) and kept in UTC.
"""

import zoneinfo

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from archive.params import IdChoiceField, NumberField
from tags.models import Tag, TagType
from works.forms.fields import AuthorTextField, PostingForm, TagNamesField
from works.models import NOTES_MAX_LENGTH, TITLE_MAX_LENGTH, Challenge, PromptRules, TagSet
from works.models.challenges import PROMPT_TAG_TYPES, PROMPT_URL_MAX_LENGTH
from works.services.challenge_settings import CHALLENGE_FIELDS, RULE_FIELDS
from works.services.signups import (
    OFFER,
    REQUEST,
    PromptEntry,
    count_problems,
    prompt_problems,
    rules_for,
    type_label,
)

# The most requests or offers one sign-up may have (the form shows one block each).
MAX_PROMPTS = 20
MAX_TAGS = 50
TIME_FIELDS = (
    "signups_open_at",
    "signups_close_at",
    "assignments_due_at",
    "works_reveal_at",
    "creators_reveal_at",
)
DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


def time_zone_choices():
    return [(name, name) for name in sorted(zoneinfo.available_timezones())]


def default_time_zone(user) -> str:
    """The owner's time-zone preference when the account has one, else UTC."""
    preferred = getattr(user, "time_zone", "") or ""
    return preferred if preferred in zoneinfo.available_timezones() else "UTC"


def _count(label, most=MAX_PROMPTS):
    return NumberField(
        label=label,
        min_value=0,
        max_value=most,
        error_messages={"invalid": _("Enter a whole number.")},
        widget=forms.NumberInput(attrs={"size": 3}),
    )


def _time(label):
    return forms.DateTimeField(
        label=label,
        required=False,
        input_formats=[DATETIME_FORMAT, "%Y-%m-%d %H:%M", "%Y-%m-%d"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT),
    )


class ChallengeForm(PostingForm):
    """Make a collection a challenge, or change its settings."""

    kind = forms.ChoiceField(
        label=_("Challenge type"), choices=Challenge.Kind.choices, widget=forms.RadioSelect
    )
    time_zone = forms.ChoiceField(
        label=_("Time zone"),
        help_text=_("The times below are in this time zone."),
        choices=time_zone_choices,
    )
    signups_open_at = _time(_("Sign-ups open"))
    signups_close_at = _time(_("Sign-ups close"))
    assignments_due_at = _time(_("Assignments due"))
    works_reveal_at = _time(_("Works revealed"))
    creators_reveal_at = _time(_("Creators revealed"))
    signup_instructions = AuthorTextField(
        label=_("Sign-up instructions"),
        limit=NOTES_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    request_instructions = AuthorTextField(
        label=_("Request instructions"),
        limit=NOTES_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    offer_instructions = AuthorTextField(
        label=_("Offer instructions"),
        limit=NOTES_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    requests_min = _count(_("Requests required"))
    requests_max = _count(_("Requests allowed"))
    offers_min = _count(_("Offers required"))
    offers_max = _count(_("Offers allowed"))
    tag_set = IdChoiceField(
        label=_("Tag set"), queryset=TagSet.objects.order_by("title"), required=False
    )
    match_prompts = _count(_("Prompts that must match"))
    match_fandoms = _count(_("Fandoms in common"), MAX_TAGS)
    match_characters = _count(_("Characters in common"), MAX_TAGS)
    match_relationships = _count(_("Relationships in common"), MAX_TAGS)
    match_ratings = _count(_("Ratings in common"), MAX_TAGS)
    match_freeforms = _count(_("Additional tags in common"), MAX_TAGS)
    requests_summary_visible = forms.BooleanField(
        label=_("Requests summary visible to everyone"), required=False
    )

    def __init__(self, *args, challenge=None, owner=None, **kwargs):
        self.challenge = challenge
        super().__init__(*args, **kwargs)
        for side in (REQUEST, OFFER):
            for tag_type in PROMPT_TAG_TYPES:
                label = type_label(tag_type)
                self.fields[f"{side}_{tag_type}_min"] = _count(label, MAX_TAGS)
                self.fields[f"{side}_{tag_type}_max"] = _count(label, MAX_TAGS)
            self.fields[f"{side}_tags_from_set"] = forms.BooleanField(
                label=_("Tags must come from the tag set"), required=False
            )
            for part, label in (
                ("title", _("Title")),
                ("url", _("URL")),
                ("description", _("Description")),
            ):
                self.fields[f"{side}_{part}_allowed"] = forms.BooleanField(
                    label=_("%(part)s allowed") % {"part": label}, required=False
                )
                self.fields[f"{side}_{part}_required"] = forms.BooleanField(
                    label=_("%(part)s required") % {"part": label}, required=False
                )
        if not self.is_bound:
            self.initial.update(self._initial(challenge, owner))

    def _initial(self, challenge, owner) -> dict:
        if challenge is None:
            challenge = Challenge(kind="", time_zone=default_time_zone(owner))
        initial = {name: getattr(challenge, name) for name in CHALLENGE_FIELDS}
        zone = zoneinfo.ZoneInfo(challenge.time_zone)
        for name in TIME_FIELDS:
            if initial[name]:
                initial[name] = initial[name].astimezone(zone).replace(tzinfo=None)
        for side in (REQUEST, OFFER):
            rules = rules_for(challenge, side) if challenge.pk else PromptRules(side=side)
            for name in RULE_FIELDS:
                initial[f"{side}_{name}"] = getattr(rules, name)
        return initial

    def side_rows(self, side):
        """(label, min field, max field) of each tag type, then the other fields of a side."""
        rows = [
            (type_label(t), self[f"{side}_{t}_min"], self[f"{side}_{t}_max"])
            for t in PROMPT_TAG_TYPES
        ]
        others = [self[f"{side}_tags_from_set"]] + [
            self[f"{side}_{part}_{kind}"]
            for part in ("title", "url", "description")
            for kind in ("allowed", "required")
        ]
        return rows, others

    def request_rules(self):
        return self.side_rows(REQUEST)

    def offer_rules(self):
        return self.side_rows(OFFER)

    def clean(self):
        data = super().clean()
        zone = zoneinfo.ZoneInfo(data.get("time_zone") or "UTC")
        for name in TIME_FIELDS:
            value = data.get(name)
            if value is not None:
                wall = timezone.make_naive(value) if timezone.is_aware(value) else value
                data[name] = wall.replace(tzinfo=zone)
        pairs = [("requests_min", "requests_max"), ("offers_min", "offers_max")] + [
            (f"{side}_{t}_min", f"{side}_{t}_max")
            for side in (REQUEST, OFFER)
            for t in PROMPT_TAG_TYPES
        ]
        for least, most in pairs:
            if (data.get(least) or 0) > (data.get(most) or 0) and least not in self.errors:
                self.add_error(least, _("Cannot be more than the number allowed."))
        if data.get("requests_max") == 0:
            self.add_error("requests_max", _("A sign-up needs at least one request."))
        opens, closes = data.get("signups_open_at"), data.get("signups_close_at")
        if opens and closes and closes <= opens:
            self.add_error("signups_close_at", _("Sign-ups must close after they open."))
        works, creators = data.get("works_reveal_at"), data.get("creators_reveal_at")
        if works and creators and creators < works:
            self.add_error(
                "creators_reveal_at", _("Creators cannot be revealed before their works.")
            )
        return data

    def challenge_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in CHALLENGE_FIELDS}

    def rule_values(self) -> dict:
        return {
            side: {name: self.cleaned_data[f"{side}_{name}"] for name in RULE_FIELDS}
            for side in (REQUEST, OFFER)
        }


class SignupForm(PostingForm):
    """A participant's sign-up: a pseud, then a block per request (and per offer, in a gift
    exchange) with the parts the challenge's rules allow. Blank blocks are left out."""

    pseud = IdChoiceField(label=_("Sign up as"), queryset=None, empty_label=None)
    pinch_hitter = forms.BooleanField(label=_("I am willing to write pinch hits"), required=False)

    def __init__(self, *args, challenge, user, signup=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.challenge = challenge
        self.signup = signup
        self.fields["pseud"].queryset = user.pseuds.order_by("-is_default", "name")
        if not challenge.is_gift_exchange:
            del self.fields["pinch_hitter"]
        self.ratings = list(
            Tag.objects.filter(type=TagType.RATING, canonical=True)
            .order_by("id")
            .values_list("name", flat=True)
        )
        self.slots = {REQUEST: max(challenge.requests_max, 1), OFFER: 0}
        if challenge.is_gift_exchange:
            self.slots[OFFER] = challenge.offers_max
        for side, count in self.slots.items():
            rules = rules_for(challenge, side)
            for index in range(count):
                self._add_block(side, index, rules)
        if signup is not None and not self.is_bound:
            self._fill(signup)

    def _add_block(self, side, index, rules):
        prefix = f"{side}_{index}_"
        if rules.title_allowed or rules.title_required:
            self.fields[prefix + "title"] = AuthorTextField(
                label=_("Title"), limit=TITLE_MAX_LENGTH
            )
        for tag_type in PROMPT_TAG_TYPES:
            if rules.tag_limits(tag_type)[1] == 0:
                continue
            if tag_type == "rating":
                self.fields[prefix + tag_type] = forms.MultipleChoiceField(
                    label=type_label(tag_type),
                    choices=[(name, name) for name in self.ratings],
                    widget=forms.CheckboxSelectMultiple,
                    required=False,
                )
            else:
                self.fields[prefix + tag_type] = TagNamesField(
                    label=type_label(tag_type), tag_type=tag_type
                )
        if rules.url_allowed or rules.url_required:
            self.fields[prefix + "url"] = forms.CharField(
                label=_("URL"), max_length=PROMPT_URL_MAX_LENGTH, required=False
            )
        if rules.description_allowed or rules.description_required:
            self.fields[prefix + "description"] = AuthorTextField(
                label=_("Description"),
                limit=NOTES_MAX_LENGTH,
                widget=forms.Textarea(attrs={"rows": 4}),
            )
        if side == REQUEST and self.challenge.is_prompt_meme:
            self.fields[prefix + "anonymous"] = forms.BooleanField(
                label=_("Post this prompt anonymously"), required=False
            )

    def _fill(self, signup):
        self.initial["pseud"] = signup.pseud_id
        self.initial["pinch_hitter"] = signup.pinch_hitter
        by_side = {REQUEST: [], OFFER: []}
        for prompt in signup.prompts.prefetch_related("tags").order_by("position", "id"):
            by_side.setdefault(prompt.side, []).append(prompt)
        for side, prompts in by_side.items():
            for index, prompt in enumerate(prompts[: self.slots.get(side, 0)]):
                prefix = f"{side}_{index}_"
                self.initial[prefix + "title"] = prompt.title
                self.initial[prefix + "url"] = prompt.url
                self.initial[prefix + "description"] = prompt.description
                self.initial[prefix + "anonymous"] = prompt.anonymous
                for tag_type in PROMPT_TAG_TYPES:
                    names = [t.name for t in prompt.tags.all() if t.type == tag_type]
                    self.initial[prefix + tag_type] = names

    def blocks(self, side):
        """[(number, [bound fields])] of one side, for the template."""
        return [
            (
                index + 1,
                [self[name] for name in self.fields if name.startswith(f"{side}_{index}_")],
            )
            for index in range(self.slots[side])
        ]

    def request_blocks(self):
        return self.blocks(REQUEST)

    def offer_blocks(self):
        return self.blocks(OFFER)

    def _entry(self, side, index) -> PromptEntry:
        data = self.cleaned_data
        prefix = f"{side}_{index}_"
        return PromptEntry(
            title=data.get(prefix + "title") or "",
            url=data.get(prefix + "url") or "",
            description=data.get(prefix + "description") or "",
            anonymous=bool(data.get(prefix + "anonymous")),
            tag_names={t: list(data.get(prefix + t) or []) for t in PROMPT_TAG_TYPES},
        )

    def entries(self, side) -> list[PromptEntry]:
        return [self._entry(side, index) for index in range(self.slots[side])]

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        for side in (REQUEST, OFFER):
            if not self.slots[side]:
                continue
            entries = self.entries(side)
            for message in count_problems(self.challenge, side, entries):
                self.add_error(None, message)
            rules = rules_for(self.challenge, side)
            for index, entry in enumerate(entries):
                if entry.is_blank():
                    continue
                problems = prompt_problems(
                    challenge=self.challenge, side=side, entry=entry, rules=rules
                )
                for part, message in problems:
                    name = f"{side}_{index}_{part}"
                    self.add_error(name if name in self.fields else None, message)
        return data

    def signup_values(self) -> dict:
        values = {
            "pseud": self.cleaned_data["pseud"],
            "requests": self.entries(REQUEST),
            "offers": self.entries(OFFER),
        }
        if "pinch_hitter" in self.fields:
            values["pinch_hitter"] = self.cleaned_data["pinch_hitter"]
        return values
