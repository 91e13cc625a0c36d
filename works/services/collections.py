"""Writes on collections: the collection itself, its works (with both sides' consent), reveals
and prompts.

Consent is the rule: a work is only ever put in a collection by one of its creators
(`collection_add_work`), or invited by the collection's staff (`collection_invite_work`), in
which case it stays invisible there until one of its creators accepts (`item_author_accept`).
A moderated collection holds works its creators add until its staff approve them.
"""

from collections.abc import Iterable, Mapping

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from archive.errors import Refused
from tags.models import TagType
from tags.services import tag_rename, tag_resolve
from works.cache import pages as page_cache
from works.models import Collection, CollectionItem, CollectionPrompt, Work
from works.services import notifications, prompt_notices

APPROVED = CollectionItem.Approval.APPROVED
PENDING = CollectionItem.Approval.PENDING
REJECTED = CollectionItem.Approval.REJECTED

COLLECTION_FIELDS = (
    "name",
    "title",
    "description",
    "rules",
    "parent",
    "is_moderated",
    "is_closed",
    "is_anonymous",
    "is_unrevealed",
)


def is_collection_staff(collection: Collection, user) -> bool:
    """The owner and the moderators run a collection."""
    if not user.is_authenticated:
        return False
    if collection.owner_id == user.pk:
        return True
    return collection.moderators.filter(pk=user.pk).exists()


def _set_fields(collection: Collection, fields: Mapping) -> None:
    for name, value in fields.items():
        if name not in COLLECTION_FIELDS:
            raise ValueError(f"Collection field {name!r} cannot be set here")
        setattr(collection, name, value)


@transaction.atomic
def collection_create(*, owner, fields: Mapping, moderators: Iterable = ()) -> Collection:
    collection = Collection(owner=owner)
    _set_fields(collection, fields)
    collection.save()
    collection.moderators.set([m for m in moderators if m.pk != owner.pk])
    return collection


@transaction.atomic
def collection_update(
    *, collection: Collection, fields: Mapping, moderators: Iterable | None = None
) -> Collection:
    if "parent" in fields and fields["parent"] is not None:
        ancestor = fields["parent"]
        while ancestor is not None:
            if ancestor.pk == collection.pk:
                raise Refused(
                    _("A collection cannot be inside itself."), field="parent", code="cycle"
                )
            ancestor = ancestor.parent
    _set_fields(collection, fields)
    collection.save()
    if moderators is not None:
        collection.moderators.set([m for m in moderators if m.pk != collection.owner_id])
    return collection


@transaction.atomic
def collection_reveal(*, collection: Collection, works: bool = False, authors: bool = False):
    """Reveal the collection's mystery works, or the creators of its anonymous works."""
    if works:
        collection.is_unrevealed = False
    if authors:
        collection.is_anonymous = False
    collection.save()
    if works:
        # Recipients of its gifts hear of them now that the works may be seen (gift_notify
        # waits while a work is a mystery).
        for work in Work.objects.filter(collection_items__collection=collection):
            notifications.notify_gifts(work=work)
            prompt_notices.notify_work_fills(work=work)  # prompters hear of fills now
    return collection


# Works in collections ------------------------------------------------------------------------


@transaction.atomic
def collection_add_work(*, collection: Collection, work: Work, user) -> CollectionItem:
    """A creator of `work` puts it in `collection` (or accepts the collection's invitation).

    Refused for someone else's work and for closed collections. In a moderated collection the
    work waits for the staff's approval, unless the creator is staff there.
    """
    if not work.creators.filter(pk=user.pk).exists():
        raise PermissionDenied(_("Only a work's creators can add it to a collection."))
    item = CollectionItem.objects.select_for_update().filter(collection=collection, work=work)
    item = item.first()
    if item is not None:
        if item.collection_approval == REJECTED:
            raise Refused(
                _("“%(title)s” declined this work.") % {"title": collection.title},
                field="collection",
                code="declined",
            )
        if item.author_approval != APPROVED:
            item.author_approval = APPROVED
            item.save(update_fields=["author_approval"])
        return item
    if collection.is_closed:
        raise Refused(
            _("“%(title)s” is closed to new works.") % {"title": collection.title},
            field="collection",
            code="closed",
        )
    needs_approval = collection.is_moderated and not is_collection_staff(collection, user)
    return CollectionItem.objects.create(
        collection=collection,
        work=work,
        author_approval=APPROVED,
        collection_approval=PENDING if needs_approval else APPROVED,
    )


@transaction.atomic
def collection_invite_work(*, collection: Collection, work: Work, moderator) -> CollectionItem:
    """The collection's staff invite a work: it shows in the collection only once one of its
    creators accepts. A moderator's own work goes in at once."""
    if not is_collection_staff(collection, moderator):
        raise PermissionDenied(_("Only the collection's owner and moderators can invite works."))
    if not work.posted:
        raise Refused(_("Only posted works can be invited."), field="work", code="draft")
    if CollectionItem.objects.filter(collection=collection, work=work).exists():
        raise Refused(
            _("This work is already in the collection or invited."), field="work", code="present"
        )
    is_own = work.creators.filter(pk=moderator.pk).exists()
    return CollectionItem.objects.create(
        collection=collection,
        work=work,
        collection_approval=APPROVED,
        author_approval=APPROVED if is_own else PENDING,
    )


def _check_staff(item: CollectionItem, user) -> None:
    if not is_collection_staff(item.collection, user):
        raise PermissionDenied


def _check_creator(item: CollectionItem, user) -> None:
    if not item.work.creators.filter(pk=user.pk).exists():
        raise PermissionDenied


@transaction.atomic
def item_approve(*, item: CollectionItem, moderator) -> CollectionItem:
    _check_staff(item, moderator)
    item.collection_approval = APPROVED
    item.save(update_fields=["collection_approval"])
    return item


@transaction.atomic
def item_reject(*, item: CollectionItem, moderator) -> CollectionItem:
    """The collection turns the work down: it leaves the collection's pages."""
    _check_staff(item, moderator)
    item.collection_approval = REJECTED
    item.save(update_fields=["collection_approval"])
    return item


@transaction.atomic
def item_remove(*, item: CollectionItem, user) -> None:
    """Staff or the work's creators take the work out of the collection."""
    if not is_collection_staff(item.collection, user):
        _check_creator(item, user)
    item.delete()
    page_cache.work_changed(item.work_id)


@transaction.atomic
def item_author_accept(*, item: CollectionItem, user) -> CollectionItem:
    _check_creator(item, user)
    item.author_approval = APPROVED
    item.save(update_fields=["author_approval"])
    return item


@transaction.atomic
def item_author_decline(*, item: CollectionItem, user) -> None:
    """A creator turns an invitation down: nothing of it stays."""
    _check_creator(item, user)
    item.delete()
    page_cache.work_changed(item.work_id)


# Prompts -------------------------------------------------------------------------------------


def prompt_tag_name(collection: Collection, position: int, title: str) -> str:
    """ "Whumptober 2025 Day 02: Taking Accountability"."""
    return f"{collection.title} Day {position:02d}: {title.strip()}"


@transaction.atomic
def prompt_add(
    *, collection: Collection, position: int, title: str, description: str = ""
) -> CollectionPrompt:
    tag = tag_resolve(prompt_tag_name(collection, position, title), TagType.PROMPT)
    if CollectionPrompt.objects.filter(collection=collection, tag=tag).exists():
        raise Refused(
            _("This collection already has that prompt."), field="title", code="duplicate"
        )
    return CollectionPrompt.objects.create(
        collection=collection,
        tag=tag,
        position=position,
        title=title.strip(),
        description=description,
    )


@transaction.atomic
def prompt_update(
    *, prompt: CollectionPrompt, position: int, title: str, description: str = ""
) -> CollectionPrompt:
    """Change a prompt; its tag is renamed with it, so works answering it keep answering it."""
    name = prompt_tag_name(prompt.collection, position, title)
    if name != prompt.tag.name:
        try:
            tag_rename(tag=prompt.tag, name=name)
        except Refused as refused:
            raise Refused(refused.message, field="title", code=refused.code) from refused
    prompt.position, prompt.title, prompt.description = position, title.strip(), description
    prompt.save()
    return prompt


@transaction.atomic
def prompt_delete(*, prompt: CollectionPrompt) -> None:
    """Take a prompt off the collection's list. Works keep their prompt tag."""
    prompt.delete()
