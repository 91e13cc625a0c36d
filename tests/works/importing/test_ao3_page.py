"""A work page in AO3's own markup (hand-written fixtures, original text, under fixtures/)
read by works/importing/ao3_page.py, alone and through url.py from a stub server."""

import datetime
import json
from pathlib import Path

import pytest
from django.utils.html import escape

from archive.errors import Refused
from tests.security import CORPUS_SIZE, check_xss
from tests.works.importing.stub_server import StubServer
from works.importing import ao3_page
from works.importing.url import import_from_url
from works.rendering import render_markdown

FIXTURES = Path(__file__).parent / "fixtures"
HTML = {"Content-Type": "text/html; charset=utf-8"}
URL = "https://archive.example/works/424242?view_adult=true&view_full_work=true"


def _fixture(name):
    return (FIXTURES / name).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def page():
    return ao3_page.read_work(ao3_page.read_document(_fixture("ao3_work.html")), url=URL)


@pytest.fixture(scope="module")
def work(page):
    return page.parsed


def test_recognises_the_kind_of_page():
    read = ao3_page.read_document
    assert ao3_page.page_kind(read(_fixture("ao3_work.html"))) == "work"
    assert ao3_page.page_kind(read(_fixture("ao3_adult_notice.html"))) == "adult_notice"
    assert ao3_page.page_kind(read("<p>Hello</p>")) == "other"
    login = read("<form><input name='user[login]'></form>")
    assert ao3_page.page_kind(login, "https://a.example/users/login?restricted=true") == (
        "restricted"
    )


def test_title_creators_and_gift(work):
    assert work.title == "The Glass Orchard"
    assert work.creators == ["Tamsin_Reed", "Pip (pomology)"]
    assert work.recipients == ["Wren", "Old Tom"]  # "Inspired by" is not a gift


def test_summary_notes_end_notes(work):
    assert work.summary == (
        "<p>Odile grows apples. Marguerite blows glass. One winter the two trades "
        "<em>meet</em>.</p>"
    )
    assert (
        work.notes == "<p>Written over one long weekend.</p>\n<p>No real orchards were harmed.</p>"
    )
    assert "See the end" not in work.notes and "Inspired" not in work.notes
    assert work.endnotes == "<p>Thank you for reading. Comments are <em>always</em> welcome.</p>"


def test_tags_by_type(work):
    assert work.tags == {
        "rating": ["General Audiences"],
        "warning": ["No Archive Warnings Apply"],
        "category": ["Gen", "F/F"],
        "fandom": ["Original Work"],
        "relationship": ["Odile & Marguerite"],
        "character": ["Odile (Original Character)", "Marguerite (Original Character)"],
        "freeform": ["Orchards", "Glassblowing", "Sisters Who Are Not Sisters"],
    }


def test_language_series_collections(work):
    assert work.language == "fr"
    (series,) = work.series
    assert (series.title, series.position, series.url) == (
        "Orchard Seasons",
        2,
        "https://archive.example/series/9876",
    )
    assert work.collections == ["OrchardFest2023", "small_fruits"]


def test_stats_of_a_work_in_progress(page, work):
    assert work.published == datetime.date(2023, 5, 14)
    assert work.updated == datetime.date(2023, 6, 2)
    assert work.words == 1234
    assert page.posted_chapters == 2
    assert work.expected_chapters is None and work.complete is False


def test_chapters(page, work):
    first, second = work.chapters
    assert (first.title, second.title) == ("Grafting", "")
    assert first.summary == "<p>A branch is cut.</p>"
    assert first.notes == "<p>Grafting is done in late winter.</p>"
    assert first.endnotes == "<p>Next: the furnace.</p>"
    assert first.body.startswith("<p>The knife was colder than the branch.</p>")
    assert "<strong>once</strong>" in first.body and "<hr>" in first.body
    assert "Chapter Text" not in first.body
    assert not any(line.startswith(" ") for line in first.body.splitlines())
    assert (second.summary, second.notes, second.endnotes) == ("", "", "")
    assert second.body.startswith("<p>Marguerite's furnace never went out")
    assert page.chapter_urls == [
        "https://archive.example/works/424242/chapters/1111",
        "https://archive.example/works/424242/chapters/1112",
    ]


def test_a_language_the_archive_does_not_know_is_a_warning():
    text = _fixture("ao3_work.html").replace(
        '<dd class="language" lang="fr">Français</dd>',
        '<dd class="language" lang="x-kl">Klingon</dd>',
    )
    parsed = ao3_page.read_work(ao3_page.read_document(text), url=URL).parsed
    assert parsed.language == ""
    assert any("Klingon" in warning for warning in parsed.warnings)


def test_a_page_without_a_work_is_refused_by_the_reader():
    with pytest.raises(ao3_page.NotAWorkPage):
        ao3_page.read_work(ao3_page.read_document("<div id='workskin'><p>Just a page</p></div>"))


# --- through url.py, from a stub server ------------------------------------------------------


@pytest.fixture
def allow_private(settings):
    settings.ARCHIVE_IMPORT_ALLOW_PRIVATE = True


def test_imports_the_fixture_work_by_url(allow_private):
    with StubServer({"/works/424242": (200, HTML, _fixture("ao3_work.html").encode())}) as stub:
        parsed = import_from_url(stub.url("/works/424242/chapters/1112"))
        path, query, _headers = stub.requests[0]
    assert (path, query) == ("/works/424242", "view_adult=true&view_full_work=true")
    assert parsed.title == "The Glass Orchard" and len(parsed.chapters) == 2
    assert parsed.source_url == stub.url("/works/424242")
    assert len(stub.requests) == 1  # both chapters were on the page: nothing more fetched


def test_an_archive_that_still_shows_the_notice_is_answered_once(allow_private):
    pages = iter([_fixture("ao3_adult_notice.html"), _fixture("ao3_oneshot.html")])

    def answer(handler):
        body = next(pages).encode()
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html; charset=utf-8")
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    with StubServer({"/works/515151": answer}) as stub:
        parsed = import_from_url(stub.url("/works/515151"))
        assert [q for _p, q, _h in stub.requests] == [
            "view_adult=true&view_full_work=true",
            "view_adult=true",
        ]
    assert parsed.title == "Salt and Ember" and parsed.creators == ["brine"]
    assert parsed.tags["rating"] == ["Mature"]
    (chapter,) = parsed.chapters
    assert chapter.title == "" and chapter.body == (
        "<p>The stove in the galley burned all night.</p>\n"
        "<p>Nobody on deck slept; everybody pretended to.</p>"
    )
    assert parsed.complete is True and parsed.expected_chapters == 1
    assert parsed.published == datetime.date(2022, 11, 30) and parsed.updated is None


# --- the hostile corpus ----------------------------------------------------------------------


def parse_ao3_then_render(text):
    """A hostile case put, as raw markup, in every place of the fixture work page an author
    fills (title, tag, summary, notes, chapter title and text, end notes); the page is read and
    every field rendered as the posting services would (titles and tags are escaped). Markup
    that breaks the page (an unclosed <script> in the title) leaves no work to import, and the
    importer refuses the page (url.py answers "not a work page")."""
    page = _fixture("ao3_work.html")
    for original in (
        "The Glass Orchard\n",
        ">Orchards<",
        "One winter the two trades <em>meet</em>.",
        "<p>Written over one long weekend.</p>",
        "</a>: Grafting",
        "<p>The knife was colder than the branch.</p>",
        "<p>Next: the furnace.</p>",
        "Comments are <em>always</em> welcome.",
    ):
        assert original in page
        page = page.replace(original, original[:1] + text + original[-1:])
    try:
        parsed = ao3_page.read_work(ao3_page.read_document(page), url=URL).parsed
    except ao3_page.NotAWorkPage:  # the markup broke the page: nothing is imported
        return ""
    out = [escape(parsed.title), *(escape(n) for names in parsed.tags.values() for n in names)]
    out += [render_markdown(t) for t in (parsed.summary, parsed.notes, parsed.endnotes)]
    for chapter in parsed.chapters:
        out.append(escape(chapter.title))
        out += [render_markdown(t) for t in (chapter.body, chapter.notes, chapter.endnotes)]
    return "".join(f"<div>{part}</div>" for part in out)


def test_every_corpus_case_on_a_work_page_renders_safely(tmp_path):
    report = tmp_path / "xss.json"
    status = check_xss.main(
        [
            "tests.works.importing.test_ao3_page:parse_ao3_then_render",
            "--strict",
            "--json",
            str(report),
        ]
    )
    results = json.loads(report.read_text(encoding="utf-8"))
    failures = {
        r["id"]: r["problems"] + r["warnings"] for r in results["results"] if not r["passed"]
    }
    assert status == 0 and not failures, failures
    assert results["passed"] == len(results["results"]) == CORPUS_SIZE


@pytest.mark.parametrize(
    "body",
    [
        "<html><body><p>A blog post, not a work.</p></body></html>",
        "<div id='workskin'><h2 class='title heading'><script>never closed",
    ],
)
def test_a_page_that_is_not_a_readable_work_is_refused(allow_private, body):
    with StubServer({"/works/77": (200, HTML, body.encode())}) as stub:
        with pytest.raises(Refused) as caught:
            import_from_url(stub.url("/works/77"))
    assert caught.value.code == "not_a_work_page" and caught.value.field == "url"
