"""The queryset a filter builds: `filter_works(works, work_filter)` narrows a Work queryset
in ONE query (tag filters are EXISTS / NOT EXISTS over the filter rows, or the tag arrays on
PostgreSQL) and `order_works()` applies the reader's sort."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Exists, F, OuterRef, Q, Subquery
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce, Lower
from django.utils import timezone

from tags.models import Tag, TagType
from works.listing import tagsets
from works.listing.filters import WorkFilter
from works.listing.options import DEFAULT_SORT, MAX_TAGS, RANGE_FIELDS
from works.listing.search import order_by_rank, search_works
from works.models import FilterTagging, WorkCreator


def _has_filter_tag(tag_ids) -> Exists:
    rows = FilterTagging.objects.filter(work=OuterRef("pk"))
    if isinstance(tag_ids, int):
        return Exists(rows.filter(tag_id=tag_ids))
    return Exists(rows.filter(tag_id__in=tag_ids))


def root_fandom_count() -> Coalesce:
    """How many root fandoms (no merger, no meta tag) a work is found under."""
    meta = Tag.meta_tags.through.objects.filter(from_tag_id=OuterRef("tag_id"))
    roots = (
        FilterTagging.objects.filter(
            work=OuterRef("pk"), tag__type=TagType.FANDOM, tag__merger__isnull=True
        )
        .exclude(Exists(meta))
        .order_by()
        .values("work")
        .annotate(n=Count("tag_id"))
        .values("n")
    )
    return Coalesce(Subquery(roots), 0)


def day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def filter_works(works, f: WorkFilter, *, user=None, tags: bool = True):
    """`works` narrowed by the filter: one SQL query. Included and excluded tags go through
    each work's tag array on PostgreSQL (works.listing.tagsets), EXISTS on filter rows otherwise;
    `tags=False` leaves them out, for a caller that applies them itself (works.listing.presort)."""
    included = f.required_ids() if tags else []
    excluded = f.excluded_ids() if tags else []
    if included and tagsets.available():
        works = works.filter(pk__in=RawSQL(*tagsets.matching_sql(included, excluded)))
    else:
        for tag_id in included:
            works = works.filter(_has_filter_tag(tag_id))
        if excluded:
            works = works.exclude(_has_filter_tag(excluded))
    if f.crossover:
        works = works.annotate(root_fandoms=root_fandom_count())
        if f.crossover == "T":
            works = works.filter(root_fandoms__gte=2)
        else:
            works = works.filter(root_fandoms__lte=1)
    if f.complete:
        works = works.filter(is_complete=f.complete == "T")
    if f.single_chapter:
        works = works.filter(expected_chapters=1, chapter_count=1)
    for name, (low, high) in f.ranges.items():
        model_field = RANGE_FIELDS[name]
        if low is not None:
            works = works.filter(**{f"{model_field}__gte": low})
        if high is not None:
            works = works.filter(**{f"{model_field}__lte": high})
    if f.date_from:
        works = works.filter(revised_at__gte=day_start(f.date_from))
    if f.date_to:
        works = works.filter(revised_at__lt=day_start(f.date_to + dt.timedelta(days=1)))
    if f.revised_after:
        works = works.filter(revised_at__gte=f.revised_after)
    if f.revised_before:
        works = works.filter(revised_at__lte=f.revised_before)
    if f.language:
        works = works.filter(language=f.language)
    if f.title:
        works = works.filter(title__icontains=f.title)
    if f.creators:
        for name in f.creators.replace(",", " ").split()[:MAX_TAGS]:
            works = works.filter(
                Exists(
                    WorkCreator.objects.filter(
                        Q(user__username__icontains=name) | Q(pseud__name__icontains=name),
                        work=OuterRef("pk"),
                    )
                )
            )
    if f.creators or f.query:
        # Creators' names would reveal who wrote a work in an anonymous collection.
        works = works.naming_creators_to(user)
    if f.query:
        works = search_works(works, f.query)
    return works


def default_ordering():
    """Date updated, newest first (drafts, which have no update date, last)."""
    return [F("revised_at").desc(nulls_last=True), "-id"]


def order_works(works, f: WorkFilter, default=None, *, user=None):
    """The ordering the reader chose, or the caller's default (date updated). Sorting by
    creator needs the reader (`user`): works whose creators they may not know sort as
    "anonymous"."""
    if not f.sort_given and default is not None:
        return works.order_by(*default)
    column, desc = f.sort_column, f.descending()

    def by(expression):
        ordered = expression.desc(nulls_last=True) if desc else expression.asc(nulls_last=True)
        return [ordered, "-id" if desc else "id"]

    if column == "_score":
        if f.query:
            return order_by_rank(works, f.query)
        column = DEFAULT_SORT
    if column == "revised_at":
        return works.order_by(*by(F("revised_at")))
    if column == "created_at":
        return works.order_by(*by(F("published_at")))
    if column == "title_to_sort_on":
        return works.order_by(*by(Lower("title")))
    if column == "authors_to_sort_on":
        return works.with_creator_sort_name(user).order_by(*by(F("creator_sort_name")))
    if column == "word_count":
        return works.order_by(*by(F("word_count")))
    stats_field = {
        "hits": "stats__hits",
        "kudos_count": "stats__kudos",
        "comments_count": "stats__comments",
        "bookmarks_count": "stats__bookmarks",
    }[column]
    # Every work has its stats row (services.work_create): an inner join lets PostgreSQL walk
    # the (counter, work_id) index of works_workstats and stop after a page.
    works = works.filter(stats__isnull=False)
    if desc:
        return works.order_by(F(stats_field).desc(), F("stats__work_id").desc())
    return works.order_by(F(stats_field).asc(), F("stats__work_id").asc())
