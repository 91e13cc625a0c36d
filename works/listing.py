"""The one work listing behind /works and every other list of works.

Tag, user, collection and series pages all call `work_list_response()` with their own base
queryset; this module restricts it to what the reader may see, orders and paginates it, and
prefetches what a blurb shows, in a fixed number of queries whatever the page length.
Issue 4 adds the filter form here: it narrows `works` before the count and the page.

It also holds what a blurb derives from a work (AO3's required-tags symbols) so the blurb
template, the work page and the download say the same thing.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.core.exceptions import ObjectDoesNotExist
from django.core.paginator import Page, Paginator
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tags.fixed import CATEGORY_CLASSES, RATING_CLASSES
from tags.models import TagType

from .anonymity import exclude_unrevealed

WORKS_PER_PAGE = 20
# How many page links sit on each side of the current page before a gap ("…").
PAGINATION_WINDOW = 2

SERIOUS_WARNINGS = frozenset(
    {"Graphic Depictions Of Violence", "Major Character Death", "Rape/Non-Con", "Underage Sex"}
)
NO_WARNINGS = "No Archive Warnings Apply"
CHOSE_NOT_TO_WARN = "Creator Chose Not To Use Archive Warnings"


def default_ordering():
    """Date updated, newest first (drafts, which have no update date, last)."""
    return [F("revised_at").desc(nulls_last=True), "-id"]


def listable_works(works, user, *, include_drafts: bool = False, include_mystery: bool = False):
    """`works` narrowed to what `user` may see in a list. Drafts belong on their creator's
    dashboard, never in a public list, unless the caller asks for them. Works of unrevealed
    collections are left out (works.anonymity) except where the caller shows them as
    "Mystery Work" (the collection's own pages)."""
    works = works.visible_to(user)
    if not include_drafts:
        works = works.filter(posted=True)
    if not include_mystery:
        works = exclude_unrevealed(works, user)
    return works


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
) -> HttpResponse:
    """A page of blurbs: "1 - 20 of 3,456 Works in <heading_in>", 20 per page.

    `works` is any Work queryset; only what the reader may see is shown. `ordering` replaces
    the default (date updated, newest first), e.g. a series' part order.
    """
    works = listable_works(
        works, request.user, include_drafts=include_drafts, include_mystery=include_mystery
    )
    works = works.order_by(*(ordering or default_ordering())).for_listing()
    paginator = Paginator(works, WORKS_PER_PAGE)
    # get_page() turns any bad page number into a normal page (first or last), never an error.
    page = paginator.get_page(request.GET.get("page"))
    context = {
        "works": page.object_list,
        "page_obj": page,
        "paginator": paginator,
        "listing_heading": listing_heading(page),
        "heading_in": heading_in,
        "heading_in_url": heading_in_url,
        "pagination": pagination_links(request, page),
    }
    context.update(extra_context or {})
    return render(request, template, context)


def listing_heading(page: Page) -> str:
    """AO3's header text without the " in <tag>" part: "1 - 20 of 3,456 Works" or "3 Works"."""
    count = page.paginator.count
    total = f"{count:,}"
    if page.paginator.num_pages > 1:
        return _("%(first)s - %(last)s of %(total)s Works") % {
            "first": f"{page.start_index():,}",
            "last": f"{page.end_index():,}",
            "total": total,
        }
    return ngettext("%(total)s Work", "%(total)s Works", count) % {"total": total}


@dataclass(frozen=True)
class PageLink:
    number: int | None  # None marks a gap
    url: str = ""
    current: bool = False


def _page_url(request: HttpRequest, number: int) -> str:
    query = request.GET.copy()
    query["page"] = str(number)
    return f"{request.path}?{query.urlencode()}"


def pagination_links(request: HttpRequest, page: Page) -> dict | None:
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
        links.append(PageLink(number, _page_url(request, number), number == current))
        previous = number
    return {
        "links": links,
        "previous_url": _page_url(request, current - 1) if page.has_previous() else "",
        "next_url": _page_url(request, current + 1) if page.has_next() else "",
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
