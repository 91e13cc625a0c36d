"""The secrets of works in anonymous and unrevealed collections, in one place.

A work keeps a secret while it sits in a collection (the author agreed; the collection has not
rejected it) that is anonymous (its creators show as "Anonymous") or unrevealed (the whole work
shows as "Mystery Work"). The secret is kept from every reader but the work's creators and the
collection's owner and moderators, until the collection is revealed.

Every page that shows a work asks here: `work_secrets()` for one work (work page, blurb,
chapter index, download, feeds), and the queryset filters for lists:

- `exclude_unrevealed(works, user)`: lists of works in general (/works, tags, search, feeds);
- `exclude_anonymous(works, user)`: lists that name the creator (user and pseud pages, series),
  which must leave out anonymous works as well as unrevealed ones.
"""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q

from works.models import CollectionItem, WorkCreator

APPROVED = CollectionItem.Approval.APPROVED
REJECTED = CollectionItem.Approval.REJECTED


def _binding_items():
    """Collection items that make a collection's secrets the work's: agreed by the author and
    not rejected by the collection (pending items keep the secret already)."""
    return CollectionItem.objects.filter(author_approval=APPROVED).exclude(
        collection_approval=REJECTED
    )


def _authenticated(user) -> bool:
    return user is not None and user.is_authenticated


def _secret_items(flag: str, user):
    items = _binding_items().filter(work=OuterRef("pk"), **{f"collection__{flag}": True})
    if _authenticated(user):
        items = items.exclude(collection__owner=user).exclude(collection__moderators=user)
    return Exists(items)


def _own(user):
    return Exists(WorkCreator.objects.filter(work=OuterRef("pk"), user=user))


def secret_work_ids() -> set[int]:
    """Ids of every work an anonymous or unrevealed collection keeps a secret of (for pages
    that meet works one by one, e.g. comments in an inbox: one query for the whole page)."""
    items = _binding_items().filter(
        Q(collection__is_anonymous=True) | Q(collection__is_unrevealed=True)
    )
    return set(items.values_list("work_id", flat=True))


def exclude_unrevealed(works, user):
    """`works` without the unrevealed works `user` may not see."""
    hidden = _secret_items("is_unrevealed", user)
    if _authenticated(user):
        return works.filter(~hidden | _own(user))
    return works.filter(~hidden)


def exclude_anonymous(works, user):
    """`works` without the anonymous or unrevealed works whose creators `user` may not know
    (for pages that name the creator: user pages, pseud pages, series pages)."""
    hidden = _secret_items("is_unrevealed", user) | _secret_items("is_anonymous", user)
    if _authenticated(user):
        return works.filter(~hidden | _own(user))
    return works.filter(~hidden)


@dataclass(frozen=True)
class Secrets:
    anonymous: bool = False
    mystery: bool = False
    collections: tuple = ()  # the collections keeping the secrets (for "Mystery Work in ...")


NO_SECRETS = Secrets()


def _is_collection_staff(collection, user) -> bool:
    """Owner or moderator; asked once per collection and request (memoised on the user), so a
    page of blurbs from one collection costs one query at most."""
    if collection.owner_id == user.pk:
        return True
    known = user.__dict__.setdefault("_collection_staff", {})
    if collection.pk not in known:
        known[collection.pk] = collection.moderators.filter(pk=user.pk).exists()
    return known[collection.pk]


def work_secrets(work, user=None) -> Secrets:
    """What `user` may not know of `work`. Reads `work.collection_items` (prefetch them with
    their collection: a work with no secret costs no query) and `work.creators`."""
    keeping = [
        item.collection
        for item in work.collection_items.all()
        if item.author_approval == APPROVED
        and item.collection_approval != REJECTED
        and (item.collection.is_anonymous or item.collection.is_unrevealed)
    ]
    if not keeping:
        return NO_SECRETS
    if _authenticated(user):
        if work.is_creator(user):
            return NO_SECRETS
        keeping = [c for c in keeping if not _is_collection_staff(c, user)]
    return Secrets(
        anonymous=any(c.is_anonymous for c in keeping),
        mystery=any(c.is_unrevealed for c in keeping),
        collections=tuple(keeping),
    )


def is_anonymous(work, user=None) -> bool:
    """Whether `user` (default: a guest) sees the work's creators as "Anonymous"."""
    return work_secrets(work, user).anonymous


def is_unrevealed(work, user=None) -> bool:
    """Whether `user` (default: a guest) sees the work as a "Mystery Work"."""
    return work_secrets(work, user).mystery
