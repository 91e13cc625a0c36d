"""The one work listing behind /works and every other list of works.

Tag, user, collection and series pages all call `work_list_response()` with their own base
queryset; this module restricts it to what the reader may see, orders and paginates it, and
prefetches what a blurb shows, in a fixed number of queries whatever the page length.
The filter form (works.listing.filters) narrows `works` before the count, the facets and the page.

Counting lives in works.listing.counting, the sidebar's facets in works.listing.facets, page
links in works.listing.pagination.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from archive.params import MAX_ID, parse_int
from works.cache import blurbs
from works.languages import LANGUAGES
from works.listing import options, presort
from works.listing.counting import count_and_ids
from works.listing.facets import filter_groups, listing_facets
from works.listing.filters import WorkFilter
from works.listing.options import MAX_QUERY_STRING, SORTS
from works.listing.pagination import pagination_links
from works.listing.querying import default_ordering, filter_works, order_works

WORKS_PER_PAGE = 20
# Deeper pages would be slow OFFSETs at a million works; AO3 caps paging too.
MAX_PAGES = 5000


class OrderedWorks:
    """What the paginator slices: a page is its ids (from `ids`, or a query beyond them:
    sorted first through `presorted` for a result of at most EXACT_LIMIT works), then one
    query for those works with everything a blurb shows. (No `ordered` attribute: the
    paginator would evaluate it to check the ordering.)"""

    ordered = True

    def __init__(self, ordered, ids: list[int] | None, total: int, *, user=None, presorted=None):
        self.queryset, self.ids, self.total, self.user = ordered, ids or [], total, user
        self.presorted = presorted if total <= options.EXACT_LIMIT else None

    def __len__(self):
        return self.total

    def count(self):
        return self.total

    def page_ids(self, start: int, stop: int) -> list[int]:
        """The ids of the works from `start` to `stop` in the listing's order."""
        if stop <= len(self.ids):
            return self.ids[start:stop]
        if self.presorted is not None:
            return self.presorted.first(stop)[start:stop]
        return list(self.queryset.values_list("pk", flat=True)[start:stop])

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        start, stop = index.start or 0, index.stop if index.stop is not None else self.total
        page_ids = self.page_ids(start, stop)
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


@dataclass
class Listing:
    """A listing's results for one reader: the filter, the narrowed and the ordered querysets,
    the count, the first ids in order when counting read them, and the presort (if any)."""

    work_filter: WorkFilter
    ordered: object
    total: int
    ids: list[int] | None
    cap: int | None
    presorted: object


def listing_results(
    user,
    work_filter: WorkFilter,
    *,
    works,
    ordering: Sequence | None = None,
    include_drafts: bool = False,
    include_mystery: bool = False,
    search: bool = False,
    within_tag_id: int | None = None,
    facets: bool = True,
) -> Listing:
    """`works` as `user` lists them with `work_filter`: filtered, ordered and counted, the
    same for every listing page and the API (works.api.works). Without `facets` (a caller
    that shows no sidebar) a guest's first visit reads no facets with its count."""
    if search and work_filter.query and not work_filter.sort_given:
        work_filter.sort_column, work_filter.sort_given = "_score", True
    work_filter.resolve_tags()
    if within_tag_id is not None:
        work_filter.within_ids = [within_tag_id]
    # A listing of every work the reader may list (a tag's works, /works), not a person's,
    # a collection's or a series': works.listing.presort may read a guest's from one table.
    whole_archive = not works.query.has_filters() and not include_mystery
    listable = works.listable_by(
        user, include_drafts=include_drafts, include_mystery=include_mystery
    )

    def narrowed(tags=True):
        works = filter_works(listable, work_filter, user=user, tags=tags)
        if include_mystery and work_filter.is_filtered:
            # Filtering must not tell which "Mystery Work" carries a tag or a word.
            works = works.without_secrets_from(user)
        return works

    def in_order(works):
        return order_works(works, work_filter, default=ordering or default_ordering(), user=user)

    works = narrowed()
    ordered = in_order(works)
    ranked = bool(work_filter.sort_column == "_score" and work_filter.query)
    presorted = presort.for_listing(
        lambda: in_order(narrowed(tags=False)),
        work_filter,
        user=user,
        include_drafts=include_drafts,
        default_order=ordering is None,
        whole_archive=whole_archive,
    )
    total, ids, cap = count_and_ids(
        works,
        ordered,
        ranked=ranked,
        exact=not work_filter.query,
        presorted=presorted,
        facets=facets,
    )
    return Listing(work_filter, ordered, total, ids, cap, presorted)


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
    found = listing_results(
        request.user,
        work_filter,
        works=works,
        ordering=ordering,
        include_drafts=include_drafts,
        include_mystery=include_mystery,
        search=search,
        within_tag_id=within_tag_id,
        facets=facets,
    )
    ordered, ids, total, cap, presorted = (
        found.ordered,
        found.ids,
        found.total,
        found.cap,
        found.presorted,
    )
    listed = OrderedWorks(ordered, ids, total, user=request.user, presorted=presorted)
    paginator = CountedPaginator(listed, WORKS_PER_PAGE, count=total)
    page_number = request.GET.get("page") if not work_filter.ignored else None
    page = paginator.get_page(_page_number(page_number, work_filter))
    if include_mystery and not work_filter.is_filtered:
        # Nor may the tag counts include the tags of unrevealed works.
        facet_works = ordered.without_secrets_from(request.user)
        facet_groups, sampled = listing_facets(facet_works, None, total) if facets else ({}, False)
    elif facets:
        facet_groups, sampled = listing_facets(ordered, ids, total, presorted=presorted)
    else:
        facet_groups, sampled = {}, False
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
        "facet_sample": f"{options.FACET_SAMPLE:,}",
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
    heading_by: str | None = None,
    heading_by_url: str | None = None,
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
    if heading_by:
        # A person's works, as AO3 heads them: "1 - 6 of 6 Works by <login>", the range even
        # on one page (ao3-api reads the total as the heading's fifth word).
        page = context["page_obj"]
        context["listing_heading"] = listing_range(page, context["total_count"], _("Works"))
        context.update({"heading_by": heading_by, "heading_by_url": heading_by_url})
    context.update(extra_context or {})
    return render(request, template, context)


def listing_range(page: Page, total: int, noun: str) -> str:
    """AO3's dashboard heading: "1 - 20 of 3,456 <noun>", "0 - 0 of 0 <noun>" when empty."""
    return _("%(first)s - %(last)s of %(total)s %(noun)s") % {
        "first": f"{page.start_index():,}",
        "last": f"{page.end_index():,}",
        "total": f"{total:,}",
        "noun": noun,
    }


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
