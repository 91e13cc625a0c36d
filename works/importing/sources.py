"""Which importer reads a source: the one place the import page asks.

An uploaded file goes to a parser by its content (a ZIP is an EPUB) and then by its name's
ending; each parser returns a ParsedWork (works/importing/parsed.py) or raises
SourceUnreadable with a message for the person importing. An HTML file that is a saved work
*page* (AO3's markup: `div#workskin`, `dl.work.meta`) rather than a download is read by
works/importing/ao3_page.py, which reads pages fetched by URL too.

Story text (a .txt file, or text pasted into the page) is not imported at once: its title,
summary and chapters are guessed (works/importing/ffn_text.py), so the page shows them for
review first. `is_story_text()` says which uploads those are; `parse_story_upload()` reads
one.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import PurePath

from django.utils.translation import gettext as _

from works.importing import ao3_epub, ao3_html, ao3_page, ffn_text
from works.importing.parsed import ParsedWork, SourceUnreadable

# A file's ending → the parser of that format.
FILE_PARSERS: dict[str, Callable[[bytes], ParsedWork]] = {
    ".html": ao3_html.parse,
    ".htm": ao3_html.parse,
    ".xhtml": ao3_html.parse,
    ".epub": ao3_epub.parse,
}
ZIP_MAGIC = b"PK\x03\x04"
STORY_TEXT_SUFFIXES = (".txt", ".text")
# How far into an HTML file to look for a work page's markup.
SNIFF_BYTES = 64 * 1024
WORK_PAGE_MARKS = (b'id="workskin"', b"id='workskin'", b'class="work meta group"')


def file_parser(name: str, data: bytes) -> Callable[[bytes], ParsedWork] | None:
    """The parser for an uploaded file, or None for a kind no importer reads."""
    if data.startswith(ZIP_MAGIC):
        return ao3_epub.parse
    parser = FILE_PARSERS.get(PurePath(name or "").suffix.lower())
    if parser is ao3_html.parse and _looks_like_work_page(data):
        return parse_work_page
    return parser


def _looks_like_work_page(data: bytes) -> bool:
    """A saved work page (not a download): its markup names the work skin or the meta list.
    A cheap look first; parse_work_page() reads the markup properly."""
    head = data[:SNIFF_BYTES]
    return any(mark in head for mark in WORK_PAGE_MARKS)


def parse_work_page(data: bytes) -> ParsedWork:
    """A work page saved from a browser (File → Save Page), read as a fetched page is."""
    text, was_cp1252 = ao3_html.decode(data)
    doc = ao3_page.read_document(text)
    if ao3_page.page_kind(doc) != "work":
        # The marks were in some other text: read it as a download after all.
        return ao3_html.parse(data)
    try:
        parsed = ao3_page.read_work(doc).parsed
    except ao3_page.NotAWorkPage:
        return ao3_html.parse(data)
    if was_cp1252:
        parsed.warnings.append(_("The file was not UTF-8: it was read as Windows-1252."))
    return parsed


def is_story_text(name: str, data: bytes) -> bool:
    """A plain-text story (FanFiction.Net-style), to be reviewed before it is imported."""
    return not data.startswith(ZIP_MAGIC) and PurePath(name or "").suffix.lower() in (
        STORY_TEXT_SUFFIXES
    )


def parse_story_upload(data: bytes | str) -> ParsedWork:
    """A story's text (uploaded or pasted) as ffn_text reads it, with its guesses."""
    text, was_cp1252 = ao3_html.decode(data) if isinstance(data, bytes) else (data, False)
    if not text.strip():
        raise SourceUnreadable(_("There is no text to import."))
    parsed = ffn_text.parse_story(text)
    if was_cp1252:
        parsed.warnings.append(_("The file was not UTF-8: it was read as Windows-1252."))
    if not any(chapter.body.strip() for chapter in parsed.chapters):
        raise SourceUnreadable(_("No story text was found: is the text of the story there?"))
    return parsed


def parse_upload(name: str, data: bytes) -> ParsedWork:
    """Read one uploaded file. Raises SourceUnreadable when no importer can."""
    parser = file_parser(name, data)
    if parser is None:
        raise SourceUnreadable(
            _(
                "Only AO3-style HTML (.html, .htm) and EPUB (.epub) downloads and story text "
                "(.txt) can be imported."
            )
        )
    parsed = parser(data)
    if not parsed.chapters:
        raise SourceUnreadable(
            _("No work was found in this file: is it an HTML or EPUB download of a work?")
        )
    return parsed
