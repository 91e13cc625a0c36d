"""Gift exchanges for the matching tests: a closed exchange and sign-ups whose requests and
offers are named tags ("Discworld", "Vimes"), as a moderator would read them."""

import datetime

from django.utils import timezone

from tags.models import Tag, TagType
from tests.factories import make_user
from works.models import Challenge, Collection, Prompt, Signup

TYPES = {"fandom": TagType.FANDOM, "character": TagType.CHARACTER}


def make_exchange(name="yulelog", owner=None, **fields):
    """A gift exchange whose sign-ups closed yesterday; rules: a fandom and a character."""
    owner = owner or make_user(username=f"{name}owner")
    collection = Collection.objects.create(name=name, title=f"{name.title()} Exchange", owner=owner)
    fields.setdefault("kind", Challenge.Kind.GIFT_EXCHANGE)
    fields.setdefault("signups_close_at", timezone.now() - datetime.timedelta(days=1))
    fields.setdefault("match_fandoms", 1)
    fields.setdefault("match_characters", 1)
    return Challenge.objects.create(collection=collection, **fields)


def _tag(name, tag_type):
    tag, _created = Tag.objects.get_or_create(name=name, defaults={"type": TYPES[tag_type]})
    return tag


def make_signup(challenge, username, *, requests=(), offers=()):
    """`requests` and `offers`: (fandom, character, ...) tuples."""
    user = make_user(username=username)
    signup = Signup.objects.create(challenge=challenge, user=user, pseud=user.pseuds.get())
    for side, prompts in (("request", requests), ("offer", offers)):
        for position, (fandom, *characters) in enumerate(prompts, start=1):
            prompt = Prompt.objects.create(
                signup=signup, challenge=challenge, side=side, position=position
            )
            prompt.tags.add(_tag(fandom, "fandom"), *[_tag(c, "character") for c in characters])
    return signup
