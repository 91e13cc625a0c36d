"""How many works a listing has, counted once: exact up to EXACT_LIMIT, cached from
CACHE_FROM, capped for text searches and best-match rankings."""

import hashlib

from django.core.cache import cache
from django.db import connection

from works.listing import options
from works.listing.querying import default_ordering

# A best-match search ranks at most this many matches, the most recently updated ones.
RANK_CANDIDATES = 1000


def cache_key(prefix: str, queryset, presorted=None) -> str:
    """The cache key of what `queryset` finds; for a listing the tag-array table decides
    (works.listing.presort, `presorted.decides`), of the table's own query, which says the
    same in a few characters (compiling the ORM's SQL took about 2 ms a key)."""
    if presorted is not None and presorted.decides:
        text = presorted.key_text()
    else:
        sql, params = queryset.query.sql_with_params()
        text = f"{sql}|{params!r}"
    digest = hashlib.sha256(text.encode()).hexdigest()
    return f"works:{prefix}:{digest}"


def facets_key(ordered, presorted=None) -> str:
    """The cache key of a listing's facets (works.listing.facets.listing_facets), which
    count_and_ids() also asks for where one statement gives the facets with the count."""
    return cache_key("facets", ordered.values("pk"), presorted)


def count_and_ids(
    works,
    ordered,
    *,
    ranked: bool = False,
    exact: bool = True,
    presorted=None,
    facets: bool = True,
) -> tuple[int, list[int] | None, int | None]:
    """The number of works, the ids of the first EXACT_LIMIT + 1 in order when they were
    needed to count (None otherwise), and the number counting stopped at (None: exact).

    A small result is counted by reading its ordered ids once (one query gives the exact
    count, the page and the facets' work set). Counts of CACHE_FROM works or more are cached
    for CACHE_SECONDS keyed on the query, so a large listing then reads only its page; above
    EXACT_LIMIT the exact count is one COUNT(*), unless `exact` is False (a text search,
    whose full count would read every match): then it stops at EXACT_LIMIT ("10,000+").

    A best-match order on PostgreSQL ranks at most RANK_CANDIDATES matches: the most recently
    updated ones (found by walking the date index, so a word in a fifth of the archive costs
    a few hundred rows, not every match); the count then stops there ("1,000+"). Rankings of
    CACHE_FROM works or more are cached too.

    With `presorted` (works.listing.presort), a small result's ordered ids are its candidates from
    the tag-array table, checked against `works`; a result with more candidates than
    EXACT_LIMIT is counted with COUNT(*) alone (its page and facet sample are read later,
    by their own short queries). Where the table decides the listing (a guest's listing of
    the whole archive), one statement gives the count, the first FIRST_IDS ids in order and
    the facets (Presorted.first_visit; without them when `facets` is False: a caller that
    shows none); later pages are read by Presorted.first."""
    count_key = cache_key("count", works.order_by().values("pk"), presorted)
    ids_key = cache_key("ids", ordered.values("pk")) if ranked else None
    # A count cached by a caller without facets (the API) leaves the facets to count: where
    # the first visit gives them with the count, run it again rather than read the works'
    # first ids and their facets by two slower queries (works.listing.facets).
    first_visits = facets and presorted is not None and presorted.decides
    facets_at = facets_key(ordered, presorted) if first_visits else None
    cached = cache.get_many([key for key in (count_key, ids_key, facets_at) if key])
    counted = cached.get(count_key)
    ids = cached.get(ids_key) if ids_key else None
    if counted is not None and (ids is not None or not ranked):
        facets_missing = facets_at is not None and facets_at not in cached
        if not facets_missing or counted[0] > options.EXACT_LIMIT:
            return counted[0], ids, counted[1]
    cap = None
    if ranked and connection.vendor == "postgresql":
        newest = list(
            works.order_by(*default_ordering()).values_list("pk", flat=True)[:RANK_CANDIDATES]
        )
        ids = list(ordered.filter(pk__in=newest).values_list("pk", flat=True))
        total = len(ids)
        cap = RANK_CANDIDATES if len(newest) >= RANK_CANDIDATES else None
    else:
        total = None
        if ids is None and presorted is not None and presorted.decides:
            first = presorted.first_visit(options.EXACT_LIMIT, facets=facets)
            if first is not None:  # the count, the first ids in order, the facets
                total, ids = first
            else:  # a big result: as below
                total = works.count()
        elif ids is None and presorted is not None:
            candidates = presorted.all_candidates(options.EXACT_LIMIT)
            if candidates is not None:
                ids = presorted.check(candidates)
            else:  # a big result: counted, and its first ids are not read to count it
                total = works.count()
                if total <= options.EXACT_LIMIT:
                    total = None  # the check dropped enough: read its ids as below
        if total is None:
            if ids is None:
                ids = list(ordered.values_list("pk", flat=True)[: options.EXACT_LIMIT + 1])
            if len(ids) <= options.EXACT_LIMIT:
                total = len(ids)
            elif exact:
                total = works.count()
            else:
                total, cap = len(ids), options.EXACT_LIMIT
    if total >= options.CACHE_FROM:
        cache.set(count_key, (total, cap), options.CACHE_SECONDS)
        if ids_key:
            cache.set(ids_key, ids, options.CACHE_SECONDS)
    return total, ids, cap
