"""Writes on works and chapters. Every write touching more than one row goes through here,
inside one transaction, so a failure leaves nothing half-written."""

from collections.abc import Iterable, Mapping, Sequence

from django.db import transaction
from django.db.models import Max, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from archive.errors import Refused
from archive.models import Pseud
from tags.models import FIXED_TAG_TYPES, TagType
from tags.services import fixed_tags, tags_resolve
from works.cache import pages as page_cache
from works.listing.search import works_search_refresh
from works.models import (
    Chapter,
    Collection,
    CollectionItem,
    Series,
    SeriesWork,
    Work,
    WorkCreator,
    WorkStats,
)
from works.services import assignments, creatorships, notifications, prompt_claims
from works.services.filter_rows import works_refresh_filters
from works.services.gifts import work_set_gifts
from works.services.pseuds import creator_pseud
from works.services.tag_counts import tags_recount, work_tag_ids, work_tags_recount

# tag_names maps a TagType to the names typed or chosen for it, e.g.
# {TagType.RATING: ["Mature"], TagType.FANDOM: ["Star Trek"], ...}
TagNames = Mapping[str, Sequence[str]]


class _Keep:
    """Marks a keyword argument left out: the value stays as it is."""

    def __repr__(self):
        return "KEEP"


KEEP = _Keep()


def work_set_tags(*, work: Work, tag_names: TagNames) -> None:
    """Replace all of a work's tags, resolving typed names into Tag rows."""
    tags = []
    for tag_type in TagType:
        names = list(tag_names.get(tag_type, ()))
        if not names:
            continue
        if tag_type in FIXED_TAG_TYPES:
            tags.extend(fixed_tags(names=names, tag_type=tag_type))
        else:
            tags.extend(tags_resolve(names=names, tag_type=tag_type))
    old_tag_ids = work_tag_ids([work.pk])
    work.tags.set(tags)
    works_refresh_filters([work.pk])
    # Tag counts: only the tags the work had or has now (works.services.tag_counts).
    tags_recount(set(old_tag_ids) | {tag.pk for tag in tags})


def work_set_series(*, work: Work, series: Iterable[Series]) -> None:
    """Put the work in these series (appended at the end of each it is new to)."""
    wanted = {s.pk: s for s in series}
    removed, _rows = SeriesWork.objects.filter(work=work).exclude(series_id__in=wanted).delete()
    if removed:
        page_cache.site_changed()  # the series' other works linked to this one
    present = set(SeriesWork.objects.filter(work=work).values_list("series_id", flat=True))
    for series_id in wanted.keys() - present:
        last = SeriesWork.objects.filter(series_id=series_id).aggregate(m=Max("position"))["m"]
        SeriesWork.objects.create(series_id=series_id, work=work, position=(last or 0) + 1)


def series_create(*, creator, title: str) -> Series:
    series = Series.objects.create(title=title)
    series.creators.add(creator)
    return series


def work_set_collections(*, work: Work, collections: Iterable[Collection]) -> None:
    """The author puts their own work in these collections. Moderated collections hold the
    work as pending until a collection moderator approves it."""
    wanted = {c.pk: c for c in collections}
    CollectionItem.objects.filter(work=work).exclude(collection_id__in=wanted).delete()
    page_cache.work_changed(work.pk)
    present = set(CollectionItem.objects.filter(work=work).values_list("collection_id", flat=True))
    creator_ids = set(WorkCreator.objects.filter(work=work).values_list("user_id", flat=True))
    for collection_id in wanted.keys() - present:
        collection = wanted[collection_id]
        # A collection's owner or moderators need not approve their own works.
        is_staff = (
            collection.owner_id in creator_ids
            or collection.moderators.filter(pk__in=creator_ids).exists()
        )
        CollectionItem.objects.create(
            collection=collection,
            work=work,
            author_approval=CollectionItem.Approval.APPROVED,
            collection_approval=(
                CollectionItem.Approval.PENDING
                if collection.is_moderated and not is_staff
                else CollectionItem.Approval.APPROVED
            ),
        )


def work_refresh(work: Work) -> None:
    """Recompute what a work derives from its posted chapters: counts, completeness, dates."""
    posted = work.chapters.filter(posted=True)
    totals = posted.aggregate(words=Sum("word_count"))
    work.chapter_count = posted.count()
    work.word_count = totals["words"] or 0
    work.is_complete = bool(work.expected_chapters and work.chapter_count >= work.expected_chapters)
    Work.objects.filter(pk=work.pk).update(
        chapter_count=work.chapter_count,
        word_count=work.word_count,
        is_complete=work.is_complete,
    )
    # Title, summary, notes, tags or creators may have changed: refresh the search document
    # and retire the work's cached guest pages.
    works_search_refresh([work.pk])
    page_cache.work_changed(work.pk)


def _renumber_chapters(work: Work) -> None:
    for position, chapter in enumerate(work.chapters.order_by("position", "id"), start=1):
        if chapter.position != position:
            Chapter.objects.filter(pk=chapter.pk).update(position=position)


@transaction.atomic
def work_create(
    *,
    creator,
    fields: Mapping,
    tag_names: TagNames,
    chapter: Mapping,
    series: Iterable[Series] = (),
    series_title: str = "",
    collections: Iterable[Collection] = (),
    post: bool = True,
    pseud: Pseud | None = None,
    recipients: Sequence[str] = (),
    cocreators: Iterable[Pseud] = (),
) -> Work:
    """A new work with its first chapter. `post=False` saves it as a draft.

    `pseud` is the creator's pseud it is posted under (default: their default pseud);
    `cocreators` are invited (works/services/creatorships.py; a refusal saves nothing);
    `series_title` starts a new series of the creator's with this work as part 1;
    `recipients` are the names it is given to (works/services/gifts.py).
    """
    pseud = creator_pseud(creator, pseud)
    today = timezone.localdate()
    work = Work(**fields)
    work.posted = post
    if post:
        work.published_at = work.published_at or today
        work.revised_at = timezone.now()
    work.save()
    WorkCreator.objects.create(work=work, user=creator, pseud=pseud, position=0)
    WorkStats.objects.create(work=work)
    creatorships.cocreators_invite(work=work, inviter=creator, pseuds=cocreators)
    Chapter.objects.create(
        work=work,
        position=1,
        posted=post,
        published_at=work.published_at if post else None,
        **chapter,
    )
    work_set_tags(work=work, tag_names=tag_names)
    series = list(series)
    if series_title:
        series.append(series_create(creator=creator, title=series_title))
    work_set_series(work=work, series=series)
    work_set_collections(work=work, collections=collections)
    if recipients:
        work_set_gifts(work=work, names=recipients, giver=creator)
    work_refresh(work)
    if post:
        notifications.notify_work_posted(work=work)
    return work


@transaction.atomic
def work_update(
    *,
    work: Work,
    fields: Mapping,
    tag_names: TagNames | None = None,
    chapter: Mapping | None = None,
    series: Iterable[Series] | None = None,
    series_title: str = "",
    collections: Iterable[Collection] | None = None,
    editor=None,
    post: bool = False,
    pseud: Pseud | None = None,
    recipients: Sequence[str] | None = None,
    cocreators: Iterable[Pseud] = (),
) -> Work:
    """Change a work, and with `chapter` its first chapter (title, text...).

    `series_title` starts a new series owned by `editor`; `post=True` also posts a draft;
    `pseud` moves the editor's creatorship to another of their pseuds; `recipients` (when
    given) are the names it is given to from now on; `cocreators` are invited (a refusal
    saves nothing).
    """
    if pseud is not None and editor is not None:
        pseud = creator_pseud(editor, pseud)
        WorkCreator.objects.filter(work=work, user=editor).exclude(pseud=pseud).update(pseud=pseud)
    cocreators = list(cocreators)
    if cocreators:
        creatorships.cocreators_invite(work=work, inviter=editor, pseuds=cocreators)
    for name, value in fields.items():
        setattr(work, name, value)
    work.save()
    first = work.chapters.order_by("position", "id").first()
    if first is not None:
        changed = False
        if chapter is not None:
            for name, value in chapter.items():
                setattr(first, name, value)
            changed = True
        if first.posted and work.published_at and first.published_at != work.published_at:
            # A backdated work is backdated from its first chapter.
            first.published_at = work.published_at
            changed = True
        if changed:
            first.save()
    if tag_names is not None:
        work_set_tags(work=work, tag_names=tag_names)
    if series is not None or series_title:
        series = list(series or ())
        if series_title:
            owner = editor or WorkCreator.objects.filter(work=work).order_by("position")[0].user
            series.append(series_create(creator=owner, title=series_title))
        work_set_series(work=work, series=series)
    if collections is not None:
        work_set_collections(work=work, collections=collections)
    if recipients is not None:
        work_set_gifts(work=work, names=recipients, giver=editor)
    work_refresh(work)
    if tag_names is None and {"posted", "hidden_by_moderator"} & set(fields):
        work_tags_recount([work.pk])  # whether the work counts for its tags may have changed
    if post and not work.posted:
        work_post(work=work)
    return work


@transaction.atomic
def work_post(*, work: Work) -> Work:
    """Post a draft: the work and its first chapter become visible."""
    now = timezone.now()
    work.posted = True
    work.published_at = work.published_at or timezone.localdate()
    work.revised_at = now
    work.save()
    first = work.chapters.order_by("position").first()
    if first and not first.posted:
        first.posted = True
        first.published_at = first.published_at or work.published_at
        first.save()
    work_refresh(work)
    work_tags_recount([work.pk])  # a posted work now counts for its tags
    assignments.assignments_work_posted(work=work)  # issue 20: the assignments it fulfils
    notifications.notify_work_posted(work=work)
    prompt_claims.claims_work_posted(work=work)  # a draft that answers claims fills them now
    return work


@transaction.atomic
def work_delete(*, work: Work) -> None:
    tag_ids = work_tag_ids([work.pk])
    work.delete()
    tags_recount(tag_ids)


def _set_expected_chapters(work: Work, expected) -> None:
    if expected is not KEEP and expected != work.expected_chapters:
        work.expected_chapters = expected
        Work.objects.filter(pk=work.pk).update(expected_chapters=expected)


@transaction.atomic
def chapter_add(
    *, work: Work, fields: Mapping, post: bool = True, expected_chapters=KEEP, chapter_creators=None
) -> Chapter:
    """A new chapter at the end. `post=False` keeps it a draft only its creators see.

    `expected_chapters` (an int, or None for unknown) changes the work's expected total;
    `chapter_creators` are its own co-creators (creatorships.chapter_set_creators)."""
    _set_expected_chapters(work, expected_chapters)
    last = work.chapters.aggregate(m=Max("position"))["m"] or 0
    chapter = Chapter.objects.create(
        work=work,
        position=last + 1,
        posted=post,
        published_at=timezone.localdate() if post else None,
        **fields,
    )
    creatorships.chapter_set_creators(chapter=chapter, creatorships=chapter_creators)
    if post and work.posted:
        work.revised_at = timezone.now()
        Work.objects.filter(pk=work.pk).update(revised_at=work.revised_at)
    work_refresh(work)
    if post and work.posted:
        notifications.notify_chapter_posted(work=work, chapter=chapter)
    return chapter


@transaction.atomic
def chapter_update(
    *,
    chapter: Chapter,
    fields: Mapping,
    post: bool | None = None,
    expected_chapters=KEEP,
    chapter_creators=None,
) -> Chapter:
    _set_expected_chapters(chapter.work, expected_chapters)
    creatorships.chapter_set_creators(chapter=chapter, creatorships=chapter_creators)
    for name, value in fields.items():
        setattr(chapter, name, value)
    newly_posted = bool(post and not chapter.posted)
    if newly_posted:
        chapter.posted = True
        chapter.published_at = timezone.localdate()
        Work.objects.filter(pk=chapter.work_id).update(revised_at=timezone.now())
    chapter.save()
    work_refresh(chapter.work)
    if newly_posted and chapter.work.posted:
        notifications.notify_chapter_posted(work=chapter.work, chapter=chapter)
    return chapter


@transaction.atomic
def chapter_delete(*, chapter: Chapter) -> None:
    work = chapter.work
    if not chapter_can_delete(chapter):
        raise Refused(
            _("The only chapter of a work, or the only posted one of a posted work, stays."),
            code="last_chapter",
        )
    chapter.delete()
    _renumber_chapters(work)
    work_refresh(work)


def chapter_can_delete(chapter: Chapter) -> bool:
    """A work keeps at least one chapter, and a posted work at least one posted chapter."""
    siblings = Chapter.objects.filter(work_id=chapter.work_id).exclude(pk=chapter.pk)
    if not siblings.exists():
        return False
    if chapter.posted and chapter.work.posted:
        return siblings.filter(posted=True).exists()
    return True


@transaction.atomic
def chapters_reorder(*, work: Work, chapter_ids: Sequence[int]) -> None:
    """Put the work's chapters in this order (ids not named keep their relative order, last)."""
    chapters = {c.pk: c for c in work.chapters.all()}
    ordered = [pk for pk in chapter_ids if pk in chapters]
    by_position = sorted(chapters, key=lambda pk: chapters[pk].position)
    ordered += [pk for pk in by_position if pk not in ordered]
    for position, pk in enumerate(ordered, start=1):
        Chapter.objects.filter(pk=pk).update(position=position)
    page_cache.work_changed(work.pk)
