"""Collection pages' reads: the works a collection lists for a reader (through
Work.objects.listable_by), its profile page, counts of mystery works, fandoms and prompts,
and the staff's and authors' item lists."""

from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from tags.models import Tag, TagType
from works.listing.querying import default_ordering
from works.models import Collection, CollectionItem, Work
from works.services.collections import is_collection_staff

APPROVED = CollectionItem.Approval.APPROVED
PENDING = CollectionItem.Approval.PENDING


def collection_or_404(name):
    return get_object_or_404(
        Collection.objects.select_related("owner", "parent").prefetch_related("moderators"),
        name=name,
    )


def staff_collection_or_404(user, name):
    """The collection, for its owner and moderators only (404 for anyone else)."""
    collection = collection_or_404(name)
    if not is_collection_staff(collection, user):
        raise Http404
    return collection


def collection_works_queryset(collection):
    """Works approved by both sides, before the reader's visibility is applied."""
    return Work.objects.filter(
        collection_items__collection=collection,
        collection_items__collection_approval=APPROVED,
        collection_items__author_approval=APPROVED,
    )


def _collection_listed(collection, user):
    """What a reader finds in the collection: mystery works included (shown as such)."""
    return collection_works_queryset(collection).listable_by(user, include_mystery=True)


def collection_listed(collection, user):
    """What a reader finds in the collection: mystery works included (shown as such)."""
    return collection_works_queryset(collection).listable_by(user, include_mystery=True)


def collection_detail_context(collection, user) -> dict:
    """The collection's profile page: its latest works (mystery works shown as such), counts,
    prompts, moderators and sub-collections."""
    works = collection_listed(collection, user)
    is_staff = is_collection_staff(collection, user)
    context = {
        "collection": collection,
        "recent_works": works.order_by(*default_ordering()).for_listing()[:5],
        "work_count": works.count(),
        "prompts": list(collection.prompts.select_related("tag")),
        "moderators": list(collection.moderators.all()),
        "children": list(collection.children.order_by("title")),
        "is_staff": is_staff,
        "pending_count": (
            collection.items.filter(collection_approval=PENDING, author_approval=APPROVED).count()
            if is_staff
            else 0
        ),
    }
    return context


def mystery_count(works, user) -> int:
    """How many of `works` the reader sees only as "Mystery Work". The filterable listings
    leave them out (a filter or a tag count would give their tags away) and say how many."""
    return works.listable_by(user, include_mystery=True).count() - works.listable_by(user).count()


def fandom_counts(collection, user):
    """The fandoms of the collection's works `user` can see, with counts (mystery works left
    out: their fandoms are part of the secret)."""
    works = collection_works_queryset(collection).listable_by(user)
    return (
        Tag.objects.filter(type=TagType.FANDOM, tagged_works__content_object__in=works)
        .annotate(works_in_collection=Count("tagged_works", distinct=True))
        .order_by("name")
    )


def prompt_counts(collection, user):
    # Mystery works are not counted: which prompt they answer is part of the secret.
    works = collection_works_queryset(collection).listable_by(user)
    prompts = list(collection.prompts.select_related("tag"))
    counts = dict(
        works.filter(tags__in=[p.tag_id for p in prompts])
        .values_list("tags")
        .annotate(n=Count("pk", distinct=True))
        .order_by()
    )
    for prompt in prompts:
        prompt.work_count = counts.get(prompt.tag_id, 0)
    return prompts


def items_by_state(items) -> dict:
    """Collection items sorted into the lists both sides see: invited (the author has not
    answered), pending (the collection has not), approved, rejected."""
    items = list(items)
    return {
        "invited": [i for i in items if i.author_approval == PENDING],
        "pending": [
            i for i in items if i.author_approval == APPROVED and i.collection_approval == PENDING
        ],
        "approved": [i for i in items if i.is_approved],
        "rejected": [i for i in items if i.collection_approval == CollectionItem.Approval.REJECTED],
    }


def items_context(collection, invite_form):
    """The staff's page of a collection's items, with the buttons of each list."""
    items = collection.items.select_related("work").order_by("-created_at", "-id")
    return {
        "collection": collection,
        "invite_form": invite_form,
        **items_by_state(items),
        "approve_reject": [("approve_button", _("Approve")), ("reject_button", _("Reject"))],
        "remove_only": [("remove_button", _("Remove"))],
        "approve_remove": [("approve_button", _("Approve")), ("remove_button", _("Remove"))],
    }
