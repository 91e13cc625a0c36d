"""Which importer reads a source: the one place the import page asks.

An uploaded file goes to a parser by its content (a ZIP is an EPUB) and then by its name's
ending; each parser returns a ParsedWork (works/importing/parsed.py) or raises
SourceUnreadable with a message for the person importing. Other kinds of source plug in
here beside `parse_upload`: a work page fetched by URL (works/importing/url.py) and pasted or
uploaded story text (works/importing/ffn_text.py) get their own `parse_*` function, and the
import form (works/forms/imports.py) a field that calls it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import PurePath

from django.utils.translation import gettext as _

from works.importing import ao3_epub, ao3_html
from works.importing.parsed import ParsedWork, SourceUnreadable

# A file's ending → the parser of that format.
FILE_PARSERS: dict[str, Callable[[bytes], ParsedWork]] = {
    ".html": ao3_html.parse,
    ".htm": ao3_html.parse,
    ".xhtml": ao3_html.parse,
    ".epub": ao3_epub.parse,
}
ZIP_MAGIC = b"PK\x03\x04"


def file_parser(name: str, data: bytes) -> Callable[[bytes], ParsedWork] | None:
    """The parser for an uploaded file, or None for a kind no importer reads."""
    if data.startswith(ZIP_MAGIC):
        return ao3_epub.parse
    return FILE_PARSERS.get(PurePath(name or "").suffix.lower())


def parse_upload(name: str, data: bytes) -> ParsedWork:
    """Read one uploaded file. Raises SourceUnreadable when no importer can."""
    parser = file_parser(name, data)
    if parser is None:
        raise SourceUnreadable(
            _("Only AO3-style HTML (.html, .htm) and EPUB (.epub) downloads can be imported.")
        )
    parsed = parser(data)
    if not parsed.chapters:
        raise SourceUnreadable(
            _("No work was found in this file: is it an HTML or EPUB download of a work?")
        )
    return parsed
