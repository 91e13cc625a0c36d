"""Plain factory functions for tests (kwargs.setdefault, no factory_boy)."""

import itertools

from django.contrib.auth import get_user_model

from tags.models import Tag, TagType
from works.models import Challenge, Collection, CollectionItem, Prompt, Signup, Work
from works.services import posting as services

_counter = itertools.count(1)
PASSWORD = "correct-horse-battery-staple"


def make_user(**kwargs):
    n = next(_counter)
    kwargs.setdefault("username", f"user{n}")
    kwargs.setdefault("email", f"{kwargs['username']}@example.org")
    password = kwargs.pop("password", PASSWORD)
    return get_user_model().objects.create_user(password=password, **kwargs)


def make_tag(name=None, type=TagType.FREEFORM, **kwargs):
    name = name or f"Tag {next(_counter)}"
    return Tag.objects.create(name=name, type=type, **kwargs)


def make_work(*, creator=None, tags=None, chapters=1, post=True, pseud=None, bodies=None, **fields):
    """A work by `creator` (under `pseud`, default their default pseud) with `chapters`
    chapters, all posted or (`post=False`) all drafts. `tags` maps TagType to names; `bodies`,
    when given, are the chapters' texts (one chapter each) instead of numbered sentences."""
    creator = creator or make_user()
    n = next(_counter)
    if bodies is not None:
        chapters = len(bodies)
    else:
        bodies = [f"The first chapter of work {n}, told plainly."] + [
            f"Chapter {position} of work {n}." for position in range(2, chapters + 1)
        ]
    fields.setdefault("title", f"Work {n}")
    fields.setdefault("expected_chapters", chapters)
    tag_names = {
        TagType.RATING: ["General Audiences"],
        TagType.WARNING: ["No Archive Warnings Apply"],
        TagType.FANDOM: [f"Fandom {n}"],
    }
    tag_names.update(tags or {})
    work = services.work_create(
        creator=creator,
        fields=fields,
        tag_names=tag_names,
        chapter={"body": bodies[0]},
        post=post,
        pseud=pseud,
    )
    for body in bodies[1:]:
        make_chapter(work, post=post, body=body)
    return work


# The states a work can be in that keep it, or its creator, from some readers (docs/design.md
# section 6), with "public" first, the state that keeps nothing, to compare them with.
SECRET_WORK_STATES = ("public", "draft", "hidden", "restricted", "anonymous", "unrevealed")


def may_read_secret_work(state, viewer) -> bool:
    """Whether `viewer` ("guest", "other" member, "author", "moderator") may open a work in
    `state` at all: an unrevealed one opens as a "Mystery Work", without its title or text."""
    if viewer == "author":
        return True
    return {
        "public": True,
        "draft": False,
        "hidden": viewer == "moderator",
        "restricted": viewer != "guest",
        "anonymous": True,
        "unrevealed": True,
    }[state]


def make_secret_work(state, author, **kwargs):
    """A work by `author` in one of SECRET_WORK_STATES: "draft" is never posted (nor are its
    chapters), "hidden" is hidden by a moderator, "restricted" is for logged-in readers,
    "anonymous" and "unrevealed" are approved into an anonymous or unrevealed collection of
    their own. Everything else (title, summary, tags, bodies, ...) goes to make_work. Returns
    the work as read back from the database."""
    if state not in SECRET_WORK_STATES:
        raise ValueError(f"no such secret work state: {state!r}")
    work = make_work(
        creator=author, post=state != "draft", restricted=state == "restricted", **kwargs
    )
    if state == "hidden":
        services.work_update(work=work, fields={"hidden_by_moderator": True})
    if state in {"anonymous", "unrevealed"}:
        n = next(_counter)
        collection = Collection.objects.create(
            name=f"{state}_{n}",
            title=f"Gathering {n}",
            owner=make_user(),
            is_anonymous=state == "anonymous",
            is_unrevealed=state == "unrevealed",
        )
        CollectionItem.objects.create(
            collection=collection,
            work=work,
            collection_approval=CollectionItem.Approval.APPROVED,
            author_approval=CollectionItem.Approval.APPROVED,
        )
    return Work.objects.get(pk=work.pk)


def make_chapter(work, post=True, **fields):
    fields.setdefault("body", "Another chapter of text.")
    return services.chapter_add(work=work, fields=fields, post=post)


# Issue 20, part 1 (signups) -------------------------------------------------------------------


def make_challenge(*, collection=None, owner=None, rules=None, **fields):
    """A challenge (default: a gift exchange open now, one request and one offer of one
    fandom each) on `collection` (default: a new one owned by `owner`)."""
    from works.models import Challenge, Collection, PromptRules

    if collection is None:
        owner = owner or make_user()
        n = next(_counter)
        collection = Collection.objects.create(
            name=f"challenge_{n}", title=f"Challenge {n}", owner=owner
        )
    fields.setdefault("kind", Challenge.Kind.GIFT_EXCHANGE)
    challenge = Challenge.objects.create(collection=collection, **fields)
    for side in (PromptRules.Side.REQUEST, PromptRules.Side.OFFER):
        PromptRules.objects.create(challenge=challenge, side=side, **(rules or {}).get(side, {}))
    return challenge


def make_signup(challenge, user=None, *, requests=(("Fandom A",),), offers=(("Fandom A",),)):
    """A sign-up written straight to the database (no validation): each request and offer
    is a tuple of fandom names."""
    from works.models import Prompt, PromptRules, Signup

    user = user or make_user()
    signup = Signup.objects.create(
        challenge=challenge, user=user, pseud=user.pseuds.get(is_default=True)
    )
    sides = [(PromptRules.Side.REQUEST, requests)]
    if challenge.is_gift_exchange:
        sides.append((PromptRules.Side.OFFER, offers))
    for side, prompts in sides:
        for position, fandoms in enumerate(prompts, start=1):
            prompt = Prompt.objects.create(
                signup=signup, challenge=challenge, side=side, position=position
            )
            prompt.tags.set(
                Tag.objects.get_or_create(name=name, type=TagType.FANDOM)[0] for name in fandoms
            )
    return signup


# Issue 20, part 5 (promptmeme) ---------------------------------------------------------------


def make_prompt_meme(*, owner=None, **collection_fields):
    """A collection run as a prompt meme; returns its Challenge."""
    n = next(_counter)
    collection_fields.setdefault("name", f"meme_{n}")
    collection_fields.setdefault("title", f"Prompt Meme {n}")
    collection = Collection.objects.create(owner=owner or make_user(), **collection_fields)
    return Challenge.objects.create(collection=collection, kind=Challenge.Kind.PROMPT_MEME)


def make_prompt(challenge, *, user=None, tags=(), **fields):
    """A prompt (a request of `user`'s sign-up, made if needed) tagged with `tags`."""
    user = user or make_user()
    signup, _created = Signup.objects.get_or_create(
        challenge=challenge, user=user, defaults={"pseud": user.pseuds.get(is_default=True)}
    )
    fields.setdefault("side", Prompt.Side.REQUEST)
    fields.setdefault("position", signup.prompts.count() + 1)
    prompt = Prompt.objects.create(signup=signup, challenge=challenge, **fields)
    prompt.tags.set(tags)
    return prompt
