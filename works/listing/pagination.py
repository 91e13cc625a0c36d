"""Page links for ol.pagination.actions, and one page of any list."""

from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.http import HttpRequest, QueryDict

from archive.params import parse_int

# How many page links sit on each side of the current page before a gap ("…").
PAGINATION_WINDOW = 2


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
    request: HttpRequest, page: Page, *, ignore_query: bool = False, single_page: bool = False
) -> dict | None:
    """Links for ol.pagination.actions, keeping every other query parameter (filters). None
    for a single page, unless `single_page` (a list AO3 clients page through: ao3-api reads
    Marked for Later's page count from the links, so it needs them on one page too)."""
    num_pages = page.paginator.num_pages
    if num_pages <= 1 and not single_page:
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


def paginate(request: HttpRequest, queryset, per_page: int, *, single_page: bool = False):
    """The page the request asks for (`?page=`, the first when it is not a number) and its
    links (see pagination_links for `single_page`)."""
    number = parse_int(request.GET.get("page"), minimum=1)
    page = Paginator(queryset, per_page).get_page(number)
    return page, pagination_links(request, page, single_page=single_page)
