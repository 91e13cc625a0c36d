"""OPDS 1.2 catalogue feeds (issue 16): what e-reader apps (KOReader, Thorium, Moon+ Reader)
show when a reader adds the archive by its /opds address.

Navigation feeds list other feeds; acquisition feeds list works, each entry with its summary,
creators (or "Anonymous"), tags as categories and a link per download format. A feed is one
page of OPDS_PAGE works with `next` and `previous` links. What a feed holds follows the same
visibility as the listings: `Work.objects.listable_by(user)`.
"""

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone

from archive.params import parse_int
from archive.site import site_url
from works.downloads.formats import available as download_formats
from works.listing.filters import WorkFilter
from works.listing.querying import default_ordering, filter_works, order_works
from works.models.bylines import byline, creators_with_bylines
from works.models.visibility import secret_work_ids, work_secrets
from works.pages.work import download_name

OPDS_PAGE = 20
MAX_PAGE = 1000  # 20,000 works deep; past that, narrow the feed with filters
NAVIGATION = "application/atom+xml;profile=opds-catalog;kind=navigation"
ACQUISITION = "application/atom+xml;profile=opds-catalog;kind=acquisition"
ACQUIRE = "http://opds-spec.org/acquisition"


@dataclass
class Link:
    href: str
    rel: str
    type: str
    title: str = ""


@dataclass
class Entry:
    id: str
    title: str
    updated: str
    content: str = ""  # plain text for navigation entries
    summary_html: str = ""
    authors: list[str] = field(default_factory=list)
    categories: list[tuple[str, str]] = field(default_factory=list)  # (term, scheme)
    links: list[Link] = field(default_factory=list)
    language: str = ""
    issued: str = ""


def absolute(path: str, **query) -> str:
    query = {k: v for k, v in query.items() if v not in (None, "")}
    return site_url(path) + ("?" + urlencode(query, doseq=True) if query else "")


def now() -> str:
    return timezone.now().isoformat(timespec="seconds")


def navigation_entry(title: str, path: str, content: str, *, kind=NAVIGATION, **query) -> Entry:
    url = absolute(path, **query)
    return Entry(
        id=url,
        title=title,
        updated=now(),
        content=content,
        links=[Link(url, "subsection", kind)],
    )


def work_entry(work, *, anonymous: bool) -> Entry:
    url = site_url(work.get_absolute_url())
    authors = ["Anonymous"] if anonymous else [byline(c) for c in work.pseuds.all()]
    stamp = int(max(d for d in (work.revised_at, work.updated_at) if d).timestamp())
    name = download_name(work)
    links = [Link(url, "alternate", "text/html", work.title)]
    for f in download_formats():
        href = site_url(reverse("works:download", args=[work.pk, name, f.extension]))
        href += "?" + urlencode({"updated_at": stamp})
        links.append(Link(href, ACQUIRE, f.media_type.split(";")[0], f.label))
    return Entry(
        id=url,
        title=work.title,
        updated=(work.revised_at or work.updated_at).isoformat(timespec="seconds"),
        summary_html=work.summary_html or "",
        authors=authors,
        categories=[(tag.name, site_url(tag.get_works_url())) for tag in work.tags.all()],
        links=links,
        language=work.language,
        issued=work.published_at.isoformat() if work.published_at else "",
    )


def work_page(request, works, *, within_tag=None, ordering=None):
    """One page of `works` for the reader, with the listing's filters and sort from the
    query string (AO3's parameters, and the short `sort=`), as (entries, has_next, page)."""
    query = request.GET.copy()
    if "sort" in query and "work_search[sort_column]" not in query:
        query["work_search[sort_column]"] = query["sort"]
    work_filter = WorkFilter.from_query(query)
    if within_tag is not None:
        work_filter.within_ids = [within_tag.pk]
    work_filter.resolve_tags()
    listable = works.listable_by(request.user)
    narrowed = filter_works(listable, work_filter, user=request.user)
    ordered = order_works(
        narrowed, work_filter, default=ordering or default_ordering(), user=request.user
    )
    # A page that is not a number of 1 to MAX_PAGE is the first (archive.params).
    page = parse_int(request.GET.get("page", "1")[:10], minimum=1, maximum=MAX_PAGE) or 1
    start = (page - 1) * OPDS_PAGE
    rows = list(
        ordered.prefetch_related("tags", creators_with_bylines(), "collection_items__collection")[
            start : start + OPDS_PAGE + 1
        ]
    )
    secrets = secret_work_ids()
    entries = [
        work_entry(
            work,
            anonymous=work.pk in secrets and work_secrets(work, request.user).anonymous,
        )
        for work in rows[:OPDS_PAGE]
    ]
    return entries, len(rows) > OPDS_PAGE, page


def page_links(request, path: str, page: int, has_next: bool) -> list[Link]:
    query = {k: request.GET.getlist(k) for k in request.GET if k != "page"}
    links = []
    if page > 1:
        links.append(Link(absolute(path, **query, page=page - 1), "previous", ACQUISITION))
    if has_next:
        links.append(Link(absolute(path, **query, page=page + 1), "next", ACQUISITION))
    return links
