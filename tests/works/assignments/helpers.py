"""Factories of issue 20, part 4 (assignments): a gift exchange whose matching was done.

Assignment rows are made directly here (the matching part makes them in production)."""

import datetime

from django.utils import timezone

from tags.models import Tag, TagType
from tests.factories import make_tag, make_user
from works.models import Assignment, Challenge, Collection, Prompt, Signup


def make_exchange(*, owner=None, name="winterswap", moderators=(), **fields):
    owner = owner or make_user(username=f"{name}owner")
    collection = Collection.objects.create(
        name=name,
        title=fields.pop("title", "Winter Swap"),
        owner=owner,
        is_anonymous=fields.pop("is_anonymous", True),
        is_unrevealed=fields.pop("is_unrevealed", True),
    )
    collection.moderators.set(moderators)
    fields.setdefault("assignments_due_at", timezone.now() + datetime.timedelta(days=30))
    fields.setdefault("time_zone", "Europe/Madrid")
    return Challenge.objects.create(
        collection=collection, kind=Challenge.Kind.GIFT_EXCHANGE, **fields
    )


def make_signup(challenge, user=None, *, requests=(), pinch_hitter=False):
    """A sign-up; `requests` are (title, {TagType: [names]}, description) triples."""
    user = user or make_user()
    signup = Signup.objects.create(
        challenge=challenge,
        user=user,
        pseud=user.pseuds.get(is_default=True),
        pinch_hitter=pinch_hitter,
    )
    for position, (title, tags, description) in enumerate(requests, start=1):
        prompt = Prompt.objects.create(
            signup=signup,
            challenge=challenge,
            side=Prompt.Side.REQUEST,
            position=position,
            title=title,
            description=description,
        )
        for tag_type, names in tags.items():
            for tag_name in names:
                prompt.tags.add(_tag(tag_name, tag_type))
    return signup


def _tag(name, tag_type):
    return Tag.objects.filter(name=name).first() or make_tag(name, type=tag_type)


def make_assignment(challenge, giver, recipient, *, sent=True, **fields):
    """`giver` and `recipient` are sign-ups."""
    if sent:
        fields.setdefault("sent_at", timezone.now())
    return Assignment.objects.create(
        challenge=challenge, giver=giver, recipient=recipient, **fields
    )


REQUEST = (
    "Lighthouse keepers in winter",
    {TagType.FANDOM: ["Tidewater Chronicles"], TagType.CHARACTER: ["Ysolde Marren"]},
    "Something *cosy*, please.",
)
