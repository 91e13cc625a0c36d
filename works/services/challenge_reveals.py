"""A challenge's reveal dates, applied every minute (issue 20, part 4).

The owner sets `works_reveal_at` and `creators_reveal_at` (works/models/challenges.py). Once
the first has passed, the collection stops being unrevealed ("Mystery Work" becomes the work,
still by "Anonymous"); once the second has, it stops being anonymous. Both go through the
collection's own reveal (works.services.collections.collection_reveal), so the gift
recipients are told, the caches retired and every guarantee of an anonymous collection kept
until then. Each reveal is written once to the audit (`ChallengeAction`, no actor): a date is
applied once, so an owner who makes the collection unrevealed again afterwards is not
overruled by the next minute.

`challenge_reveals_task` runs on the every-minute tick (settings.TASKS_EVERY_MINUTE).
"""

from django.db import transaction
from django.utils import timezone

from archive.queue import job
from works.models import Challenge, ChallengeAction
from works.services.collections import collection_reveal

WORKS_REVEALED = "works_revealed"
CREATORS_REVEALED = "creators_revealed"


def _due(field: str, action: str, now):
    done = ChallengeAction.objects.filter(action=action).values("challenge_id")
    return (
        Challenge.objects.filter(**{f"{field}__lte": now})
        .exclude(pk__in=done)
        .select_related("collection")
        .order_by("pk")
    )


@transaction.atomic
def _reveal(challenge: Challenge, action: str) -> None:
    works, creators = action == WORKS_REVEALED, action == CREATORS_REVEALED
    collection = challenge.collection
    if (works and collection.is_unrevealed) or (creators and collection.is_anonymous):
        collection_reveal(collection=collection, works=works, authors=creators)
    ChallengeAction.objects.create(challenge=challenge, actor=None, action=action)


def challenges_reveal(now=None) -> int:
    """Apply every reveal date that has passed and was not applied yet; how many were."""
    now = now or timezone.now()
    applied = 0
    for field, action in (
        ("works_reveal_at", WORKS_REVEALED),
        ("creators_reveal_at", CREATORS_REVEALED),
    ):
        for challenge in _due(field, action, now):
            _reveal(challenge, action)
            applied += 1
    return applied


@job()
def challenge_reveals_task() -> None:
    challenges_reveal()
