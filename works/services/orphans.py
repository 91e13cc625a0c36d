"""Orphaning, as AO3: a creator gives up a work, a whole series or all their works for good.

- The works move to `orphan_account` (`orphan_account()`: created on first use, with no
  usable password, so nobody can log in as it; archive.forms reserves its login). Only the
  leaving creator is replaced: on a co-created work the others stay, and where
  orphan_account already is a creator the leaving one is simply dropped.
- "Leave a copy of my pseud name" moves the creatorship to a pseud of orphan_account named
  as the creator's pseud on that work (made on first use, shared by every work orphaned under
  that name); the byline then reads "<name> (orphan_account)" as any pseud's does.
  Otherwise the work goes to orphan_account's default pseud: "orphan_account".
- Comments, kudos, bookmarks, hits and the other stats stay with the work; the creator's own
  subscriptions and bookmarks stay theirs. Drafts are never orphaned (nobody could post
  them): `works_orphan` leaves them out.
- The guest page and blurb caches and the e-book files follow: the works' versions move
  (works.cache.pages), the search documents are rewritten, and the download fingerprint
  holds the byline.
"""

from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count
from django.utils.translation import gettext as _

from archive.errors import Refused
from archive.forms import ORPHAN_LOGIN
from archive.models import Pseud
from works.cache import pages as page_cache
from works.listing.search import works_search_refresh
from works.models import Series, Work, WorkCreator


def orphan_account():
    """The account orphaned works belong to, made on first use. It has no usable password
    and wants no email."""
    users = get_user_model().objects
    account = users.filter(username=ORPHAN_LOGIN).first()
    if account is None:
        account = users.create(
            username=ORPHAN_LOGIN, email=f"{ORPHAN_LOGIN}@invalid", comment_emails=False
        )
        account.set_unusable_password()
        account.save(update_fields=["password"])
    elif account.has_usable_password():
        # An account someone could log in to must never receive other people's works.
        raise Refused(_("Orphaning is not available on this archive right now."), code="orphan")
    return account


def is_orphan_account(user) -> bool:
    return bool(user and user.is_authenticated and user.username == ORPHAN_LOGIN)


def orphanable_works(user):
    """The posted works `user` creates: what "orphan all my works" gives up."""
    return Work.objects.filter(work_creators__user=user).posted().distinct()


def _orphan_pseud(orphan, name: str | None) -> Pseud:
    """orphan_account's pseud for a work orphaned under `name` (None: its default)."""
    if name is None or name.lower() == orphan.username.lower():
        return Pseud.objects.get(user=orphan, is_default=True)
    pseud = Pseud.objects.filter(user=orphan, name__iexact=name).first()
    return pseud or Pseud.objects.create(user=orphan, name=name)


def _orphan_creatorship(creatorship: WorkCreator, orphan, *, keep_name: bool) -> None:
    work_id = creatorship.work_id
    if WorkCreator.objects.filter(work_id=work_id, user=orphan).exists():
        creatorship.delete()
        return
    creatorship.pseud = _orphan_pseud(orphan, creatorship.pseud.name if keep_name else None)
    creatorship.user = orphan
    creatorship.save(update_fields=["user", "pseud"])


@transaction.atomic
def works_orphan(*, user, works: Iterable[Work], keep_name: bool) -> int:
    """Give `user`'s part of these posted works to orphan_account; the number orphaned.
    Works `user` does not create, and drafts, are left alone."""
    if is_orphan_account(user):
        raise Refused(_("These works are already orphaned."), code="orphan")
    work_ids = [work.pk for work in works]
    creatorships = list(
        WorkCreator.objects.select_for_update(of=("self",))
        .select_related("pseud")
        .filter(user=user, work__in=Work.objects.filter(pk__in=work_ids).posted())
        .order_by("work_id")
    )
    if not creatorships:
        return 0
    orphan = orphan_account()
    for creatorship in creatorships:
        _orphan_creatorship(creatorship, orphan, keep_name=keep_name)
    orphaned = [c.work_id for c in creatorships]
    works_search_refresh(orphaned)
    page_cache.work_changed(*orphaned)
    return len(orphaned)


@transaction.atomic
def series_orphan(*, user, series: Series, keep_name: bool) -> int:
    """Give a whole series to orphan_account: the series itself, and `user`'s part of each
    of its posted works. The number of works orphaned."""
    if not series.creators.filter(pk=user.pk).exists():
        raise Refused(_("Only a series' creators can orphan it."), code="orphan")
    orphaned = works_orphan(
        user=user,
        works=Work.objects.filter(series_works__series=series),
        keep_name=keep_name,
    )
    series.creators.remove(user)
    series.creators.add(orphan_account())
    page_cache.site_changed()  # the series' byline on its page and in every part
    return orphaned


@transaction.atomic
def all_works_orphan(*, user, keep_name: bool) -> int:
    """Orphan every posted work of `user`; their series go to orphan_account too (a series
    they share keeps its other creators). The number of works orphaned."""
    count = works_orphan(user=user, works=list(orphanable_works(user)), keep_name=keep_name)
    series_list = list(Series.objects.filter(creators=user).annotate(n=Count("creators")))
    if series_list:
        orphan = orphan_account()
        for series in series_list:
            series.creators.remove(user)
            if series.n == 1:
                series.creators.add(orphan)
        page_cache.site_changed()
    return count
