"""Importing a work from its address on an archive that speaks AO3's markup (this archive,
AO3, or another built like them): `import_from_url(url)` returns a ParsedWork.

It reads the work as a guest's browser would, through works/importing/fetch.py (public
addresses only, limits on size and time):
1. any address of the work (`/works/<id>`, a chapter, the work inside a collection) becomes
   the entire-work view past the adult notice: `/works/<id>?view_adult=true&view_full_work=true`;
2. a page that is still the adult notice is answered once with its "Yes, Continue" link;
3. the page is read by works/importing/ao3_page.py;
4. if it shows fewer chapters than its stats count (an archive without the entire-work
   view, or an entire work larger than one fetch may read), the chapters are fetched one by
   one, from the chapter index (`/works/<id>/navigate`) or else by following "Next Chapter"
   links, all on the same site.
A work the importer may not see (restricted to logged-in readers, hidden, a draft, deleted,
unrevealed) is refused with code "not_visible" and a message saying what to do instead.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from django.utils.translation import gettext as _

from archive.errors import Refused
from works.importing import ao3_page
from works.importing.fetch import FetchError, fetch
from works.importing.parsed import ParsedWork

WORK_PATH = re.compile(r"^(?:/collections/[^/]+)?/works/(\d+)(?:/chapters/(\d+))?/?$")
# Chapter pages fetched one by one at most (each is a fetch with its own limits).
MAX_CHAPTER_PAGES = 200


def work_address(url: str) -> tuple[str, int]:
    """The site ("https://host") and the work's id of any address of a work."""
    parts = urlsplit(url.strip())
    match = WORK_PATH.match(parts.path)
    if parts.scheme not in ("http", "https") or not parts.netloc or not match:
        raise Refused(
            _(
                "That address is not a work's page. Use the address of the work itself, "
                "like https://archive.example.org/works/123."
            ),
            field="url",
            code="not_a_work_url",
        )
    return f"{parts.scheme}://{parts.netloc}", int(match.group(1))


def import_from_url(url: str) -> ParsedWork:
    site, work_id = work_address(url)
    work_url = f"{site}/works/{work_id}"
    try:
        page = _work_page(f"{work_url}?view_adult=true&view_full_work=true")
    except FetchError as error:
        if error.code != "too_large":
            raise
        # The entire work is more than one page may be: read it chapter by chapter.
        page = _work_page(f"{work_url}?view_adult=true")
    parsed = page.parsed
    parsed.source_url = work_url
    shown = len(parsed.chapters)
    if page.posted_chapters and shown < page.posted_chapters:
        _fetch_chapters_one_by_one(page, site=site, work_url=work_url)
    if not parsed.chapters or not any(c.body.strip() for c in parsed.chapters):
        raise Refused(
            _("The page at that address shows no text of the work."),
            field="url",
            code="not_a_work_page",
        )
    return parsed


def _work_page(url: str) -> ao3_page.WorkPage:
    """A work or chapter page, past the adult notice, read; refusals for anything else."""
    fetched = _fetch(url)
    doc = ao3_page.read_document(fetched.text())
    kind = ao3_page.page_kind(doc, fetched.url)
    if kind == "adult_notice":
        onward = ao3_page.adult_continue_url(doc, fetched.url)
        if onward and _same_site(onward, url):
            fetched = _fetch(onward)
            doc = ao3_page.read_document(fetched.text())
            kind = ao3_page.page_kind(doc, fetched.url)
    if kind == "restricted":
        raise Refused(
            _(
                "That work is shown only to people logged in to its archive, and the importer "
                "reads as a guest. Download it there (HTML or EPUB) and import the file instead."
            ),
            field="url",
            code="not_visible",
        )
    if kind == "mystery":
        raise Refused(
            _("That work is in a collection that has not revealed it yet."),
            field="url",
            code="not_visible",
        )
    not_a_work = Refused(
        _(
            "The page at that address is not a work page the importer can read "
            "(it reads archives that use AO3's pages)."
        ),
        field="url",
        code="not_a_work_page",
    )
    if kind != "work":
        raise not_a_work
    try:
        return ao3_page.read_work(doc, url=fetched.url)
    except ao3_page.NotAWorkPage as error:
        raise not_a_work from error


def _fetch(url: str):
    try:
        return fetch(url)
    except FetchError as error:
        if error.code in ("not_found", "forbidden"):
            raise Refused(
                _(
                    "No work is visible at that address: it may have been deleted or hidden, "
                    "or it is a draft."
                ),
                field="url",
                code="not_visible",
            ) from error
        raise


def _fetch_chapters_one_by_one(page: ao3_page.WorkPage, *, site: str, work_url: str) -> None:
    """Replace the chapters a work page showed with every chapter, each from its own page."""
    parsed = page.parsed
    index = _chapter_index(work_url)
    chapters, dates = [], {}
    if index:
        urls = [entry.url for entry in index]
        dates = {entry.url: entry.published for entry in index}
    else:
        urls = [u for u in page.chapter_urls if u]
    next_url = page.next_chapter_url
    seen = set()
    while urls or next_url:
        url = urls.pop(0) if urls else next_url
        next_url = ""
        if url in seen or not _same_site(url, site):
            continue
        if len(seen) >= MAX_CHAPTER_PAGES:
            parsed.warnings.append(
                _("Only the first %(count)d chapters were imported.") % {"count": len(seen)}
            )
            break
        seen.add(url)
        chapter_page = _work_page(f"{url.split('?', 1)[0]}?view_adult=true")
        if chapter_page.parsed.chapters:
            chapter = chapter_page.parsed.chapters[0]
            chapter.published = dates.get(url)
            chapters.append(chapter)
        if not index:
            next_url = chapter_page.next_chapter_url
    if len(chapters) >= len(parsed.chapters):
        parsed.chapters = chapters
    if page.posted_chapters and len(parsed.chapters) < page.posted_chapters:
        parsed.warnings.append(
            _("The work has %(posted)d chapters; %(found)d could be read.")
            % {"posted": page.posted_chapters, "found": len(parsed.chapters)}
        )


def _chapter_index(work_url: str) -> list[ao3_page.IndexEntry]:
    try:
        fetched = fetch(f"{work_url}/navigate")
    except FetchError:
        return []
    doc = ao3_page.read_document(fetched.text())
    chapters_path = urlsplit(work_url).path + "/chapters/"
    return [
        entry
        for entry in ao3_page.read_chapter_index(doc, url=fetched.url)
        if _same_site(entry.url, work_url) and urlsplit(entry.url).path.startswith(chapters_path)
    ]


def _same_site(url: str, site: str) -> bool:
    a, b = urlsplit(url), urlsplit(site)
    return (a.scheme, a.netloc) == (b.scheme, b.netloc)
