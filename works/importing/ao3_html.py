"""AO3's HTML download, and ours (which follows it), read into a ParsedWork.

The file is parsed with lxml's HTML parser and read in document order, the way a person
reads it: the preface's `dl` of tags and stats, the title (`h1`), the byline, the summary and
notes (a `p` label such as "Summary:" followed by its `blockquote`), then the chapters (a
heading "Chapter 2: Title" or one of our `div.chapter`s starts one; the `div.userstuff` that
follows is its text), then the afterword's end notes. Labels and headings are matched on
their words, with or without the colon, so AO3's layout (`div.meta.group` headings, "Chapter
Notes" before the text, `div#endnotes`) and ours (`div.chapter`, "Chapter Notes:") both read.

Whatever is taken as author text (a chapter's text, a summary) is not looked into further:
markup an author wrote inside it cannot pose as the download's own. Text is kept as the HTML
it is, for the import service to render and sanitise like a posted work's
(works/rendering.py): nothing here is trusted or shown as it is.

EPUB files hold the same pages (works/importing/ao3_epub.py reads them with `read_pages`).
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from lxml import etree
from lxml import html as lxml_html

from works.importing.parsed import ParsedChapter, ParsedSeries, ParsedWork, SourceUnreadable

# A label's words (lower case, colon dropped) → the field it introduces.
_TEXT_LABELS = {
    "summary": "summary",
    "notes": "notes",
    "end notes": "endnotes",
    "chapter summary": "chapter_summary",
    "chapter notes": "chapter_notes",
    "chapter end notes": "chapter_endnotes",
}
# The preface's dt labels, singular and plural as AO3 writes them.
_TAG_LABELS = {
    "rating": "rating",
    "ratings": "rating",
    "archive warning": "warning",
    "archive warnings": "warning",
    "warning": "warning",
    "warnings": "warning",
    "category": "category",
    "categories": "category",
    "fandom": "fandom",
    "fandoms": "fandom",
    "relationship": "relationship",
    "relationships": "relationship",
    "character": "character",
    "characters": "character",
    "additional tags": "freeform",
    "additional tag": "freeform",
    "freeform": "freeform",
    "freeforms": "freeform",
    "prompt": "prompt",
    "prompts": "prompt",
}
_OTHER_LABELS = {"language", "series", "collections", "collection", "stats"}
_CHAPTER_HEADING = re.compile(r"^chapter\s+(\d+)\s*(?::\s*(?P<title>.*))?$", re.IGNORECASE | re.S)
_DATE = r"(\d{4}-\d{1,2}-\d{1,2})"
_PUBLISHED = re.compile(r"Published:\s*" + _DATE)
_UPDATED = re.compile(r"(Updated|Completed):\s*" + _DATE)
_CHAPTERS = re.compile(r"Chapters:\s*(\d+)\s*/\s*(\d+|\?)")
_SERIES_PART = re.compile(r"Part\s+(\d+)\s+of\s*$", re.IGNORECASE)
_SPACES = re.compile(r"\s+")
_CALIBRE_CLASS = re.compile(r"^calibre\d*$")
_CONTAINERS = {"html", "body", "div", "section", "article", "main"}


def _words(text: str | None) -> str:
    return _SPACES.sub(" ", text or "").strip()


def _label(text: str) -> str:
    return _words(text).rstrip(":").strip().casefold()


def _local(element) -> str:
    tag = element.tag
    if not isinstance(tag, str):
        return ""
    if tag.startswith("{"):
        tag = tag.split("}", 1)[1]
    return tag.lower()


def _classes(element) -> set[str]:
    return set((element.get("class") or "").split())


def inner_html(element) -> str:
    """The element's content as HTML, as it was written, except that the white space between
    its blocks keeps only its line breaks: the Markdown renderer then sees every block
    element at the start of a line (raw HTML, which it leaves alone)."""
    _drop_calibre_classes(element)
    parts = [_escape(element.text.lstrip()) if element.text else ""]
    for child in element:
        if isinstance(child.tag, str):
            parts.append(etree.tostring(child, method="html", encoding="unicode", with_tail=False))
        tail = child.tail or ""
        if tail.strip():
            parts.append(_escape(tail))
        else:
            parts.append("\n" * tail.count("\n"))
    return "".join(parts).strip()


def _drop_calibre_classes(element) -> None:
    """Calibre (which makes AO3's e-books) adds classes "calibre", "calibre5"...: they are
    the converter's, not the author's."""
    for node in element.iterdescendants():
        if not isinstance(node.tag, str) or "calibre" not in (node.get("class") or ""):
            continue
        kept = [c for c in node.get("class").split() if not _CALIBRE_CLASS.match(c)]
        if kept:
            node.set("class", " ".join(kept))
        else:
            del node.attrib["class"]


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _parse_date(text: str) -> datetime.date | None:
    try:
        year, month, day = (int(part) for part in text.split("-"))
        return datetime.date(year, month, day)
    except ValueError:
        return None


@dataclass
class _Chapter:
    started_by_container: bool = False
    has_heading: bool = False
    title: str = ""
    summary: str = ""
    notes: str = ""
    endnotes: str = ""
    body: str | None = None

    @property
    def fresh(self) -> bool:
        return not (self.has_heading or self.summary or self.notes or self.body is not None)


@dataclass
class _Reader:
    parsed: ParsedWork = field(default_factory=lambda: ParsedWork(title="", chapters=[]))
    chapters: list[_Chapter] = field(default_factory=list)
    region: str = ""
    saw_preface: bool = False

    @property
    def current(self) -> _Chapter | None:
        return self.chapters[-1] if self.chapters else None

    def new_chapter(self, *, container: bool = False) -> _Chapter:
        chapter = _Chapter(started_by_container=container)
        self.chapters.append(chapter)
        return chapter

    # Walking the document ----------------------------------------------------------------

    def visit(self, element) -> None:
        skip = set()
        for child in element:
            if not isinstance(child.tag, str) or id(child) in skip:
                continue
            tag, classes, element_id = _local(child), _classes(child), child.get("id") or ""
            if tag == "div" and element_id in ("preface", "chapters", "afterword"):
                outer, self.region = self.region, element_id
                self.saw_preface = self.saw_preface or element_id == "preface"
                self.visit(child)
                self.region = outer
            elif tag == "dl" and self._is_meta(child):
                self.read_meta(child)
            elif tag == "h1" and not self.parsed.title and not self.chapters:
                self.parsed.title = _words(child.text_content())
            elif "byline" in classes and not self.chapters:
                self.read_byline(child)
            elif tag == "p" and "associations" in classes and not self.chapters:
                self.read_recipients(child)
            elif tag == "p" and "message" in classes:
                if self.region != "afterword" and not self.chapters:
                    links = [a.get("href") for a in child.iter("a") if a.get("href")]
                    if links and not self.parsed.source_url:
                        self.parsed.source_url = links[-1].strip()
            elif tag == "p" and _label(child.text_content()) in _TEXT_LABELS:
                target = child.getnext()
                while target is not None and not isinstance(target.tag, str):
                    target = target.getnext()
                if target is not None and _local(target) == "blockquote":
                    self.take_text(_TEXT_LABELS[_label(child.text_content())], target)
                    skip.add(id(target))
            elif tag == "blockquote":
                if not self.chapters and "summary" in classes:
                    self.take_text("summary", child)
                elif not self.chapters and "notes" in classes:
                    self.take_text("notes", child)
            elif tag in ("h2", "h3") and self.region not in ("preface", "afterword"):
                self.read_heading(child, classes)
            elif tag == "div" and "chapter" in classes and self.region != "afterword":
                self.new_chapter(container=True)
                self.visit(child)
            elif (
                tag == "div"
                and "userstuff" in classes
                and self.region not in ("preface", "afterword")
            ):
                chapter = self.current
                if chapter is None or chapter.body is not None:
                    chapter = self.new_chapter()
                chapter.body = inner_html(child)
            elif tag in _CONTAINERS and not ({"endnote-link", "jump"} & classes):
                self.visit(child)

    def read_heading(self, heading, classes: set[str]) -> None:
        text = _words(heading.text_content())
        match = _CHAPTER_HEADING.match(text)
        is_heading = bool({"heading", "toc-heading"} & classes)
        if not match and not (is_heading and self.region == "chapters"):
            return
        if text.casefold() in ("preface", "afterword"):
            return
        title = _words(match.group("title")) if match else ""
        chapter = self.current
        if chapter is None or not (chapter.started_by_container and chapter.fresh):
            chapter = self.new_chapter()
        chapter.has_heading = True
        chapter.title = title

    def take_text(self, label: str, blockquote) -> None:
        text = inner_html(blockquote)
        parsed = self.parsed
        if label in ("summary", "notes") and not self.chapters:
            setattr(parsed, label, text)
        elif label == "endnotes" or (label in ("summary", "notes") and self.chapters):
            # "End Notes" in the afterword; a bare "Notes" after the chapters is the same.
            parsed.endnotes = text
        elif label == "chapter_endnotes":
            chapter = self.current or self.new_chapter()
            chapter.endnotes = text
        else:
            chapter = self.current
            if chapter is None or chapter.body is not None:
                chapter = self.new_chapter()
            setattr(chapter, label.removeprefix("chapter_"), text)

    # The preface -------------------------------------------------------------------------

    @staticmethod
    def _is_meta(dl) -> bool:
        if "tags" in _classes(dl):
            return True
        labels = {_label(dt.text_content()) for dt in dl if _local(dt) == "dt"}
        return bool(labels & (set(_TAG_LABELS) | _OTHER_LABELS))

    def read_meta(self, dl) -> None:
        label = None
        for child in dl:
            tag = _local(child)
            if tag == "dt":
                label = _label(child.text_content())
            elif tag == "dd" and label is not None:
                self.read_meta_value(label, child)
                label = None

    def read_meta_value(self, label: str, dd) -> None:
        parsed = self.parsed
        if label in _TAG_LABELS:
            links = [_words(a.text_content()) for a in dd.iter("a")]
            names = links or [_words(part) for part in dd.text_content().split(",")]
            parsed.tags.setdefault(_TAG_LABELS[label], []).extend(n for n in names if n)
        elif label == "language":
            parsed.language = dd.get("lang") or _words(dd.text_content())
            if dd.get("lang") and not _words(dd.text_content()):
                parsed.language = dd.get("lang")
        elif label == "series":
            self.read_series(dd)
        elif label in ("collections", "collection"):
            for link in dd.iter("a"):
                href = (link.get("href") or "").rstrip("/")
                name = href.rsplit("/collections/", 1)[1] if "/collections/" in href else ""
                parsed.collections.append(name.split("/")[0] or _words(link.text_content()))
        elif label == "stats":
            self.read_stats(_words(dd.text_content()))
        else:
            parsed.warnings.append(_("“%(label)s” in the preface was not read.") % {"label": label})

    def read_series(self, dd) -> None:
        before = dd.text or ""
        for link in dd.iter("a"):
            match = _SERIES_PART.search(_words(before))
            position = int(match.group(1)) if match else None
            self.parsed.series.append(
                ParsedSeries(
                    title=_words(link.text_content()),
                    position=position,
                    url=(link.get("href") or "").strip(),
                )
            )
            before = link.tail or ""

    def read_stats(self, text: str) -> None:
        parsed = self.parsed
        if match := _PUBLISHED.search(text):
            parsed.published = _parse_date(match.group(1))
        if match := _UPDATED.search(text):
            parsed.updated = _parse_date(match.group(2))
            parsed.complete = match.group(1) == "Completed"
        if match := _CHAPTERS.search(text):
            posted, expected = int(match.group(1)), match.group(2)
            parsed.expected_chapters = None if expected == "?" else int(expected)
            if parsed.complete is None:
                parsed.complete = expected != "?" and posted >= int(expected)

    def read_byline(self, byline) -> None:
        links = [a for a in byline.iter("a") if "author" in (a.get("rel") or "").split()]
        links = links or list(byline.iter("a"))
        if links:
            names = [_words(a.text_content()) for a in links]
        else:
            text = _words(byline.text_content())
            text = re.sub(r"^by\s+", "", text, flags=re.IGNORECASE)
            names = [part.strip() for part in text.split(",")]
        self.parsed.creators.extend(name for name in names if name)

    def read_recipients(self, paragraph) -> None:
        text = _words(paragraph.text_content())
        text = re.sub(r"^for\s+", "", text, flags=re.IGNORECASE).rstrip(".").strip()
        self.parsed.recipients.extend(part.strip() for part in text.split(",") if part.strip())

    # The result ----------------------------------------------------------------------------

    def result(self) -> ParsedWork:
        parsed = self.parsed
        for number, chapter in enumerate(self.chapters, start=1):
            if chapter.body is None:
                parsed.warnings.append(
                    _("Chapter %(number)d has no text in the file.") % {"number": number}
                )
            parsed.chapters.append(
                ParsedChapter(
                    body=chapter.body or "",
                    title=chapter.title,
                    summary=chapter.summary,
                    notes=chapter.notes,
                    endnotes=chapter.endnotes,
                )
            )
        return parsed


def decode(data: bytes | str) -> tuple[str, bool]:
    """The file's text and whether it had to be read as Windows-1252 (not UTF-8)."""
    if isinstance(data, str):
        return data, False
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8"), False
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace"), True


def document(text: str):
    """The parsed page (lxml's HTML parser; no network, no entities from a DTD)."""
    return page(text.encode("utf-8"), encoding="utf-8")


def page(data: bytes, *, encoding: str | None = None):
    """One HTML or XHTML page, parsed; SourceUnreadable when lxml finds no document."""
    parser = lxml_html.HTMLParser(encoding=encoding, no_network=True, remove_comments=True)
    try:
        return lxml_html.document_fromstring(data, parser=parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as error:
        raise SourceUnreadable(_("This file holds no page that can be read.")) from error


def read_pages(pages: list) -> ParsedWork:
    """A ParsedWork from parsed pages read in order (one for an HTML file, the spine's
    pages for an EPUB)."""
    reader = _Reader()
    for page in pages:
        body = page.find("body")
        reader.visit(body if body is not None else page)
    return reader.result()


def parse(data: bytes | str) -> ParsedWork:
    """Read an AO3-style HTML download. A file with no chapter text gives a ParsedWork with
    no chapters (the import service refuses it with a message)."""
    text, guessed = decode(data)
    if not text.strip():
        return ParsedWork(title="", chapters=[])
    parsed = read_pages([document(text)])
    if guessed:
        parsed.warnings.append(_("The file was not UTF-8: it was read as Windows-1252."))
    return parsed
