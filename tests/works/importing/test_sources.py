"""Which parser reads an upload, files that are not what they say, languages by name, and
EPUBs built to attack the reader (an XML external entity, a ZIP that unpacks huge)."""

import io
import zipfile

import pytest
from django.utils import translation

from tests.works.importing.helpers import FIXTURES, fixture_epub
from works.importing import ao3_epub, ao3_html, sources
from works.importing.parsed import SourceUnreadable
from works.languages import language_code


@pytest.fixture(autouse=True)
def english():
    """The messages checked are the English ones, whatever an earlier test activated."""
    with translation.override("en"):
        yield


def test_an_epub_is_known_by_its_content_whatever_its_name():
    data = fixture_epub("ao3_epub")
    assert sources.file_parser("ferry.html", data) is ao3_epub.parse
    assert sources.file_parser("Ferry.EPUB", data) is ao3_epub.parse
    assert sources.file_parser("page.HTM", b"<html></html>") is ao3_html.parse
    assert sources.file_parser("notes.txt", b"words") is None
    assert sources.parse_upload("ferry.bin", data).title == "The Night Ferry"


def test_file_without_a_work_is_refused_with_a_reason():
    with pytest.raises(SourceUnreadable, match="No work was found"):
        sources.parse_upload("blank.html", b"   ")
    with pytest.raises(SourceUnreadable, match="not an EPUB"):
        sources.parse_upload("bad.epub", b"not a zip at all")


def test_html_that_is_not_utf8_is_read_and_said():
    text = (FIXTURES / "ao3_download_oneshot.html").read_text(encoding="utf-8")
    parsed = ao3_html.parse(text.replace('<meta charset="utf-8" />', "").encode("cp1252"))
    assert parsed.chapters[0].body.startswith("<p>La abuela dejaba sal")
    assert "sabía para quién" in parsed.chapters[0].body
    assert any("Windows-1252" in w for w in parsed.warnings)


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("English", "en"),
        ("Español", "es"),
        ("spanish", "es"),
        ("pt-br", "pt-BR"),
        ("中文-普通话 國語", "zh"),
        ("Deutsch", "de"),
        ("Klingon", None),
        ("", None),
    ],
)
def test_languages_are_known_by_code_own_name_or_english_name(name, code):
    assert language_code(name) == code


def _epub_with(opf: bytes, extra: dict | None = None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as book:
        book.writestr("mimetype", "application/epub+zip")
        book.writestr(
            "META-INF/container.xml",
            '<?xml version="1.0"?><container version="1.0" '
            'xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles>'
            '<rootfile full-path="content.opf" media-type="application/oebps-package+xml"/>'
            "</rootfiles></container>",
        )
        book.writestr("content.opf", opf)
        for name, data in (extra or {}).items():
            book.writestr(name, data)
    return out.getvalue()


def test_epub_entities_are_not_resolved():
    opf = b"""<?xml version="1.0"?>
<!DOCTYPE package [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<package xmlns="http://www.idpf.org/2007/opf" version="2.0">
  <metadata xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>Leak &secret;</dc:title>
  </metadata>
  <manifest><item id="p" href="p.xhtml" media-type="application/xhtml+xml"/></manifest>
  <spine><itemref idref="p"/></spine>
</package>"""
    page = b'<html><body><div class="userstuff"><p>Text.</p></div></body></html>'
    parsed = ao3_epub.parse(_epub_with(opf, {"p.xhtml": page}))
    assert "root:" not in parsed.title
    assert parsed.chapters[0].body == "<p>Text.</p>"


def test_epub_that_unpacks_huge_is_refused_before_unpacking():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as book:
        book.writestr("big.xhtml", b"\0" * (ao3_epub.MAX_UNPACKED + 1))
    with pytest.raises(SourceUnreadable, match="too large once unpacked"):
        ao3_epub.parse(out.getvalue())


def test_epub_without_its_package_file_says_so():
    with pytest.raises(SourceUnreadable, match="container.xml"):
        ao3_epub.parse(_zip_only())


def _zip_only() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as book:
        book.writestr("mimetype", "application/epub+zip")
    return out.getvalue()


def test_story_text_files_go_to_the_review_and_are_read_as_stories():
    story = (FIXTURES / "ffn_lighthouse.txt").read_bytes()
    assert sources.is_story_text("Lighthouse.TXT", story)
    assert not sources.is_story_text("lighthouse.html", story)
    assert not sources.is_story_text("ferry.txt", fixture_epub("ao3_epub"))
    parsed = sources.parse_story_upload(story)
    assert parsed.title == "The Lighthouse Keeper's Daughter" and len(parsed.chapters) == 3
    with pytest.raises(SourceUnreadable, match="There is no text to import"):
        sources.parse_story_upload(b"  \n ")


def test_a_saved_work_page_is_read_as_a_page_not_a_download():
    data = (FIXTURES / "ao3_work.html").read_bytes()
    assert sources.file_parser("The Glass Orchard.html", data) is sources.parse_work_page
    parsed = sources.parse_upload("The Glass Orchard.html", data)
    assert parsed.title == "The Glass Orchard" and len(parsed.chapters) == 2
    assert parsed.creators and all(c.body.strip() for c in parsed.chapters)
    # A download keeps its own reader.
    download = (FIXTURES / "ao3_multichapter.html").read_bytes()
    assert sources.file_parser("cartographer.html", download) is ao3_html.parse


def test_a_download_that_only_mentions_the_markup_is_read_as_a_download():
    text = (FIXTURES / "ao3_download_oneshot.html").read_text(encoding="utf-8")
    text = text.replace("</h1>", '</h1><p>code: id="workskin"</p>', 1)
    parsed = sources.parse_upload("salt.html", text.encode())
    assert parsed.title == "Salt on the Sill"
