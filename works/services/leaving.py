"""Deleting an account (/users/<login>/delete): one transaction that leaves nothing private.

The user chooses what becomes of their works:

- orphan: each posted work only they create goes to orphan_account (works.services.orphans),
  under their name if they ask; their drafts are deleted, since nobody could post them;
- delete: each work only they create is deleted, with its chapters, comments, kudos and
  bookmarks.

Either way a co-created work stays with its other creators (the leaving user is only taken
off it), as does a shared series; a series only they create is orphaned or deleted with
their works. Collections they own pass to orphan_account, so the works in them stay.

Their comments stay, bylined "Account Deleted" as on AO3 (`Comment.is_by_deleted_account`;
the foreign key to the user is cleared). Everything else the account holds goes with the
user row: reading history, subscriptions, inbox, blocks and mutes, bookmarks, kudos,
excluded tags, preferences, email, sanctions and exports (and the export files). Counters of
other people's works that the kudos, public bookmarks and subscriptions added to are lowered
to match. One `archive.AccountDeletion` row records, for moderators, that the account was
deleted, when, and how many works went which way, with none of its private data.
"""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from archive.errors import Refused
from archive.models import AccountDeletion
from works.cache import pages as page_cache
from works.listing.search import works_search_refresh
from works.models import Collection, Comment, Series, Work, WorkCreator, WorkStats
from works.services import exports, orphans
from works.services.tag_counts import tags_recount, work_tag_ids


def _lower_counters(model, field: str, **filters) -> None:
    """Lower `field` of WorkStats by one for each work the user's rows of `model` count in."""
    work_ids = list(model.objects.filter(**filters).values_list("work_id", flat=True))
    if work_ids:
        WorkStats.objects.filter(work_id__in=work_ids, **{f"{field}__gt": 0}).update(
            **{field: F(field) - 1}
        )
        page_cache.work_changed(*work_ids)


def _split_works(user) -> tuple[list[int], list[int]]:
    """(works only `user` creates, works they create with others)."""
    own_ids = set(WorkCreator.objects.filter(user=user).values_list("work_id", flat=True))
    shared = set(
        WorkCreator.objects.filter(work_id__in=own_ids)
        .exclude(user=user)
        .values_list("work_id", flat=True)
    )
    return sorted(own_ids - shared), sorted(shared)


def _delete_works(work_ids) -> None:
    if not work_ids:
        return
    tag_ids = work_tag_ids(work_ids)
    Work.objects.filter(pk__in=work_ids).delete()
    tags_recount(tag_ids)
    page_cache.work_changed(*work_ids)


def _leave_series(user, *, orphan: bool) -> None:
    orphan_user = None
    for series in Series.objects.filter(creators=user).prefetch_related("creators"):
        others = [c for c in series.creators.all() if c.pk != user.pk]
        if others:
            series.creators.remove(user)
        elif orphan:
            orphan_user = orphan_user or orphans.orphan_account()
            series.creators.remove(user)
            series.creators.add(orphan_user)
        else:
            series.delete()


@transaction.atomic
def account_delete(*, user, orphan_works: bool, keep_name: bool = False) -> AccountDeletion:
    """Delete `user`'s account as described above; the moderators' log row."""
    if orphans.is_orphan_account(user):
        raise Refused(_("This account cannot be deleted."), code="orphan")
    user = get_user_model().objects.select_for_update().get(pk=user.pk)
    sole, shared = _split_works(user)
    orphaned = deleted = 0
    if orphan_works:
        posted = list(Work.objects.filter(pk__in=sole).posted())
        orphaned = orphans.works_orphan(user=user, works=posted, keep_name=keep_name)
        drafts = [pk for pk in sole if pk not in {work.pk for work in posted}]
        _delete_works(drafts)
        deleted = len(drafts)
    else:
        _delete_works(sole)
        deleted = len(sole)
    if shared:
        WorkCreator.objects.filter(user=user, work_id__in=shared).delete()
        works_search_refresh(shared)
        page_cache.work_changed(*shared)
    _leave_series(user, orphan=orphan_works)
    if Collection.objects.filter(owner=user).exists():
        Collection.objects.filter(owner=user).update(owner=orphans.orphan_account())

    comments = Comment.objects.filter(user=user)
    commented_work_ids = set(comments.values_list("work_id", flat=True))
    comments_kept = comments.update(is_by_deleted_account=True)
    page_cache.work_changed(*commented_work_ids)
    _lower_counters(user.kudos.model, "kudos", user=user)
    _lower_counters(user.bookmarks.model, "bookmarks", user=user, is_private=False)
    _lower_counters(user.subscriptions.model, "subscriptions", user=user, kind="work")
    exports.exports_discard(user=user)

    record = AccountDeletion.objects.create(
        login=user.username,
        former_user_id=user.pk,
        works_orphaned=orphaned,
        works_deleted=deleted,
        works_left_to_co_creators=len(shared),
        comments_kept=comments_kept,
    )
    user.delete()
    page_cache.site_changed()
    return record
