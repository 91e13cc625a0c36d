"""Reading a work page in AO3's markup (docs/markup.md, "Work page") into a ParsedWork.

This archive's pages and AO3's share that markup, and so do other archives built on AO3's
code, so one reader serves them all. `read_document()` parses the HTML with lxml (a real
HTML parser, never patterns over the text); `page_kind()` says whether the page is a work, the
adult notice, a log-in page for a restricted work or a work not yet revealed; `read_work()`
reads a work page, whether it shows the entire work, one chapter or a one-shot;
`read_chapter_index()` reads `/works/<id>/navigate`. Fetching and following links is
works/importing/url.py's job.

What is read, by selector:
- `div#workskin > div.preface.group`: `h2.title.heading`, `h3.byline.heading a[rel=author]`,
  `div.summary.module`, `div.notes.module` (and its `ul.associations` "For ..." gifts);
- `dl.work.meta.group`: the `dd.<type>.tags` lists, `dd.language[lang]`, `dd.series`,
  `dd.collections`, `dd.stats > dl.stats` (published, status, words, chapters "3/10");
- `div#chapters`: each `div.chapter` (its `h3.title`, summary, notes, end notes and
  `div.userstuff.module`), or a one-shot's `div.userstuff`;
- `div#work_endnotes`.
Text fields keep the page's HTML (a blockquote's contents), which the posting services render
and sanitise like anything an author types.
"""

from __future__ import annotations

import datetime
import html
import re
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urljoin, urlsplit

import lxml.html
from django.utils.translation import gettext as _

from works.importing.parsed import ParsedChapter, ParsedSeries, ParsedWork
from works.importing.text_blocks import xml_safe
from works.languages import LANGUAGE_NAMES, LANGUAGES

TAG_TYPES = ("rating", "warning", "category", "fandom", "relationship", "character", "freeform")
ADULT_NOTICE = "This work could have adult content."
RESTRICTED_NOTICE = "only available to registered users"
CHAPTER_LINK = re.compile(r"/works/(\d+)/chapters/(\d+)/?$")
CHAPTER_HEADING = re.compile(r"^\s*Chapter\s+\d+\s*(?::\s*(.*))?$", re.DOTALL)


class NotAWorkPage(ValueError):
    """The page has no work preface (div#workskin > div.preface.group) to read."""


@dataclass
class WorkPage:
    """A work page as read: the work, and what url.py needs to fetch what the page left out."""

    parsed: ParsedWork
    # How many chapters the stats say are posted ("3/10" gives 3); None when not shown.
    posted_chapters: int | None = None
    # Each chapter shown, with its own URL when the page links it (absolute).
    chapter_urls: list[str] = field(default_factory=list)
    # The "Next Chapter" link of a chapter page, absolute.
    next_chapter_url: str = ""


@dataclass
class IndexEntry:
    url: str
    title: str
    published: datetime.date | None


def read_document(text: str):
    """The page's element tree (lxml.html, as lenient as a browser with broken markup)."""
    text = xml_safe(text)
    try:
        return lxml.html.document_fromstring(text)
    except ValueError:  # a str that declares its own encoding
        return lxml.html.document_fromstring(text.encode("utf-8"))


def page_kind(doc, url: str = "") -> str:
    """ "work", "adult_notice", "restricted", "mystery" or "other"."""
    if _first(doc, "div", id="workskin") is not None:
        return "work"
    text = " ".join(doc.text_content().split())
    parts = urlsplit(url)
    if ADULT_NOTICE in text:
        return "adult_notice"
    if RESTRICTED_NOTICE in text or (
        parts.path.rstrip("/").endswith("/users/login")
        and parse_qs(parts.query).get("restricted") == ["true"]
    ):
        return "restricted"
    if "Mystery Work" in text or "will be revealed soon" in text:
        return "mystery"
    return "other"


def adult_continue_url(doc, url: str) -> str:
    """The notice's "Yes, Continue" link (the one that adds view_adult=true), absolute."""
    for link in doc.iter("a"):
        href = link.get("href") or ""
        if "view_adult=true" in href:
            return urljoin(url, href)
    return ""


def read_work(doc, *, url: str = "") -> WorkPage:
    """Everything a work page shows of the work. `url` is the page's address (links in it are
    made absolute against it, and it becomes the work's source)."""
    skin = _first(doc, "div", id="workskin")
    preface = _first(skin, "div", "preface", "group") if skin is not None else None
    if preface is None:
        raise NotAWorkPage(url)
    parsed = ParsedWork(title=_text(_first(preface, "h2", "title", "heading")), chapters=[])
    parsed.source_url = url
    byline = _first(preface, "h3", "byline", "heading")
    if byline is not None:
        parsed.creators = [_text(a) for a in byline.iter("a") if a.get("rel") == "author"]
    summary = _first(preface, "div", "summary", "module")
    parsed.summary = _blockquote(summary)
    notes = _first(preface, "div", "notes", "module")
    parsed.notes = _blockquote(notes)
    parsed.recipients = _recipients(notes)
    parsed.endnotes = _blockquote(_first(skin, "div", id="work_endnotes"))
    page = WorkPage(parsed=parsed)
    meta = _first(doc, "dl", "work", "meta", "group")
    if meta is not None:
        _read_meta(meta, page, url)
    chapters = _first(skin, "div", id="chapters")
    if chapters is not None:
        _read_chapters(chapters, page, url)
    for item in doc.iter("li"):
        if {"chapter", "next"} <= _classes(item):
            link = _first(item, "a")
            if link is not None and link.get("href"):
                page.next_chapter_url = urljoin(url, link.get("href"))
    return page


def read_chapter_index(doc, *, url: str) -> list[IndexEntry]:
    """The chapters `/works/<id>/navigate` lists, in order: their URLs, titles and dates."""
    entries, seen = [], set()
    for link in doc.iter("a"):
        href = urljoin(url, link.get("href") or "")
        if not CHAPTER_LINK.search(urlsplit(href).path) or href in seen:
            continue
        seen.add(href)
        title = re.sub(r"^\s*\d+\.\s*", "", _text(link))
        published = None
        for sibling in link.itersiblings():
            if "datetime" in _classes(sibling):
                published = _date(_text(sibling).strip("()"))
                break
        entries.append(IndexEntry(url=href, title=title, published=published))
    return entries


# --- the metadata list -----------------------------------------------------------------------


def _read_meta(meta, page: WorkPage, url: str) -> None:
    parsed = page.parsed
    for dd in meta.iterchildren("dd"):
        classes = _classes(dd)
        kind = next((t for t in TAG_TYPES if t in classes), None)
        if kind and "tags" in classes:
            names = [_text(a) for a in dd.iter("a") if "tag" in _classes(a)]
            parsed.tags[kind] = [name for name in names if name]
        elif "language" in classes:
            parsed.language = _language(dd, parsed)
        elif "series" in classes:
            parsed.series = _series(dd, url)
        elif "collections" in classes:
            parsed.collections = _collections(dd)
        elif "stats" in classes:
            _read_stats(dd, page)


def _language(dd, parsed: ParsedWork) -> str:
    code = (dd.get("lang") or "").strip()
    if code in LANGUAGE_NAMES:
        return code
    name = _text(dd).casefold()
    for known_code, known_name in LANGUAGES:
        if name == known_name.casefold() or (code and code.casefold() == known_code.casefold()):
            return known_code
    parsed.warnings.append(
        _("The language “%(language)s” is not one this archive knows: choose it again.")
        % {"language": _text(dd) or code}
    )
    return ""


def _series(dd, url: str) -> list[ParsedSeries]:
    found = []
    for span in dd.iter("span"):
        if "position" not in _classes(span):
            continue
        link = next((a for a in span.iter("a") if "/series/" in (a.get("href") or "")), None)
        if link is None:
            continue
        number = re.search(r"\d+", (span.text or ""))
        found.append(
            ParsedSeries(
                title=_text(link),
                position=int(number.group()) if number else None,
                url=urljoin(url, link.get("href")),
            )
        )
    return found


def _collections(dd) -> list[str]:
    names = []
    for link in dd.iter("a"):
        path = urlsplit(link.get("href") or "").path.rstrip("/")
        match = re.search(r"/collections/([^/]+)$", path)
        names.append(match.group(1) if match else _text(link))
    return [name for name in names if name]


def _read_stats(dd, page: WorkPage) -> None:
    parsed = page.parsed
    stats = _first(dd, "dl", "stats")
    if stats is None:
        return
    for item in stats.iterchildren("dt", "dd"):
        classes, value = _classes(item), _text(item)
        if item.tag == "dt":
            if "status" in classes and value.rstrip(":").strip().lower() == "completed":
                parsed.complete = True
            continue
        if "published" in classes:
            parsed.published = _date(value)
        elif "status" in classes:
            parsed.updated = _date(value)
        elif "words" in classes:
            digits = re.sub(r"\D", "", value)
            parsed.words = int(digits) if digits else None
        elif "chapters" in classes:
            posted, _slash, expected = value.replace(" ", "").partition("/")
            page.posted_chapters = int(posted) if posted.isdigit() else None
            parsed.expected_chapters = int(expected) if expected.isdigit() else None
            if page.posted_chapters is not None:
                parsed.complete = parsed.expected_chapters == page.posted_chapters


# --- the work's text -------------------------------------------------------------------------


def _read_chapters(container, page: WorkPage, url: str) -> None:
    chapter_divs = [
        div
        for div in container.iterchildren("div")
        if "chapter" in _classes(div) and (div.get("id") or "").startswith("chapter-")
    ]
    if not chapter_divs:  # a one-shot: div#chapters > div.userstuff
        body = _first(container, "div", "userstuff")
        page.parsed.chapters.append(ParsedChapter(body=_inner_html(body)))
        return
    for div in chapter_divs:
        prefaces = [d for d in div.iterchildren("div") if {"chapter", "preface"} <= _classes(d)]
        head = prefaces[0] if prefaces else div
        title_el = _first(head, "h3", "title")
        chapter = ParsedChapter(
            body=_inner_html(_first(div, "div", "userstuff", "module")),
            title=_chapter_title(title_el),
            summary=_blockquote(_first(head, "div", "summary", "module")),
            notes=_blockquote(_first(head, "div", "notes", "module")),
            endnotes=_blockquote(_first(div, "div", "end", "notes", "module")),
        )
        page.parsed.chapters.append(chapter)
        link = _first(title_el, "a") if title_el is not None else None
        page.chapter_urls.append(urljoin(url, link.get("href")) if link is not None else "")


def _chapter_title(title_el) -> str:
    """ "Chapter 2: The Harbour" gives "The Harbour"; "Chapter 2" gives ""."""
    if title_el is None:
        return ""
    link = _first(title_el, "a")
    if link is not None:  # the link reads "Chapter N" in any language; the title follows it
        rest = (link.tail or "") + "".join(
            lxml.html.tostring(s, method="text", encoding="unicode") for s in link.itersiblings()
        )
        return " ".join(rest.split()).lstrip(":").strip()
    match = CHAPTER_HEADING.match(_text(title_el))
    return (match.group(1) or "").strip() if match else _text(title_el)


def _recipients(notes) -> list[str]:
    """The names of a gift's "For A, B." line (ul.associations), as credited."""
    if notes is None:
        return []
    for item in notes.iter("li"):
        if item.getparent() is None or "associations" not in _classes(item.getparent()):
            continue
        text = _text(item)
        if not text.startswith("For "):
            continue
        names = text[len("For ") :].rstrip(".").split(",")
        return [name.strip() for name in names if name.strip()]
    return []


def _blockquote(module) -> str:
    """The author text of a summary or notes module: its blockquote.userstuff's HTML."""
    if module is None:
        return ""
    quote = _first(module, "blockquote", "userstuff")
    return _inner_html(quote)


def _inner_html(element) -> str:
    """An element's contents as HTML, without the landmark heading AO3 puts in front of a
    chapter's text. Whitespace between blocks becomes one line break, so no block starts
    indented (Markdown would read an indented block as code)."""
    if element is None:
        return ""
    parts = [_loose_text(element.text)]
    for child in element:
        if not isinstance(child.tag, str):  # comments, processing instructions
            parts.append(_loose_text(child.tail))
            continue
        if child.tag in ("h3", "h2") and "landmark" in _classes(child):
            parts.append(_loose_text(child.tail))
            continue
        parts.append(lxml.html.tostring(child, encoding="unicode", with_tail=False))
        parts.append(_loose_text(child.tail))
    return "".join(parts).strip()


def _loose_text(text: str | None) -> str:
    if not text:
        return ""
    if not text.strip():
        return "\n"
    lines = [line.strip() for line in text.splitlines()]
    return html.escape("\n".join(lines), quote=False)


# --- small helpers ---------------------------------------------------------------------------


def _classes(element) -> set[str]:
    return set((element.get("class") or "").split())


def _first(root, tag: str, *classes: str, id: str | None = None):  # noqa: A002 - HTML's name
    """The first `tag` under `root` (itself included) having all `classes` (and the id)."""
    if root is None:
        return None
    wanted = set(classes)
    for element in root.iter(tag):
        if id is not None and element.get("id") != id:
            continue
        if wanted <= _classes(element):
            return element
    return None


def _text(element) -> str:
    if element is None:
        return ""
    return " ".join(element.text_content().split())


def _date(value: str) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value.strip()[:10])
    except ValueError:
        return None
