"""The formats of the Download menu, in AO3's order, and which of them this site can make."""

import shutil
from dataclasses import dataclass

from django.conf import settings


@dataclass(frozen=True)
class Format:
    extension: str
    label: str
    media_type: str
    calibre: bool  # made by Calibre's ebook-convert from the EPUB


FORMATS = {
    f.extension: f
    for f in (
        Format("azw3", "AZW3", "application/vnd.amazon.ebook", True),
        Format("epub", "EPUB", "application/epub+zip", False),
        Format("mobi", "MOBI", "application/x-mobipocket-ebook", True),
        Format("pdf", "PDF", "application/pdf", True),
        Format("html", "HTML", "text/html; charset=utf-8", False),
    )
}


def ebook_convert() -> str | None:
    """The path of Calibre's ebook-convert, or None when it is not installed."""
    return shutil.which(getattr(settings, "ARCHIVE_EBOOK_CONVERT", "ebook-convert"))


def available() -> list[Format]:
    """The formats this site offers: Calibre's only where Calibre is installed."""
    calibre = ebook_convert() is not None
    return [f for f in FORMATS.values() if calibre or not f.calibre]
