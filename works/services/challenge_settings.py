"""Making a collection a challenge and changing its settings (issue 20, part 1), and the
audit of what the challenge's staff do (`ChallengeAction`).

`challenge_save` takes the owner's settings: kind, the sign-up window and reveal dates (in
UTC; the form turned the owner's wall-clock times into them), counts, the rules of each side
(`PromptRules`), the tag set and the match rules.
"""

from collections.abc import Mapping

from django.db import transaction
from django.utils.translation import gettext as _

from archive.errors import Refused
from works.models import Challenge, ChallengeAction, PromptRules
from works.models.challenges import PROMPT_TAG_TYPES

CHALLENGE_FIELDS = (
    "kind",
    "time_zone",
    "signups_open_at",
    "signups_close_at",
    "assignments_due_at",
    "works_reveal_at",
    "creators_reveal_at",
    "signup_instructions",
    "request_instructions",
    "offer_instructions",
    "requests_min",
    "requests_max",
    "offers_min",
    "offers_max",
    "tag_set",
    "match_prompts",
    "match_fandoms",
    "match_characters",
    "match_relationships",
    "match_ratings",
    "match_freeforms",
    "requests_summary_visible",
)
RULE_FIELDS = tuple(f"{t}_{end}" for t in PROMPT_TAG_TYPES for end in ("min", "max")) + (
    "tags_from_set",
    "title_required",
    "title_allowed",
    "url_required",
    "url_allowed",
    "description_required",
    "description_allowed",
)


def challenge_action_record(challenge, actor, action: str, detail: str = "") -> None:
    """The audit: `actor` did `action` (never a sign-up's text in `detail`)."""
    ChallengeAction.objects.create(
        challenge=challenge, actor=actor, action=action, detail=detail[:300]
    )


@transaction.atomic
def challenge_save(*, collection, actor, fields: Mapping, rules: Mapping) -> Challenge:
    """Make `collection` a challenge, or change its settings. `rules`: {side: {field: value}}
    (RULE_FIELDS). The kind cannot change once someone has signed up."""
    challenge = Challenge.objects.select_for_update().filter(collection=collection).first()
    created = challenge is None
    if created:
        challenge = Challenge(collection=collection)
    elif fields.get("kind", challenge.kind) != challenge.kind and challenge.signups.exists():
        raise Refused(
            _("The challenge type cannot change once people have signed up."),
            field="kind",
            code="kind_locked",
        )
    for name, value in fields.items():
        if name not in CHALLENGE_FIELDS:
            raise ValueError(f"Challenge field {name!r} cannot be set here")
        setattr(challenge, name, value)
    challenge.save()
    for side, values in rules.items():
        row = PromptRules.objects.filter(challenge=challenge, side=side).first()
        row = row or PromptRules(challenge=challenge, side=side)
        for name, value in values.items():
            if name not in RULE_FIELDS:
                raise ValueError(f"Rule field {name!r} cannot be set here")
            setattr(row, name, value)
        row.save()
    action = "challenge_created" if created else "settings_changed"
    challenge_action_record(challenge, actor, action)
    return challenge
