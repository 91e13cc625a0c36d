"""Filtered listings sorted before they are checked (PostgreSQL).

A listing that includes tags finds its works through their tag arrays (works.listing.tagsets), but
PostgreSQL then had to fetch every matching work and its stats row to test the word range
and sort by kudos before it could keep 20: at 1,000,000 works, the bench's fandom listing
(3 tags in, 2 out, 1k-50k words, by kudos) probed 6,562 works and 4,777 stats rows for
60 ms. works_worktagset also holds what listings filter and sort on (visibility flags,
words, dates, counters, kept by triggers), so the works that may be in the listing come
from that one narrow table, already in the listing's order (22 ms), and only the ones a
page needs are checked against the listing's own query, which decides: visibility,
unrevealed collections, muted users, the reader's excluded tags, everything but the
filter's tags, which the candidates already meet through the very condition that query
would use (works.listing.tagsets.matching_condition). The table narrows and sorts; it
decides what a reader may see in one case only: a guest's listing of the whole archive (a
tag's works, /works), where the rule it applies is works.models.visibility's own
(`guest_listing_rule()`: the guest rule on the table's copied flags, and the works kept
secret by unrevealed collections left out). Then every candidate is in the listing, no
check runs, and the facets are counted from the candidates' tag arrays in the same
statement (issue 15: a guest's first visit to a filter went from 86 to 52 ms at p95).

A first visit reads every candidate (at most EXACT_LIMIT; beyond that the listing is
counted with COUNT(*) instead) and checks them all in one query, which gives the exact
count, the page and the facets' works (where the table decides, one statement gives the
count, the first ids and the facets: Presorted.first_visit); later pages of a result whose
count is cached read the first candidates up to the page and check those, reading further
only when the check dropped too many.

Used when the listing includes at least one tag (a tag page, or tags chosen in the filter),
is sorted by a column the table holds, and filters on nothing the table lacks; otherwise
the listing's query runs as it is.
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models.expressions import RawSQL

from archive.replicas import read_connection
from works.listing import options, tagsets
from works.listing.facets import facets_from_rows, ranking_sql
from works.listing.options import DEFAULT_SORT, RANGE_FIELDS
from works.listing.querying import day_start
from works.models import visibility

# Sort choices (works.listing.options.SORTS keys) the table can order by, and its column for each.
SORT_COLUMNS = {
    "revised_at": "revised_at",
    "created_at": "published_at",
    "word_count": "word_count",
    "hits": "hits",
    "kudos_count": "kudos",
    "comments_count": "comments",
    "bookmarks_count": "bookmarks",
}
# Range filters and the table's column for each: the table names a work's counters as
# works_workstats does (works.listing.tagsets.COPIED).
RANGE_COLUMNS = {name: field.removeprefix("stats__") for name, field in RANGE_FIELDS.items()}
# The table's counter columns: the listing's own query leaves a work without a stats row
# out when it sorts by a counter, and so does the table (its counters are NULL then).
COUNTER_COLUMNS = {"hits", "kudos", "comments", "bookmarks"}
# Candidates read beyond those a page needs, for the few the check may drop.
MARGIN = 20

# A first visit to a listing the table decides: how many works it has (read up to a limit),
# the first of them in order, and the facets of those, in one statement. Their tag arrays
# are read anyway to match them, so the facets need no filter rows; only the first
# FIRST_IDS are ordered (a top-N sort: sorting all 4,800 candidates of a big fandom's
# filter with their arrays cost 3 ms more), which covers the facets' sample and the first
# pages; a later page reads its own (Presorted.first). The first row holds the count and
# the ids in order (one array: 4,800 rows took psycopg 2.5 ms to fetch); the others are the
# facets (works.listing.facets.ranking_sql() over the `hits` of the first works: all of them
# up to EXACT_FACETS, else the first FACET_SAMPLE; none when there are too many to list).
_FIRST_VISIT_SQL = """
WITH found AS MATERIALIZED (
    SELECT work_id, {column}, tag_ids FROM {table} WHERE {where} LIMIT %s
), counted AS (
    SELECT count(*) AS n FROM found
), firsts AS MATERIALIZED (
    SELECT work_id, tag_ids, row_number() OVER (ORDER BY {order}) AS place
    FROM (SELECT * FROM found ORDER BY {order} LIMIT %s) first_rows
), hits AS (
    SELECT tag_id, count(*) AS n
    FROM firsts CROSS JOIN unnest(firsts.tag_ids) AS tag_id
    WHERE firsts.place <= (
        SELECT CASE WHEN n >= %s THEN 0 WHEN n > %s THEN %s ELSE %s END FROM counted
    )
    GROUP BY tag_id
), {ranking}
SELECT (SELECT n FROM counted), coalesce(array_agg(work_id ORDER BY place), '{{}}'),
    NULL, NULL, NULL, NULL
FROM firsts
UNION ALL
SELECT NULL, NULL, tag_id, n, type, name FROM ranked WHERE place <= %s
"""
# The same without the facets, for a caller that shows none (the API): the count and the
# first ids only, so the candidates' tag arrays are not read and no tag is looked up.
_FIRST_VISIT_BARE_SQL = """
WITH found AS MATERIALIZED (
    SELECT work_id, {column} FROM {table} WHERE {where} LIMIT %s
)
SELECT (SELECT count(*) FROM found),
    ARRAY(SELECT work_id FROM found ORDER BY {order} LIMIT %s)
"""
FIRST_IDS = max(options.EXACT_FACETS, options.FACET_SAMPLE)


@dataclass
class Presorted:
    """Candidates: the table's rows that meet `where` (a superset of the listing), in the
    listing's order (`column`, `descending`, ties by id); and the listing's own query
    without its tag conditions (`exact`), which decides which candidates are in it, unless
    `decides`: the table's conditions are the listing's own (a guest's listing of the whole
    archive), so every candidate is in it and the facets come with the candidates."""

    where: str
    params: list
    column: str
    descending: bool
    exact: object  # a Work queryset
    decides: bool = False
    facets: tuple | None = None  # (facets, sampled) read by first_visit()

    def _order(self) -> str:
        direction = "DESC" if self.descending else "ASC"
        return f"{self.column} {direction} NULLS LAST, work_id {direction}"

    def key_text(self) -> str:
        """What decides the listing, as text (works.listing.counting.cache_key)."""
        return f"{tagsets.TABLE}|{self.where}|{self.params!r}|{self._order()}"

    def _ids(self, sql: str, params: list) -> list[int]:
        with read_connection().cursor() as cursor:
            cursor.execute(sql, params)
            return [row[0] for row in cursor.fetchall()]

    def candidates(self, limit: int) -> list[int]:
        """The first `limit` candidates in order."""
        sql = f"SELECT work_id FROM {tagsets.TABLE} WHERE {self.where} ORDER BY {self._order()}"
        return self._ids(f"{sql} LIMIT %s", [*self.params, limit])

    def all_candidates(self, most: int) -> list[int] | None:
        """Every candidate in order, or None when there are more than `most`: rows are read
        only up to `most` + 1 before sorting, so a huge result (a big fandom's own page)
        costs little more than `most` rows before the listing's query takes over."""
        sql = (
            f"WITH found AS MATERIALIZED (SELECT work_id, {self.column} FROM {tagsets.TABLE}"
            f" WHERE {self.where} LIMIT %s) SELECT work_id FROM found ORDER BY {self._order()}"
        )
        ids = self._ids(sql, [*self.params, most + 1])
        return ids if len(ids) <= most else None

    def first_visit(self, most: int, *, facets: bool = True) -> tuple[int, list[int]] | None:
        """For a listing the table decides: (how many works, the first FIRST_IDS in order),
        or None when there are more than `most`; and, with `facets`, the listing's facets in
        `self.facets` (works.listing.facets.listing_facets). One statement."""
        if not facets:
            return self._first_visit_bare(most)
        ranking, ranking_params = ranking_sql()
        sql = _FIRST_VISIT_SQL.format(
            column=self.column,
            table=tagsets.TABLE,
            where=self.where,
            order=self._order(),
            ranking=ranking,
        )
        limit = most + 1
        sample = (limit, options.EXACT_FACETS, options.FACET_SAMPLE, options.EXACT_FACETS)
        params = [*self.params, limit, FIRST_IDS, *sample, *ranking_params]
        with read_connection().cursor() as cursor:
            cursor.execute(sql, [*params, options.FACETS_PER_TYPE])
            rows = cursor.fetchall()
        total, ids = next((row[0], row[1]) for row in rows if row[0] is not None)
        if total > most:
            return None
        self.facets = facets_from_rows([row[2:] for row in rows if row[0] is None], total)
        return total, ids

    def _first_visit_bare(self, most: int) -> tuple[int, list[int]] | None:
        sql = _FIRST_VISIT_BARE_SQL.format(
            column=self.column, table=tagsets.TABLE, where=self.where, order=self._order()
        )
        with read_connection().cursor() as cursor:
            cursor.execute(sql, [*self.params, most + 1, FIRST_IDS])
            total, ids = cursor.fetchone()
        return None if total > most else (total, ids)

    def check(self, candidates: list[int]) -> list[int]:
        """The candidates that are in the listing, in the listing's order: one query (none
        when the table decides)."""
        if not candidates or self.decides:
            return candidates
        in_list = RawSQL("SELECT unnest(%s::bigint[])", [tagsets.id_array(candidates)])
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
    )


def for_listing(
    untagged,
    work_filter,
    *,
    user,
    include_drafts: bool,
    default_order: bool,
    whole_archive: bool = False,
) -> Presorted | None:
    """How to list a listing sorted first, or None when it cannot be (see the module's
    docstring). `untagged()` builds the listing's ordered query without its tag conditions
    (works.listing.querying.filter_works(tags=False)), only when it is needed; `default_order` says
    the caller left the order to the listing's default (date updated, newest first);
    `whole_archive` that the listing is of every work a reader may list (a tag's works,
    /works), not of a person's, a collection's or a series'."""
    included = work_filter.required_ids()
    if not included or not tagsets.available() or _beyond_table(work_filter):
        return None
    sort = _sort(work_filter, default_order)
    if sort is None:
        return None
    column, descending = sort
    where, params = tagsets.matching_condition(included, work_filter.excluded_ids())
    conditions = [where]
    if not include_drafts:
        conditions.append(tagsets.rule_sql(visibility.POSTED))
    guest = user is None or not user.is_authenticated
    decides = guest and whole_archive and not include_drafts
    if guest and not decides:  # Work.objects.visible_to(guest); the check does the rest
        conditions.append(tagsets.rule_sql(visibility.GUEST))
    if decides:  # Work.objects.listable_by(guest), all of it
        rule, left_out = visibility.guest_listing_rule()
        conditions.append(tagsets.rule_sql(rule))
        left_out_sql, left_out_params = left_out.query.sql_with_params()
        conditions.append(f"work_id NOT IN ({left_out_sql})")
        params.extend(left_out_params)
    if column in COUNTER_COLUMNS:  # works.listing.querying.order_works joins the stats row
        conditions.append(f"{column} IS NOT NULL")
    for name, (low, high) in work_filter.ranges.items():
        if low is not None:
            conditions.append(f"{RANGE_COLUMNS[name]} >= %s")
            params.append(low)
        if high is not None:
            conditions.append(f"{RANGE_COLUMNS[name]} <= %s")
            params.append(high)
    if work_filter.date_from:  # the same bounds as works.listing.querying.filter_works
        conditions.append("revised_at >= %s")
        params.append(day_start(work_filter.date_from))
    if work_filter.date_to:
        conditions.append("revised_at < %s")
        params.append(day_start(work_filter.date_to + dt.timedelta(days=1)))
    if work_filter.revised_after:
        conditions.append("revised_at >= %s")
        params.append(work_filter.revised_after)
    if work_filter.revised_before:
        conditions.append("revised_at <= %s")
        params.append(work_filter.revised_before)
    exact = None if decides else untagged().order_by()
    return Presorted(" AND ".join(conditions), params, column, descending, exact, decides)
