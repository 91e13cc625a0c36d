"""Challenges (issue 20): a collection run as a gift exchange or a prompt meme.

- `Challenge`: one per challenge collection: its kind, sign-up window and reveal dates (kept in
  UTC, entered and shown in the owner's `time_zone`), how many requests and offers a sign-up
  has, the tag set its tags must come from, and what counts as a match.
- `PromptRules`: what each request (or each offer) of a sign-up must carry: how many tags of
  each type, and whether a title, URL and description are required or allowed.
- `Signup`: a participant's sign-up (one per account and challenge), under one of their pseuds;
  private to its owner and the challenge's moderators.
- `Prompt`: a request or an offer of a sign-up. In a prompt meme the requests are the prompts
  anyone may claim; an anonymous prompt hides its poster.
- `PotentialMatch`: a giver's offers against a recipient's requests, scored by their overlap,
  made when moderators generate matches; `MatchRun` records each generation.
- `Assignment`: who gives a gift to whom (a gift exchange), with its sending, default, pinch hit
  and fulfilment; `Claim`: who claimed which prompt of a prompt meme, and the work that fills it.
- `ChallengeAction`: the audit of moderators' actions.

Who may see a sign-up, an assignment or an anonymous prompt's poster is decided in
works/models/visibility.py, as for everything else.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tags.models import Tag
from works.models.collections import Collection
from works.models.works import NOTES_MAX_LENGTH, TITLE_MAX_LENGTH, RenderedTextMixin, Work

PROMPT_URL_MAX_LENGTH = 500
# Tag types a prompt can carry, in the order forms show them.
PROMPT_TAG_TYPES = ("fandom", "character", "relationship", "rating", "freeform")


class Challenge(RenderedTextMixin, models.Model):
    rendered_fields = {
        "signup_instructions": "markdown",
        "request_instructions": "markdown",
        "offer_instructions": "markdown",
    }

    class Kind(models.TextChoices):
        GIFT_EXCHANGE = "gift_exchange", _("Gift Exchange")
        PROMPT_MEME = "prompt_meme", _("Prompt Meme")

    collection = models.OneToOneField(
        Collection, on_delete=models.CASCADE, related_name="challenge", verbose_name=_("Collection")
    )
    kind = models.CharField(_("Challenge type"), max_length=16, choices=Kind.choices)
    time_zone = models.CharField(_("Time zone"), max_length=64, default="UTC")
    signups_open_at = models.DateTimeField(_("Sign-ups open"), null=True, blank=True)
    signups_close_at = models.DateTimeField(_("Sign-ups close"), null=True, blank=True)
    assignments_due_at = models.DateTimeField(_("Assignments due"), null=True, blank=True)
    works_reveal_at = models.DateTimeField(_("Works revealed"), null=True, blank=True)
    creators_reveal_at = models.DateTimeField(_("Creators revealed"), null=True, blank=True)
    signup_instructions = models.TextField(
        _("Sign-up instructions"), blank=True, max_length=NOTES_MAX_LENGTH
    )
    signup_instructions_html = models.TextField(
        blank=True, editable=False, verbose_name=_("Sign-up instructions")
    )
    request_instructions = models.TextField(
        _("Request instructions"), blank=True, max_length=NOTES_MAX_LENGTH
    )
    request_instructions_html = models.TextField(
        blank=True, editable=False, verbose_name=_("Request instructions")
    )
    offer_instructions = models.TextField(
        _("Offer instructions"), blank=True, max_length=NOTES_MAX_LENGTH
    )
    offer_instructions_html = models.TextField(
        blank=True, editable=False, verbose_name=_("Offer instructions")
    )
    render_version = models.PositiveSmallIntegerField(
        default=0, editable=False, verbose_name=_("Renderer version")
    )
    requests_min = models.PositiveSmallIntegerField(_("Requests required"), default=1)
    requests_max = models.PositiveSmallIntegerField(_("Requests allowed"), default=1)
    offers_min = models.PositiveSmallIntegerField(_("Offers required"), default=1)
    offers_max = models.PositiveSmallIntegerField(_("Offers allowed"), default=1)
    tag_set = models.ForeignKey(
        "works.TagSet",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="challenges",
        verbose_name=_("Tag set"),
    )
    # What counts as a match: how many tags of each type a request and an offer must share
    # (0: that type does not matter), and how many of a recipient's requests one of the
    # giver's offers must match.
    match_prompts = models.PositiveSmallIntegerField(_("Prompts that must match"), default=1)
    match_fandoms = models.PositiveSmallIntegerField(_("Fandoms in common"), default=1)
    match_characters = models.PositiveSmallIntegerField(_("Characters in common"), default=0)
    match_relationships = models.PositiveSmallIntegerField(_("Relationships in common"), default=0)
    match_ratings = models.PositiveSmallIntegerField(_("Ratings in common"), default=0)
    match_freeforms = models.PositiveSmallIntegerField(_("Additional tags in common"), default=0)
    assignments_sent_at = models.DateTimeField(_("Assignments sent"), null=True, blank=True)
    # AO3's "Requests Summary": everyone may read the requests (never who made them).
    requests_summary_visible = models.BooleanField(
        _("Requests summary visible to everyone"), default=False
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("Created"))

    class Meta:
        verbose_name = _("challenge")
        verbose_name_plural = _("challenges")

    def __str__(self):
        return f"{self.get_kind_display()}: {self.collection}"

    def save(self, *args, **kwargs):
        self.render_text()
        super().save(*args, **kwargs)

    @property
    def is_gift_exchange(self) -> bool:
        return self.kind == self.Kind.GIFT_EXCHANGE

    @property
    def is_prompt_meme(self) -> bool:
        return self.kind == self.Kind.PROMPT_MEME

    def signups_open(self, now=None) -> bool:
        """Whether sign-ups are open now: after the opening time (none: open) and before the
        closing time (none: never closes)."""
        now = now or timezone.now()
        if self.signups_open_at and now < self.signups_open_at:
            return False
        return not (self.signups_close_at and now >= self.signups_close_at)


class PromptRules(models.Model):
    """What each request or each offer of a challenge's sign-ups must carry."""

    class Side(models.TextChoices):
        REQUEST = "request", _("Request")
        OFFER = "offer", _("Offer")

    challenge = models.ForeignKey(
        Challenge, on_delete=models.CASCADE, related_name="rules", verbose_name=_("Challenge")
    )
    side = models.CharField(_("Side"), max_length=8, choices=Side.choices)
    fandom_min = models.PositiveSmallIntegerField(_("Fandoms required"), default=1)
    fandom_max = models.PositiveSmallIntegerField(_("Fandoms allowed"), default=1)
    character_min = models.PositiveSmallIntegerField(_("Characters required"), default=0)
    character_max = models.PositiveSmallIntegerField(_("Characters allowed"), default=4)
    relationship_min = models.PositiveSmallIntegerField(_("Relationships required"), default=0)
    relationship_max = models.PositiveSmallIntegerField(_("Relationships allowed"), default=2)
    rating_min = models.PositiveSmallIntegerField(_("Ratings required"), default=0)
    rating_max = models.PositiveSmallIntegerField(_("Ratings allowed"), default=1)
    freeform_min = models.PositiveSmallIntegerField(_("Additional tags required"), default=0)
    freeform_max = models.PositiveSmallIntegerField(_("Additional tags allowed"), default=4)
    # Whether the tags must come from the challenge's tag set (when it has one).
    tags_from_set = models.BooleanField(_("Tags must come from the tag set"), default=True)
    title_required = models.BooleanField(_("Title required"), default=False)
    title_allowed = models.BooleanField(_("Title allowed"), default=True)
    url_required = models.BooleanField(_("URL required"), default=False)
    url_allowed = models.BooleanField(_("URL allowed"), default=False)
    description_required = models.BooleanField(_("Description required"), default=False)
    description_allowed = models.BooleanField(_("Description allowed"), default=True)

    class Meta:
        verbose_name = _("prompt rules")
        verbose_name_plural = _("prompt rules")
        constraints = [
            models.UniqueConstraint(fields=["challenge", "side"], name="uniq_prompt_rules_side")
        ]

    def __str__(self):
        return f"{self.get_side_display()} rules of {self.challenge_id}"

    def tag_limits(self, tag_type: str) -> tuple[int, int]:
        """(required, allowed) tags of one of PROMPT_TAG_TYPES."""
        return getattr(self, f"{tag_type}_min"), getattr(self, f"{tag_type}_max")


class Signup(models.Model):
    challenge = models.ForeignKey(
        Challenge, on_delete=models.CASCADE, related_name="signups", verbose_name=_("Challenge")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="challenge_signups",
        verbose_name=_("User"),
    )
    pseud = models.ForeignKey(
        "archive.Pseud",
        on_delete=models.CASCADE,
        related_name="challenge_signups",
        verbose_name=_("Pseud"),
    )
    # A participant who offered to write pinch hits (take over a defaulted assignment).
    pinch_hitter = models.BooleanField(_("Willing to pinch hit"), default=False)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("Created"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("Updated"))

    class Meta:
        verbose_name = _("sign-up")
        verbose_name_plural = _("sign-ups")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["challenge", "user"], name="uniq_signup_user")
        ]

    def __str__(self):
        return f"sign-up {self.pk} of user {self.user_id} to challenge {self.challenge_id}"


class Prompt(RenderedTextMixin, models.Model):
    """A request or an offer of a sign-up (in a prompt meme, its requests are the prompts)."""

    rendered_fields = {"description": "markdown"}
    Side = PromptRules.Side

    signup = models.ForeignKey(
        Signup, on_delete=models.CASCADE, related_name="prompts", verbose_name=_("Sign-up")
    )
    challenge = models.ForeignKey(
        Challenge, on_delete=models.CASCADE, related_name="prompts", verbose_name=_("Challenge")
    )
    side = models.CharField(_("Side"), max_length=8, choices=Side.choices)
    position = models.PositiveSmallIntegerField(_("Position"), default=1)
    title = models.CharField(_("Title"), max_length=TITLE_MAX_LENGTH, blank=True)
    url = models.URLField(_("Prompt URL"), max_length=PROMPT_URL_MAX_LENGTH, blank=True)
    description = models.TextField(_("Description"), blank=True, max_length=NOTES_MAX_LENGTH)
    description_html = models.TextField(blank=True, editable=False, verbose_name=_("Description"))
    render_version = models.PositiveSmallIntegerField(
        default=0, editable=False, verbose_name=_("Renderer version")
    )
    tags = models.ManyToManyField(
        Tag, blank=True, related_name="challenge_prompts", verbose_name=_("Tags")
    )
    anonymous = models.BooleanField(_("Anonymous"), default=False)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("Created"))

    class Meta:
        verbose_name = _("prompt")
        verbose_name_plural = _("prompts")
        ordering = ["signup_id", "side", "position", "id"]
        indexes = [models.Index(fields=["challenge", "side"], name="prompt_challenge_side_idx")]

    def __str__(self):
        return self.title or f"{self.get_side_display()} {self.position}"

    def save(self, *args, **kwargs):
        self.render_text()
        super().save(*args, **kwargs)


class MatchRun(models.Model):
    """One generation of potential matches (on the task queue)."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    challenge = models.ForeignKey(
        Challenge, on_delete=models.CASCADE, related_name="match_runs", verbose_name=_("Challenge")
    )
    status = models.CharField(
        _("Status"), max_length=8, choices=Status.choices, default=Status.QUEUED
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Requested by"),
    )
    participants = models.PositiveIntegerField(_("Participants"), default=0)
    matched = models.PositiveIntegerField(_("Matched"), default=0)
    good_matches = models.PositiveIntegerField(_("Good matches"), default=0)
    seconds = models.FloatField(_("Seconds"), null=True, blank=True)
    error = models.TextField(_("Error"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("Created"))
    finished_at = models.DateTimeField(_("Finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("match run")
        verbose_name_plural = _("match runs")
        ordering = ["-id"]

    def __str__(self):
        return f"match run {self.pk} of challenge {self.challenge_id}"


class PotentialMatch(models.Model):
    """A giver's sign-up that can write for a recipient's, with their overlap."""

    challenge = models.ForeignKey(
        Challenge,
        on_delete=models.CASCADE,
        related_name="potential_matches",
        verbose_name=_("Challenge"),
    )
    giver = models.ForeignKey(
        Signup, on_delete=models.CASCADE, related_name="potential_gifts", verbose_name=_("Giver")
    )
    recipient = models.ForeignKey(
        Signup,
        on_delete=models.CASCADE,
        related_name="potential_givers",
        verbose_name=_("Recipient"),
    )
    score = models.PositiveIntegerField(_("Score"), default=0)
    prompts_matched = models.PositiveSmallIntegerField(_("Prompts matched"), default=0)

    class Meta:
        verbose_name = _("potential match")
        verbose_name_plural = _("potential matches")
        ordering = ["-score", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["challenge", "giver", "recipient"], name="uniq_potential_match"
            )
        ]

    def __str__(self):
        return f"{self.giver_id} → {self.recipient_id} ({self.score})"


class Assignment(models.Model):
    """A gift exchange's assignment: `giver` writes for `recipient`. A defaulted assignment
    keeps its row (`defaulted_at`) and may be covered by a `pinch_hitter`; posting a work
    to the collection from the assignment fulfils it (`work`)."""

    challenge = models.ForeignKey(
        Challenge, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("Challenge")
    )
    giver = models.ForeignKey(
        Signup,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="gifts_to_write",
        verbose_name=_("Giver"),
    )
    recipient = models.ForeignKey(
        Signup,
        on_delete=models.CASCADE,
        related_name="gifts_to_receive",
        verbose_name=_("Recipient"),
    )
    pinch_hitter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="pinch_hits",
        verbose_name=_("Pinch hitter"),
    )
    score = models.PositiveIntegerField(_("Score"), default=0)
    sent_at = models.DateTimeField(_("Sent"), null=True, blank=True)
    defaulted_at = models.DateTimeField(_("Defaulted"), null=True, blank=True)
    covered_at = models.DateTimeField(_("Pinch hit given"), null=True, blank=True)
    work = models.ForeignKey(
        Work,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="challenge_assignments",
        verbose_name=_("Work"),
    )
    fulfilled_at = models.DateTimeField(_("Fulfilled"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("Created"))

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["challenge", "recipient"], name="uniq_assignment_recipient"
            )
        ]

    def __str__(self):
        return f"assignment {self.pk} of challenge {self.challenge_id}"


class Claim(models.Model):
    """A prompt meme's claim of a prompt; `work` fills it."""

    prompt = models.ForeignKey(
        Prompt, on_delete=models.CASCADE, related_name="claims", verbose_name=_("Prompt")
    )
    challenge = models.ForeignKey(
        Challenge, on_delete=models.CASCADE, related_name="claims", verbose_name=_("Challenge")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="prompt_claims",
        verbose_name=_("User"),
    )
    pseud = models.ForeignKey(
        "archive.Pseud",
        on_delete=models.CASCADE,
        related_name="prompt_claims",
        verbose_name=_("Pseud"),
    )
    work = models.ForeignKey(
        Work,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="prompt_claims",
        verbose_name=_("Work"),
    )
    fulfilled_at = models.DateTimeField(_("Fulfilled"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("Created"))

    class Meta:
        verbose_name = _("claim")
        verbose_name_plural = _("claims")
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["prompt", "user"], name="uniq_claim_user")]

    def __str__(self):
        return f"claim {self.pk} of prompt {self.prompt_id}"


class ChallengeAction(models.Model):
    """The audit of a challenge's moderators: who did what, when (never a sign-up's text)."""

    challenge = models.ForeignKey(
        Challenge, on_delete=models.CASCADE, related_name="actions", verbose_name=_("Challenge")
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Moderator"),
    )
    action = models.CharField(_("Action"), max_length=32)
    detail = models.CharField(_("Detail"), max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now, verbose_name=_("Created"))

    class Meta:
        verbose_name = _("challenge action")
        verbose_name_plural = _("challenge actions")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.action} on challenge {self.challenge_id}"
