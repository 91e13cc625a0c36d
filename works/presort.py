"""Filtered listings sorted before they are checked (PostgreSQL).

A listing that includes tags finds its works through their tag arrays (works.tagsets), but
PostgreSQL then had to fetch every matching work and its stats row to test the word range
and sort by kudos before it could keep 20: at 1,000,000 works, the bench's fandom listing
(3 tags in, 2 out, 1k-50k words, by kudos) probed 6,562 works and 4,777 stats rows for
60 ms. works_worktagset also holds what listings filter and sort on (visibility flags,
words, dates, counters, kept by triggers), so the works that may be in the listing come
from that one narrow table, already in the listing's order (22 ms), and only the ones a
page needs are checked against the listing's own query, which decides: visibility,
unrevealed collections, muted users, excluded tags, everything. The table narrows and
sorts; it never decides what a reader may see.

Used when the listing includes at least one tag (a tag page, or tags chosen in the filter),
is sorted by a column the table holds, and filters on nothing the table lacks; otherwise
the listing's query runs as it is.
"""

import datetime as dt
from dataclasses import dataclass

from django.db import connection
from django.db.models.expressions import RawSQL

from . import tagsets
from .filters import DEFAULT_SORT, day_start

# Sort choices (works.filters.SORTS keys) the table can order by, and its column for each.
SORT_COLUMNS = {
    "revised_at": "revised_at",
    "created_at": "published_at",
    "word_count": "word_count",
    "hits": "hits",
    "kudos_count": "kudos",
    "comments_count": "comments",
    "bookmarks_count": "bookmarks",
}
# Range filters (works.filters.RANGE_FIELDS keys) and the table's column for each.
RANGE_COLUMNS = {
    "words": "word_count",
    "hits": "hits",
    "kudos": "kudos",
    "comments": "comments",
    "bookmarks": "bookmarks",
}
# Candidates read beyond those a page needs, for the few the check may drop.
MARGIN = 20


@dataclass
class Presorted:
    """Candidate ids in the listing's order (`sql`, a superset of the listing), and the
    listing's own unordered query (`exact`), which decides which candidates are in it."""

    sql: str
    params: list
    exact: object  # a Work queryset

    def candidates(self, limit: int) -> list[int]:
        with connection.cursor() as cursor:
            cursor.execute(f"{self.sql} LIMIT %s", [*self.params, limit])
            return [row[0] for row in cursor.fetchall()]

    def check(self, candidates: list[int]) -> list[int]:
        """The candidates that are in the listing, in the listing's order: one query."""
        if not candidates:
            return []
        in_list = RawSQL("SELECT unnest(%s::bigint[])", [candidates])
        kept = set(self.exact.filter(pk__in=in_list).values_list("pk", flat=True))
        return [pk for pk in candidates if pk in kept]

    def first(self, stop: int) -> list[int]:
        """The listing's first `stop` work ids in order: two queries, more only when the
        check dropped so many candidates that the page is short."""
        limit = stop + MARGIN
        while True:
            candidates = self.candidates(limit)
            ids = self.check(candidates)
            if len(ids) >= stop or len(candidates) < limit:
                return ids[:stop]
            limit *= 4


def _sort(work_filter, default_order: bool) -> tuple[str, bool] | None:
    """(table column, descending) of the listing's order, or None if the table has none."""
    if not work_filter.sort_given:
        return ("revised_at", True) if default_order else None
    column = work_filter.sort_column
    if column == "_score":
        if work_filter.query:
            return None
        column = DEFAULT_SORT
    if column not in SORT_COLUMNS:
        return None
    return SORT_COLUMNS[column], work_filter.descending()


def _beyond_table(work_filter) -> bool:
    """Whether the filter asks for something the table does not hold."""
    return bool(
        work_filter.query
        or work_filter.title
        or work_filter.creators
        or work_filter.crossover
        or work_filter.complete
        or work_filter.single_chapter
        or work_filter.language
        or set(work_filter.ranges) - set(RANGE_COLUMNS)
    )


def for_listing(
    ordered, work_filter, *, user, include_drafts: bool, default_order: bool
) -> Presorted | None:
    """How to list `ordered` (the listing's filtered, ordered query) sorted first, or None
    when it cannot be (see the module's docstring). `default_order` says the caller left the
    order to the listing's default (date updated, newest first)."""
    included = work_filter.required_ids()
    if not included or not tagsets.available() or _beyond_table(work_filter):
        return None
    sort = _sort(work_filter, default_order)
    if sort is None:
        return None
    column, descending = sort
    sql, params = tagsets.matching_sql(included, work_filter.excluded_ids())
    conditions = []
    if not include_drafts:
        conditions.append("posted")
    if user is None or not user.is_authenticated:  # works.querysets.visible_to for guests
        conditions.append("posted AND NOT hidden AND NOT restricted")
    for name, (low, high) in work_filter.ranges.items():
        if low is not None:
            conditions.append(f"{RANGE_COLUMNS[name]} >= %s")
            params.append(low)
        if high is not None:
            conditions.append(f"{RANGE_COLUMNS[name]} <= %s")
            params.append(high)
    if work_filter.date_from:  # the same bounds as works.filters.filter_works
        conditions.append("revised_at >= %s")
        params.append(day_start(work_filter.date_from))
    if work_filter.date_to:
        conditions.append("revised_at < %s")
        params.append(day_start(work_filter.date_to + dt.timedelta(days=1)))
    for condition in conditions:
        sql += f" AND {condition}"
    direction = "DESC" if descending else "ASC"
    sql += f" ORDER BY {column} {direction} NULLS LAST, work_id {direction}"
    return Presorted(sql, params, ordered.order_by())
