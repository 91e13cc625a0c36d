"""The one work listing behind /works and every other list of works.

Tag, user, collection and series pages all call `work_list_response()` with their own base
queryset; this module restricts it to what the reader may see, orders and paginates it, and
prefetches what a blurb shows, in a fixed number of queries whatever the page length.
The filter form (works.listing.filters) narrows `works` before the count, the facets and the page.

It also holds what a blurb derives from a work (AO3's required-tags symbols) so the blurb
template, the work page and the download say the same thing.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.core.cache import cache
from django.core.exceptions import ObjectDoesNotExist
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import F
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from archive.params import MAX_ID, parse_int
from tags.fixed import CATEGORY_CLASSES, RATING_CLASSES
from tags.models import TagType
from works.cache import blurbs
from works.languages import LANGUAGES
from works.listing import presort
from works.listing.filters import (
    CACHE_FROM,
    CACHE_SECONDS,
    EXACT_LIMIT,
    FACET_SAMPLE,
    MAX_QUERY_STRING,
    SORTS,
    TAG_FILTER_TYPES,
    WorkFilter,
    cache_key,
    facet_counts,
    filter_works,
    order_works,
)
from works.models.secrets import exclude_unrevealed

WORKS_PER_PAGE = 20
# How many page links sit on each side of the current page before a gap ("…").
PAGINATION_WINDOW = 2
# A best-match search ranks at most this many matches, the most recently updated ones.
RANK_CANDIDATES = 1000
# Deeper pages would be slow OFFSETs at a million works; AO3 caps paging too.
MAX_PAGES = 5000

SERIOUS_WARNINGS = frozenset(
    {"Graphic Depictions Of Violence", "Major Character Death", "Rape/Non-Con", "Underage Sex"}
)
NO_WARNINGS = "No Archive Warnings Apply"
CHOSE_NOT_TO_WARN = "Creator Chose Not To Use Archive Warnings"


def default_ordering():
    """Date updated, newest first (drafts, which have no update date, last)."""
    return [F("revised_at").desc(nulls_last=True), "-id"]


def listable_works(works, user, *, include_drafts: bool = False, include_mystery: bool = False):
    """`works` narrowed to what `user` may see in a list, without the works they excluded
    (their excluded tags and muted users). Drafts belong on their creator's dashboard, never
    in a public list, unless the caller asks for them. Unrevealed works are left out unless
    the caller shows them as "Mystery Work" (`include_mystery`: the collection's own pages)."""
    works = works.visible_to(user).without_excluded_for(user)
    if not include_mystery:
        works = exclude_unrevealed(works, user)
    if not include_drafts:
        works = works.filter(posted=True)
    return works


def count_and_ids(
    works, ordered, *, ranked: bool = False, exact: bool = True, presorted=None
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
    by their own short queries)."""
    count_key = cache_key("count", works.order_by().values("pk"))
    ids_key = cache_key("ids", ordered.values("pk")) if ranked else None
    counted = cache.get(count_key)
    ids = cache.get(ids_key) if ids_key else None
    if counted is not None and (ids is not None or not ranked):
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
        if ids is None and presorted is not None:
            candidates = presorted.all_candidates(EXACT_LIMIT)
            if candidates is not None:
                ids = presorted.check(candidates)
            else:  # a big result: counted, and its first ids are not read to count it
                total = works.count()
                if total <= EXACT_LIMIT:
                    total = None  # the check dropped enough: read its ids as below
        if total is None:
            if ids is None:
                ids = list(ordered.values_list("pk", flat=True)[: EXACT_LIMIT + 1])
            if len(ids) <= EXACT_LIMIT:
                total = len(ids)
            elif exact:
                total = works.count()
            else:
                total, cap = len(ids), EXACT_LIMIT
    if total >= CACHE_FROM:
        cache.set(count_key, (total, cap), CACHE_SECONDS)
        if ids_key:
            cache.set(ids_key, ids, CACHE_SECONDS)
    return total, ids, cap


def listing_facets(ordered, ids: list[int] | None, total: int):
    """Facets of the result: over all its works up to EXACT_LIMIT, else over its first
    FACET_SAMPLE works in order. Cached for CACHE_SECONDS from CACHE_FROM works."""
    key = cache_key("facets", ordered.values("pk")) if total >= CACHE_FROM else None
    cached = cache.get(key) if key else None
    if cached is not None:
        return cached
    limit = FACET_SAMPLE if total > EXACT_LIMIT else EXACT_LIMIT
    if ids is None:
        ids = list(ordered.values_list("pk", flat=True)[:limit])
    result = facet_counts(ids[:limit], total)
    if key:
        cache.set(key, result, CACHE_SECONDS)
    return result


class OrderedWorks:
    """What the paginator slices: a page is its ids (from `ids`, or a query beyond them:
    sorted first through `presorted` for a result of at most EXACT_LIMIT works), then one
    query for those works with everything a blurb shows. (No `ordered` attribute: the
    paginator would evaluate it to check the ordering.)"""

    ordered = True

    def __init__(self, ordered, ids: list[int] | None, total: int, *, user=None, presorted=None):
        self.queryset, self.ids, self.total, self.user = ordered, ids or [], total, user
        self.presorted = presorted if total <= EXACT_LIMIT else None

    def __len__(self):
        return self.total

    def count(self):
        return self.total

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        start, stop = index.start or 0, index.stop if index.stop is not None else self.total
        if stop <= len(self.ids):
            page_ids = self.ids[start:stop]
        elif self.presorted is not None:
            page_ids = self.presorted.first(stop)[start:stop]
        else:
            page_ids = list(self.queryset.values_list("pk", flat=True)[start:stop])
        if not page_ids:
            return []
        # Blurbs rendered before (works.cache.blurbs) stand in for their works; only the others
        # are loaded, with the versions their blurbs will be stored under.
        found, versions = blurbs.stored(page_ids, self.user)
        missing = [pk for pk in page_ids if pk not in found]
        works = dict(found)
        if missing:
            for work in self.queryset.filter(pk__in=missing).for_listing():
                work.blurb_versions = versions.get(work.pk)
                works[work.pk] = work
        return [works[pk] for pk in page_ids if pk in works]


class CountedPaginator(Paginator):
    """A paginator given its count (computed once by filters.count_works), and capped at
    MAX_PAGES pages so a far page never becomes a slow OFFSET."""

    def __init__(self, object_list, per_page, *, count: int):
        super().__init__(object_list, per_page)
        self.__dict__["count"] = min(count, MAX_PAGES * per_page)


def work_list_context(
    request: HttpRequest,
    *,
    works,
    ordering: Sequence | None = None,
    include_drafts: bool = False,
    include_mystery: bool = False,
    facets: bool = True,
    search: bool = False,
    within_tag_id: int | None = None,
) -> dict:
    """Filter, count, facet and paginate `works` for the reader: the context of a listing
    (also used by the search page). A fixed number of queries whatever the page length."""
    query_string = request.META.get("QUERY_STRING", "")
    work_filter = WorkFilter.from_query(
        request.GET if len(query_string) <= MAX_QUERY_STRING else QueryDict(),
        query_string=query_string,
    )
    if search and work_filter.query and not work_filter.sort_given:
        work_filter.sort_column, work_filter.sort_given = "_score", True
    work_filter.resolve_tags()
    if within_tag_id is not None:
        work_filter.within_ids = [within_tag_id]
    listable = listable_works(
        works, request.user, include_drafts=include_drafts, include_mystery=include_mystery
    )

    def narrowed(tags=True):
        works = filter_works(listable, work_filter, user=request.user, tags=tags)
        if include_mystery and work_filter.is_filtered:
            # Filtering must not tell which "Mystery Work" carries a tag or a word.
            works = exclude_unrevealed(works, request.user)
        return works

    def in_order(works):
        return order_works(works, work_filter, default=ordering or default_ordering())

    works = narrowed()
    ordered = in_order(works)
    ranked = bool(work_filter.sort_column == "_score" and work_filter.query)
    presorted = presort.for_listing(
        lambda: in_order(narrowed(tags=False)),
        work_filter,
        user=request.user,
        include_drafts=include_drafts,
        default_order=ordering is None,
    )
    total, ids, cap = count_and_ids(
        works, ordered, ranked=ranked, exact=not work_filter.query, presorted=presorted
    )
    listed = OrderedWorks(ordered, ids, total, user=request.user, presorted=presorted)
    paginator = CountedPaginator(listed, WORKS_PER_PAGE, count=total)
    page_number = request.GET.get("page") if not work_filter.ignored else None
    page = paginator.get_page(_page_number(page_number, work_filter))
    if include_mystery and not work_filter.is_filtered:
        # Nor may the tag counts include the tags of unrevealed works.
        facet_works = exclude_unrevealed(ordered, request.user)
        facet_groups, sampled = listing_facets(facet_works, None, total) if facets else ({}, False)
    else:
        facet_groups, sampled = listing_facets(ordered, ids, total) if facets else ({}, False)
    return {
        "works": page.object_list,
        "page_obj": page,
        "paginator": paginator,
        "total_count": total,
        "listing_heading": listing_heading(page, total, cap=cap),
        "pagination": pagination_links(request, page, ignore_query=work_filter.ignored),
        "work_filter": work_filter,
        "filter_notices": work_filter.all_notices,
        "filter_groups": filter_groups(work_filter, facet_groups),
        "facets_sampled": sampled,
        "facet_sample": f"{FACET_SAMPLE:,}",
        "sort_choices": [(key, sort.label) for key, sort in SORTS.items()],
        "filter_action": request.path,
        "languages": LANGUAGES,
    }


def _page_number(raw, work_filter) -> int | str | None:
    """Pages beyond MAX_PAGES or that are not numbers become a notice, never an error."""
    if raw is None or raw == "":
        return None
    number = parse_int(str(raw)[:20], minimum=1, maximum=MAX_ID)
    if number is None:
        work_filter.notices.append(_("That page number is not valid; showing the first page."))
        return 1
    if number > MAX_PAGES:
        work_filter.notices.append(
            _("Only the first %(pages)s pages can be shown; please narrow the filters.")
            % {"pages": f"{MAX_PAGES:,}"}
        )
        return MAX_PAGES
    return number


def work_list_response(
    request: HttpRequest,
    *,
    works,
    heading_in: str | None = None,
    heading_in_url: str | None = None,
    template: str = "works/work_list.html",
    extra_context: Mapping | None = None,
    ordering: Sequence | None = None,
    include_drafts: bool = False,
    include_mystery: bool = False,
    within_tag_id: int | None = None,
) -> HttpResponse:
    """A page of blurbs: "1 - 20 of 3,456 Works in <heading_in>", 20 per page, with the
    filter sidebar (works.listing.filters) applied to `works`.

    `works` is any Work queryset; only what the reader may see is shown. `ordering` replaces
    the default (date updated, newest first), e.g. a series' part order, unless the reader
    chose a sort. `within_tag_id` keeps only works found under that tag, through the same
    path as the filter's tags (one index lookup with them on PostgreSQL).
    """
    context = work_list_context(
        request,
        works=works,
        ordering=ordering,
        include_drafts=include_drafts,
        include_mystery=include_mystery,
        within_tag_id=within_tag_id,
    )
    context.update({"heading_in": heading_in, "heading_in_url": heading_in_url})
    context.update(extra_context or {})
    return render(request, template, context)


@dataclass
class FilterOption:
    tag_id: int
    name: str
    count: int | None
    included: bool
    excluded: bool


@dataclass
class FilterGroup:
    key: str
    label: str
    options: list


def filter_groups(work_filter: WorkFilter, facets: dict) -> list[FilterGroup]:
    """Each tag type's checkboxes: the top tags of the result with their counts, plus any tag
    the reader already included or excluded (so it can be unticked)."""
    groups = []
    for tag_filter in TAG_FILTER_TYPES:
        included = set(work_filter.include.get(tag_filter.key, ()))
        excluded = set(work_filter.exclude.get(tag_filter.key, ()))
        options, seen = [], set()
        for facet in facets.get(tag_filter.key, ()):
            seen.add(facet.tag_id)
            options.append(
                FilterOption(
                    facet.tag_id,
                    facet.name,
                    facet.count,
                    facet.tag_id in included,
                    facet.tag_id in excluded,
                )
            )
        for tag_id in sorted((included | excluded) - seen):
            tag = work_filter.tags.get(tag_id)
            if tag is not None:
                options.append(
                    FilterOption(tag_id, tag.name, None, tag_id in included, tag_id in excluded)
                )
        groups.append(FilterGroup(tag_filter.key, tag_filter.label, options))
    return groups


def listing_heading(page: Page, total: int | None = None, *, cap: int | None = None) -> str:
    """AO3's header text without the " in <tag>" part: "1 - 20 of 3,456 Works" or "3 Works".
    A count that stopped at `cap` (a text search with very many matches) reads "10,000+"."""
    count = page.paginator.count if total is None else total
    total_text = f"{cap:,}+" if cap else f"{count:,}"
    if page.paginator.num_pages > 1:
        return _("%(first)s - %(last)s of %(total)s Works") % {
            "first": f"{page.start_index():,}",
            "last": f"{page.end_index():,}",
            "total": total_text,
        }
    return ngettext("%(total)s Work", "%(total)s Works", count) % {"total": total_text}


@dataclass(frozen=True)
class PageLink:
    number: int | None  # None marks a gap
    url: str = ""
    current: bool = False


def _page_url(request: HttpRequest, number: int, ignore_query: bool = False) -> str:
    query = QueryDict(mutable=True) if ignore_query else request.GET.copy()
    query["page"] = str(number)
    return f"{request.path}?{query.urlencode()}"


def pagination_links(
    request: HttpRequest, page: Page, *, ignore_query: bool = False
) -> dict | None:
    """Links for ol.pagination.actions, keeping every other query parameter (filters)."""
    num_pages = page.paginator.num_pages
    if num_pages <= 1:
        return None
    current = page.number
    shown = {1, num_pages} | set(
        range(max(1, current - PAGINATION_WINDOW), min(num_pages, current + PAGINATION_WINDOW) + 1)
    )
    links, previous = [], 0
    for number in sorted(shown):
        if number - previous > 1:
            links.append(PageLink(None))
        links.append(PageLink(number, _page_url(request, number, ignore_query), number == current))
        previous = number
    return {
        "links": links,
        "previous_url": _page_url(request, current - 1, ignore_query)
        if page.has_previous()
        else "",
        "next_url": _page_url(request, current + 1, ignore_query) if page.has_next() else "",
    }


# What a blurb and a work header derive from a work's tags (all from prefetched tags).


@dataclass(frozen=True)
class Symbol:
    css: str  # e.g. "rating-mature rating"
    text: str


def required_tag_symbols(work, groups=None) -> list[Symbol]:
    """The four AO3 symbols of a blurb: rating, warnings, category, complete."""
    groups = groups if groups is not None else work.tags_by_type()
    ratings = [t.name for t in groups[TagType.RATING]]
    warnings = [t.name for t in groups[TagType.WARNING]]
    categories = [t.name for t in groups[TagType.CATEGORY]]

    rating = ratings[0] if ratings else "Not Rated"
    rating_symbol = Symbol(f"{RATING_CLASSES.get(rating, 'rating-notrated')} rating", rating)

    if SERIOUS_WARNINGS.intersection(warnings):
        warning_class = "warning-yes"
    elif CHOSE_NOT_TO_WARN in warnings or not warnings:
        warning_class = "warning-choosenotto"
    else:
        warning_class = "warning-no"
    warning_text = ", ".join(warnings) or CHOSE_NOT_TO_WARN
    warning_symbol = Symbol(f"{warning_class} warnings", warning_text)

    if not categories:
        category_class, category_text = "category-none", _("No category")
    elif len(categories) > 1:
        category_class, category_text = "category-multi", ", ".join(categories)
    else:
        category_class = CATEGORY_CLASSES.get(categories[0], "category-other")
        category_text = categories[0]
    category_symbol = Symbol(f"{category_class} category", category_text)

    if work.is_complete:
        complete_symbol = Symbol("complete-yes iswip", _("Complete Work"))
    else:
        complete_symbol = Symbol("complete-no iswip", _("Work in Progress"))
    return [rating_symbol, warning_symbol, category_symbol, complete_symbol]


def approved_collections(work) -> list:
    """The collections a work shows in: both sides approved (from prefetched items)."""
    return [item.collection for item in work.collection_items.all() if item.is_approved]


def work_stats(work):
    """The work's counters, or None when it has no stats row (never a query: select_related)."""
    try:
        return work.stats
    except ObjectDoesNotExist:
        return None
