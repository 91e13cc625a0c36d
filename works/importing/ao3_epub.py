"""AO3's EPUB download, and ours (works/downloads/epub.py), read into a ParsedWork.

An EPUB is a ZIP of XHTML pages listed in order by its package file (the OPF). The pages
hold the same preface, chapters and afterword as the HTML download, so they are read in the
spine's order by the HTML reader (works/importing/ao3_html.py `read_pages`): whatever the
book splits into files (ours: one page per chapter; Calibre's, which AO3 uses: wherever a
heading starts a page) reads as one document. The OPF's Dublin Core metadata (dc:title,
dc:creator, dc:subject, dc:date, dc:language, dc:description, dc:source, and the series of
EPUB 3's belongs-to-collection or Calibre's calibre:series) fills in what the pages lack.

The ZIP and its XML are untrusted: sizes are checked before anything is unpacked, and the
XML parser loads no DTD, resolves no entity and reaches no network.
"""

from __future__ import annotations

import datetime
import io
import posixpath
import zipfile
from urllib.parse import unquote

from django.utils.translation import gettext as _
from lxml import etree

from tags.fixed import CATEGORIES, RATINGS, WARNINGS
from works.importing import ao3_html
from works.importing.parsed import ParsedSeries, ParsedWork, SourceUnreadable

MAX_UNPACKED = 60 * 1024 * 1024  # all pages together, once unpacked
MAX_ENTRIES = 5000
_NS = {
    "opf": "http://www.idpf.org/2007/opf",
    "dc": "http://purl.org/dc/elements/1.1/",
    "c": "urn:oasis:names:tc:opendocument:xmlns:container",
}
_PAGE_TYPES = {"application/xhtml+xml", "text/html"}
# AO3 puts "Fanworks" first among the book's subjects so that readers do not shelve the
# work under its rating; it is no tag of the work.
_NOT_TAGS = {"fanworks"}


def _xml(data: bytes):
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
    )
    try:
        return etree.fromstring(data, parser=parser)
    except etree.XMLSyntaxError as error:
        raise SourceUnreadable(_("The EPUB's package file cannot be read.")) from error


class _Book:
    def __init__(self, data: bytes):
        try:
            self.zip = zipfile.ZipFile(io.BytesIO(data))
        except (zipfile.BadZipFile, ValueError) as error:
            raise SourceUnreadable(_("This is not an EPUB file (it is no ZIP archive).")) from error
        entries = self.zip.infolist()
        if len(entries) > MAX_ENTRIES or sum(e.file_size for e in entries) > MAX_UNPACKED:
            raise SourceUnreadable(_("This EPUB is too large once unpacked."))
        self.names = {entry.filename for entry in entries}

    def read(self, name: str) -> bytes:
        if name not in self.names:
            raise SourceUnreadable(_("The EPUB lacks a file it lists: %(name)s") % {"name": name})
        try:
            with self.zip.open(name) as member:
                data = member.read(MAX_UNPACKED + 1)
        except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError) as error:
            raise SourceUnreadable(_("The EPUB is damaged: %(name)s") % {"name": name}) from error
        if len(data) > MAX_UNPACKED:
            raise SourceUnreadable(_("This EPUB is too large once unpacked."))
        return data


def _text(element) -> str:
    return " ".join("".join(element.itertext()).split()) if element is not None else ""


def _date(value: str) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value.strip()[:10])
    except ValueError:
        return None


def _package(book: _Book):
    """The OPF's root and the folder its hrefs are relative to."""
    if "META-INF/container.xml" not in book.names:
        raise SourceUnreadable(_("This is not an EPUB file (it has no META-INF/container.xml)."))
    container = _xml(book.read("META-INF/container.xml"))
    rootfile = container.find(".//c:rootfile", _NS)
    path = rootfile.get("full-path") if rootfile is not None else None
    if not path:
        raise SourceUnreadable(_("This EPUB does not say where its package file is."))
    return _xml(book.read(path)), posixpath.dirname(path)


def _pages(book: _Book, opf, base: str) -> list:
    manifest = {}
    for item in opf.iterfind("opf:manifest/opf:item", _NS):
        manifest[item.get("id")] = item
    pages = []
    for ref in opf.iterfind("opf:spine/opf:itemref", _NS):
        item = manifest.get(ref.get("idref"))
        if item is None or item.get("media-type") not in _PAGE_TYPES:
            continue
        if "nav" in (item.get("properties") or "").split():
            continue  # the table of contents repeats the chapter titles
        href = posixpath.normpath(posixpath.join(base, unquote(item.get("href") or "")))
        data = book.read(href)
        if data.strip():
            pages.append(ao3_html.page(data))
    return pages


def _series(opf) -> list[ParsedSeries]:
    """EPUB 3's belongs-to-collection (ours) or Calibre's calibre:series (AO3's)."""
    metas = list(opf.iterfind("opf:metadata/opf:meta", _NS))
    found = []
    for meta in metas:
        if meta.get("property") != "belongs-to-collection":
            continue
        ref = "#" + (meta.get("id") or "")
        position = next(
            (
                m.text
                for m in metas
                if m.get("refines") == ref and m.get("property") == "group-position"
            ),
            None,
        )
        found.append(ParsedSeries(title=_text(meta), position=_int(position)))
    by_name = {m.get("name"): m.get("content") for m in metas if m.get("name")}
    if not found and by_name.get("calibre:series"):
        found.append(
            ParsedSeries(
                title=by_name["calibre:series"], position=_int(by_name.get("calibre:series_index"))
            )
        )
    return found


def _int(value) -> int | None:
    try:
        return int(float(value))
    except (TypeError, ValueError):
        return None


def _fill_from_package(parsed: ParsedWork, opf) -> None:
    """What the pages did not say, from the OPF's metadata."""
    meta = opf.find("opf:metadata", _NS)
    if meta is None:
        return

    def values(name):
        return [_text(e) for e in meta.iterfind(f"dc:{name}", _NS) if _text(e)]

    if not parsed.title and values("title"):
        parsed.title = values("title")[0]
    if not parsed.creators:
        parsed.creators = values("creator")
    if not parsed.language and values("language"):
        parsed.language = values("language")[0]
    if not parsed.published and values("date"):
        parsed.published = _date(values("date")[0])
    if not parsed.summary and values("description"):
        description = values("description")[0]
        parsed.summary = description.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    if not parsed.source_url:
        for value in values("source") + values("identifier"):
            if value.startswith(("http://", "https://")):
                parsed.source_url = value
                break
    if not parsed.series:
        parsed.series = _series(opf)
    if not parsed.tags:
        fixed = {
            **{name.casefold(): "rating" for name in RATINGS},
            **{name.casefold(): "warning" for name in WARNINGS},
            **{name.casefold(): "category" for name in CATEGORIES},
        }
        for subject in values("subject"):
            if subject.casefold() in _NOT_TAGS:
                continue
            parsed.tags.setdefault(fixed.get(subject.casefold(), "freeform"), []).append(subject)
        if parsed.tags:
            parsed.warnings.append(
                _("The book's pages have no tag list: its subjects were imported as tags.")
            )


def parse(data: bytes) -> ParsedWork:
    """Read an AO3-style EPUB download. Raises SourceUnreadable for what is no EPUB."""
    book = _Book(data)
    opf, base = _package(book)
    pages = _pages(book, opf, base)
    parsed = ao3_html.read_pages(pages) if pages else ParsedWork(title="", chapters=[])
    _fill_from_package(parsed, opf)
    return parsed
