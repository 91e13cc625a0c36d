"""Real readers of each format, for the download tests: epubcheck, Calibre's ebook-meta and
ebook-convert, poppler's pdftotext."""

import os
import subprocess
import zipfile
from pathlib import Path
from xml.etree import ElementTree

EPUBCHECK_JAR = "/usr/share/java/epubcheck.jar"
CALIBRE_ENV = {
    **os.environ,
    "QT_QPA_PLATFORM": "offscreen",
    "QTWEBENGINE_CHROMIUM_FLAGS": "--no-sandbox --disable-gpu",
}
NS = {
    "opf": "http://www.idpf.org/2007/opf",
    "dc": "http://purl.org/dc/elements/1.1/",
    "xhtml": "http://www.w3.org/1999/xhtml",
}


def epubcheck(path: Path) -> str:
    """epubcheck's report; raises when it found any error or warning."""
    result = subprocess.run(
        ["java", "-jar", EPUBCHECK_JAR, str(path)], capture_output=True, text=True, timeout=300
    )
    report = result.stdout + result.stderr
    assert result.returncode == 0, report
    assert "No errors or warnings detected." in report, report
    return report


def opf(path: Path) -> ElementTree.Element:
    with zipfile.ZipFile(path) as book:
        container = ElementTree.fromstring(book.read("META-INF/container.xml"))
        rootfile = container.find(".//{*}rootfile").get("full-path")
        return ElementTree.fromstring(book.read(rootfile))


def all_text(path: Path) -> str:
    with zipfile.ZipFile(path) as book:
        return "\n".join(
            book.read(name).decode("utf-8", "replace")
            for name in book.namelist()
            if name != "mimetype"
        )


def ebook_meta(path: Path) -> dict[str, str]:
    result = subprocess.run(
        ["ebook-meta", str(path)], capture_output=True, text=True, env=CALIBRE_ENV, timeout=120
    )
    fields = {}
    for line in result.stdout.splitlines():
        name, sep, value = line.partition(":")
        if sep:
            fields[name.strip()] = value.strip()
    return fields


def as_text(path: Path) -> str:
    """The book's text as Calibre reads it back (PDF: pdftotext)."""
    if path.suffix == ".pdf":
        return subprocess.run(
            ["pdftotext", str(path), "-"], capture_output=True, text=True, timeout=120, check=True
        ).stdout
    target = path.with_suffix(".txt")
    subprocess.run(
        ["ebook-convert", str(path), str(target)],
        capture_output=True,
        env=CALIBRE_ENV,
        timeout=300,
        check=True,
    )
    return target.read_text(encoding="utf-8")
