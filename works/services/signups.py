"""Challenge sign-ups (issue 20, part 1): making a collection a challenge, and signing up.

(Making a collection a challenge, and its settings: works.services.challenge_settings.)
- `prompt_problems` checks one request or offer against the challenge's rules: the number of
  tags of each type, that its tags come from the tag set when the rules say so, and its
  title, URL and description. Forms call it to show every problem at once; the services
  call it again before writing, and refuse with the first one. Other parts (prompt memes)
  call it for their prompts; `prompt_tag_problems` is the tag check alone.
- `signup_create`, `signup_update`, `signup_delete`: a participant's own, while sign-ups are
  open; the challenge's staff at any time, each time recorded in the audit
  (`ChallengeAction`) and told to the participant by email (works.services.signup_mail).

Tags are typed as names. A name that is no tag yet becomes one (unwrangled, as on the
posting form) unless the tags must come from the tag set, where it cannot be in the set.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from archive.errors import Refused
from tags.models import TYPE_SUFFIX, Tag, TagType
from tags.services import tag_resolve
from works.models import Challenge, Prompt, PromptRules, Signup
from works.models.challenges import PROMPT_TAG_TYPES
from works.models.visibility import is_challenge_staff
from works.services import signup_mail
from works.services.challenge_settings import challenge_action_record

REQUEST, OFFER = PromptRules.Side.REQUEST, PromptRules.Side.OFFER


def type_label(tag_type: str) -> str:
    return {
        "fandom": _("Fandom"),
        "character": _("Character"),
        "relationship": _("Relationship"),
        "rating": _("Rating"),
        "freeform": _("Additional Tags"),
    }[tag_type]


# Tag sets ------------------------------------------------------------------------------------


def tags_outside(tag_set, tags: Iterable[Tag]) -> list[Tag]:
    """The tags not in `tag_set` (a synonym of a tag in the set is in it).

    A small local check until the parts are merged: then this function gives way to an
    import of works.services.tag_sets.tags_outside (part 2, same signature);
    `prompt_tag_problems` is its only caller."""
    tags = list(tags)
    if not tags:
        return []
    in_set = set(
        tag_set.tags.filter(
            pk__in={t.pk for t in tags} | {t.merger_id for t in tags if t.merger_id}
        ).values_list("pk", flat=True)
    )
    return [t for t in tags if t.pk not in in_set and t.merger_id not in in_set]


# Checking a prompt ---------------------------------------------------------------------------


@dataclass
class PromptEntry:
    """A request or an offer as typed: tag names by type (PROMPT_TAG_TYPES)."""

    title: str = ""
    url: str = ""
    description: str = ""
    anonymous: bool = False
    tag_names: dict = field(default_factory=dict)

    def is_blank(self) -> bool:
        return not (
            self.title.strip()
            or self.url.strip()
            or self.description.strip()
            or any(self.tag_names.values())
        )


def _existing_tag(name: str, tag_type: str) -> Tag | None:
    """The tag of this type `name` means (also as "Name (Type)"), without creating it."""
    for candidate in (name, f"{name} ({TYPE_SUFFIX[TagType(tag_type)]})"):
        tag = Tag.objects.named(candidate).first()
        if tag is not None and tag.type == tag_type:
            return tag
    return None


def tags_found(tag_names: Mapping) -> tuple[dict, dict]:
    """({type: [existing Tag]}, {type: [names that are no tag of that type yet]})."""
    found, missing = {}, {}
    for tag_type in PROMPT_TAG_TYPES:
        for name in tag_names.get(tag_type, []):
            tag = _existing_tag(name, tag_type)
            if tag is None:
                missing.setdefault(tag_type, []).append(name)
            else:
                found.setdefault(tag_type, []).append(tag)
    return found, missing


def _set_applies(rules: PromptRules, tag_set) -> bool:
    return tag_set is not None and rules.tags_from_set


def prompt_tag_problems(
    *, rules: PromptRules, tag_set, tags: Mapping, missing: Mapping | None = None
) -> list[tuple[str, str]]:
    """(tag type, message) for each way the tags ({type: [Tag]}; `missing`: {type: [names
    not yet tags]}) break the rules: too few or too many of a type, not from the tag set."""
    missing = missing or {}
    problems = []
    for tag_type in PROMPT_TAG_TYPES:
        least, most = rules.tag_limits(tag_type)
        count = len(tags.get(tag_type, [])) + len(missing.get(tag_type, []))
        label = type_label(tag_type)
        if count < least:
            problems.append(
                (
                    tag_type,
                    ngettext(
                        "%(type)s: at least %(count)d tag is required.",
                        "%(type)s: at least %(count)d tags are required.",
                        least,
                    )
                    % {"type": label, "count": least},
                )
            )
        elif count > most:
            problems.append(
                (
                    tag_type,
                    ngettext(
                        "%(type)s: at most %(count)d tag is allowed.",
                        "%(type)s: at most %(count)d tags are allowed.",
                        most,
                    )
                    % {"type": label, "count": most}
                    if most
                    else _("%(type)s: no tags are allowed.") % {"type": label},
                )
            )
        if tag_type == "rating" and missing.get(tag_type):
            problems.append(
                (
                    tag_type,
                    _("%(names)s is not a rating.") % {"names": ", ".join(missing[tag_type])},
                )
            )
        elif _set_applies(rules, tag_set):
            outside = [t.name for t in tags_outside(tag_set, tags.get(tag_type, []))]
            outside += missing.get(tag_type, [])
            if outside:
                problems.append(
                    (
                        tag_type,
                        _("Not in the tag set “%(set)s”: %(names)s")
                        % {"set": tag_set.title, "names": ", ".join(outside)},
                    )
                )
    return problems


def _text_problems(rules: PromptRules, entry: PromptEntry) -> list[tuple[str, str]]:
    problems = []
    for part, label in (
        ("title", _("Title")),
        ("url", _("URL")),
        ("description", _("Description")),
    ):
        value = getattr(entry, part).strip()
        if (
            value
            and not getattr(rules, f"{part}_allowed")
            and not getattr(rules, f"{part}_required")
        ):
            problems.append((part, _("%(part)s is not used in this challenge.") % {"part": label}))
        elif not value and getattr(rules, f"{part}_required"):
            problems.append((part, _("%(part)s is required.") % {"part": label}))
    if entry.url.strip():
        try:
            URLValidator(schemes=["http", "https"])(entry.url.strip())
        except ValidationError:
            problems.append(("url", _("Enter a web address starting with http:// or https://.")))
    return problems


def prompt_problems(
    *, challenge: Challenge, side: str, entry: PromptEntry, rules: PromptRules | None = None
) -> list[tuple[str, str]]:
    """(part, message) for each way one request or offer breaks the challenge's rules (part:
    "title", "url", "description" or a tag type). Reads only; creates no tag."""
    rules = rules or rules_for(challenge, side)
    tags, missing = tags_found(entry.tag_names)
    return _text_problems(rules, entry) + prompt_tag_problems(
        rules=rules, tag_set=challenge.tag_set, tags=tags, missing=missing
    )


def count_problems(challenge: Challenge, side: str, entries: list) -> list[str]:
    """How many requests (or offers) a sign-up has, against the challenge's min and max."""
    filled = len([e for e in entries if not e.is_blank()])
    least, most = (
        (challenge.requests_min, challenge.requests_max)
        if side == REQUEST
        else (challenge.offers_min, challenge.offers_max)
    )
    if challenge.is_prompt_meme and side == OFFER:
        least = most = 0
    if filled < least:
        return [
            (
                ngettext(
                    "At least %(count)d request is required.",
                    "At least %(count)d requests are required.",
                    least,
                )
                if side == REQUEST
                else ngettext(
                    "At least %(count)d offer is required.",
                    "At least %(count)d offers are required.",
                    least,
                )
            )
            % {"count": least}
        ]
    if filled > most:
        return [_("Too many: at most %(count)d.") % {"count": most}]
    return []


def rules_for(challenge: Challenge, side: str) -> PromptRules:
    """The rules of one side (defaults when the owner has not set them)."""
    cached = getattr(challenge, "_rules_cache", None)
    if cached is None:
        cached = {r.side: r for r in challenge.rules.all()}
        challenge._rules_cache = cached
    return cached.get(side) or PromptRules(challenge=challenge, side=side)


# Sign-ups -------------------------------------------------------------------------------------


def _check(challenge: Challenge, requests: list, offers: list) -> None:
    """Refuse with the first problem a form would have shown."""
    for side, entries in ((REQUEST, requests), (OFFER, offers)):
        for message in count_problems(challenge, side, entries):
            raise Refused(message, field=side, code="count")
        for entry in entries:
            if entry.is_blank():
                continue
            for part, message in prompt_problems(challenge=challenge, side=side, entry=entry):
                raise Refused(message, field=part, code="prompt")


def _may_change(signup_or_challenge, actor, *, user_id) -> bool:
    challenge = getattr(signup_or_challenge, "challenge", signup_or_challenge)
    if is_challenge_staff(challenge, actor):
        return True
    return actor.pk == user_id and challenge.signups_open()


def _resolve_tags(rules: PromptRules, entry: PromptEntry) -> list[Tag]:
    tags = []
    for tag_type in PROMPT_TAG_TYPES:
        for name in entry.tag_names.get(tag_type, []):
            tag = _existing_tag(name, tag_type)
            tags.append(tag or tag_resolve(name, tag_type))
    return tags


def _save_prompts(signup: Signup, side: str, entries: list) -> None:
    challenge = signup.challenge
    rules = rules_for(challenge, side)
    entries = [e for e in entries if not e.is_blank()]
    existing = list(signup.prompts.filter(side=side).order_by("position", "id"))
    for position, entry in enumerate(entries, start=1):
        # Kept in place by position: claims of a prompt meme's prompt stay with it.
        prompt = existing[position - 1] if position <= len(existing) else None
        prompt = prompt or Prompt(signup=signup, challenge=challenge, side=side)
        prompt.position = position
        prompt.title = entry.title.strip()
        prompt.url = entry.url.strip()
        prompt.description = entry.description.strip()
        prompt.anonymous = bool(entry.anonymous) and challenge.is_prompt_meme
        prompt.save()
        prompt.tags.set(_resolve_tags(rules, entry))
    for prompt in existing[len(entries) :]:
        prompt.delete()


def _check_pseud(user, pseud) -> None:
    if pseud.user_id != user.pk:
        raise Refused(_("Choose one of your own pseuds."), field="pseud", code="pseud")


@transaction.atomic
def signup_create(
    *,
    challenge: Challenge,
    user,
    pseud,
    requests: list,
    offers: list = (),
    pinch_hitter: bool = False,
) -> Signup:
    """`user` signs up (once), while sign-ups are open; confirmed by email."""
    if not challenge.signups_open():
        raise Refused(_("Sign-ups are closed."), code="closed")
    _check_pseud(user, pseud)
    offers = list(offers) if challenge.is_gift_exchange else []
    _check(challenge, list(requests), offers)
    try:
        with transaction.atomic():
            signup = Signup.objects.create(
                challenge=challenge,
                user=user,
                pseud=pseud,
                pinch_hitter=pinch_hitter and challenge.is_gift_exchange,
            )
    except IntegrityError as error:
        raise Refused(
            _("You have already signed up for this challenge."), code="duplicate"
        ) from error
    _save_prompts(signup, REQUEST, list(requests))
    _save_prompts(signup, OFFER, offers)
    signup_mail.notify(signup=signup, event=signup_mail.CONFIRMED)
    return signup


@transaction.atomic
def signup_update(
    *,
    signup: Signup,
    actor,
    pseud,
    requests: list,
    offers: list = (),
    pinch_hitter: bool = False,
) -> Signup:
    """The participant changes their sign-up while sign-ups are open; the challenge's staff
    at any time (audited, and the participant told)."""
    challenge = signup.challenge
    if not _may_change(signup, actor, user_id=signup.user_id):
        raise Refused(_("Sign-ups are closed."), code="closed")
    _check_pseud(signup.user, pseud)
    offers = list(offers) if challenge.is_gift_exchange else []
    _check(challenge, list(requests), offers)
    signup.pseud = pseud
    signup.pinch_hitter = pinch_hitter and challenge.is_gift_exchange
    signup.save()
    _save_prompts(signup, REQUEST, list(requests))
    _save_prompts(signup, OFFER, offers)
    if actor.pk != signup.user_id:
        challenge_action_record(challenge, actor, "signup_edited", _participant(signup))
        signup_mail.notify(signup=signup, event=signup_mail.CHANGED)
    return signup


def _participant(signup: Signup) -> str:
    return f"{signup.pseud.byline} (#{signup.pk})"


@transaction.atomic
def signup_delete(*, signup: Signup, actor) -> None:
    """The participant withdraws while sign-ups are open; the staff remove a sign-up at any
    time (audited, and the participant told)."""
    challenge = signup.challenge
    if not _may_change(signup, actor, user_id=signup.user_id):
        raise Refused(_("Sign-ups are closed."), code="closed")
    by_staff = actor.pk != signup.user_id
    if by_staff:
        challenge_action_record(challenge, actor, "signup_deleted", _participant(signup))
        signup_mail.notify(signup=signup, event=signup_mail.REMOVED)
    signup.delete()
