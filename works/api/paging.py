"""Page-numbered lists, and links between the API's answers.

Lists for the API's indexes (tags, fandoms, collections): `?page=` and
`?limit=` (at most MAX_LIMIT), answered as {count, page, limit, pages, results}.

A list's handler takes its filters as one `Query[...]` schema that extends `PageQuery`, and
returns `page_of(queryset, filters)`: one COUNT and one slice, whatever the page's length, so
the number of queries stays fixed. Each list's response schema extends `PageOut` with its own
`results`. Links are paths on this site (`api_path`), like the pages' own links; lists of
works are the works area's GET /works with one filter (`works_url`).
"""

from urllib.parse import urlencode

from django.urls import reverse
from ninja import Field, Schema

DEFAULT_LIMIT = 20
MAX_LIMIT = 100
# Deep offsets cost the database more than any reader needs: 10,000 pages of 100.
MAX_PAGE = 10_000


class PageQuery(Schema):
    page: int = Field(1, ge=1, le=MAX_PAGE, description="Page number, from 1.")
    limit: int = Field(
        DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description=f"Items per page, at most {MAX_LIMIT}."
    )


class PageOut(Schema):
    count: int = Field(description="Items in the whole list.")
    page: int
    limit: int
    pages: int = Field(description="Number of pages (0 for an empty list).")


def page_of(items, paging: PageQuery) -> dict:
    """The page `paging` asks for of an ordered queryset or a list (a page past the end is
    empty): one COUNT and one slice of a queryset."""
    count = len(items) if isinstance(items, list) else items.count()
    start = (paging.page - 1) * paging.limit
    results = list(items[start : start + paging.limit]) if start < count else []
    return {
        "count": count,
        "page": paging.page,
        "limit": paging.limit,
        "pages": -(-count // paging.limit),
        "results": results,
    }


def api_path(rest: str) -> str:
    """/api/v1/<rest>."""
    return f"{reverse('api-v1:api-root')}{rest}"


def works_url(**query) -> str:
    """GET /works with these filters: `tag_id`, `series_id` or `collection` (a name)."""
    return f"{api_path('works')}?{urlencode(query)}"
