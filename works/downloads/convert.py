"""AZW3, MOBI and PDF made from the EPUB by Calibre's ebook-convert, as AO3 makes them.

PDF through Calibre too (not WeasyPrint): one package for the three formats, and its PDF
output keeps the text selectable and turns the EPUB's table of contents into the PDF's
bookmarks. Calibre renders with Qt WebEngine, which needs an offscreen platform on a
server and, as root, Chromium's sandbox off."""

import os
import subprocess
import tempfile
from pathlib import Path

from django.conf import settings

from works.downloads.formats import ebook_convert

TIMEOUT_SECONDS = 600
EXTRA_ARGS = {
    "pdf": ["--paper-size", "a5", "--pdf-page-numbers", "--pdf-default-font-size", "14"],
    "mobi": ["--mobi-file-type", "old"],
}


class ConversionFailed(Exception):
    pass


def convert(epub_bytes: bytes, extension: str) -> bytes:
    """The EPUB converted to `extension` ("azw3", "mobi" or "pdf")."""
    program = ebook_convert()
    if program is None:
        raise ConversionFailed("Calibre's ebook-convert is not installed")
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "QTWEBENGINE_CHROMIUM_FLAGS": "--no-sandbox --disable-gpu",
        "QTWEBENGINE_DISABLE_SANDBOX": "1",
        "CALIBRE_CONFIG_DIRECTORY": str(Path(tempfile.gettempdir()) / "archive-calibre"),
    }
    with tempfile.TemporaryDirectory(prefix="archive-convert-") as folder:
        source, target = Path(folder) / "work.epub", Path(folder) / f"work.{extension}"
        source.write_bytes(epub_bytes)
        args = [program, str(source), str(target), *EXTRA_ARGS.get(extension, [])]
        try:
            result = subprocess.run(
                args,
                capture_output=True,
                text=True,
                env=env,
                timeout=getattr(settings, "ARCHIVE_DOWNLOAD_TIMEOUT", TIMEOUT_SECONDS),
            )
        except subprocess.TimeoutExpired as error:
            raise ConversionFailed(f"ebook-convert took too long for {extension}") from error
        if result.returncode != 0 or not target.exists():
            tail = (result.stderr or result.stdout)[-2000:]
            raise ConversionFailed(f"ebook-convert failed for {extension}: {tail}")
        return target.read_bytes()
