"""Files in AO3's own download layout (hand-written fixtures under fixtures/, original text):
the HTML download of a multi-chapter work and of a one-shot, and an EPUB laid out as
Calibre makes AO3's (split pages, extra classes, calibre:series in the OPF). Also which
fields each source keeps, as docs/importing.md's table says."""

import datetime

import pytest

from tags.models import TagType
from tests.factories import make_user
from tests.works.importing.helpers import (
    FIXTURES,
    epub_download,
    fixture_epub,
    html_download,
    reader_fields,
)
from tests.works.importing.test_round_trip import original  # noqa: F401 (fixture)
from works.importing import ao3_epub, ao3_html
from works.importing.parsed import ParsedWork
from works.models import Collection
from works.services import posting
from works.services.imports import import_work

pytestmark = pytest.mark.django_db


def multichapter() -> ParsedWork:
    return ao3_html.parse((FIXTURES / "ao3_multichapter.html").read_bytes())


def test_ao3_html_download_reads_every_field():
    parsed = multichapter()
    assert parsed.title == "The Cartographer's Apprentice"
    assert parsed.creators == ["Wren_Ashdown"]
    assert parsed.source_url == "https://archiveofourown.org/works/4242424"
    assert parsed.tags == {
        "rating": ["Teen And Up Audiences"],
        "warning": ["Graphic Depictions Of Violence", "Major Character Death"],
        "category": ["F/F", "Gen"],
        "fandom": ["Paper Rivers (Novel Series)"],
        "relationship": ["Odile Fenn/Marguerite Sallow"],
        "character": ["Odile Fenn", "Marguerite Sallow", "The Surveyor General"],
        "freeform": ["Maps", "Slow Burn", "Ink Stains"],
    }
    assert parsed.language == "English"
    assert [(s.title, s.position, s.url) for s in parsed.series] == [
        ("Survey Season", 3, "https://archiveofourown.org/series/90909")
    ]
    assert parsed.collections == ["mapmakers_fest_2024"]
    assert parsed.published == datetime.date(2023, 2, 14)
    assert parsed.updated == datetime.date(2023, 6, 30)
    assert (parsed.expected_chapters, parsed.complete) == (5, False)
    assert parsed.summary == (
        "<p>Odile draws every river in the valley except the one that <em>moves</em>.</p>"
    )
    assert parsed.notes == "<p>Written for the fest; the valley is invented.</p>"
    assert parsed.endnotes == "<p>Thank you for reading; more chapters as the ink dries.</p>"
    first, second = parsed.chapters
    assert (first.title, second.title) == ("Field Notes", "Contour Lines")
    assert first.summary == "<p>The first survey goes badly.</p>"
    assert first.notes == "<p>Measurements are in chains.</p>"
    assert first.endnotes == "<p>A chain is sixty-six feet.</p>"
    assert first.body.startswith("<p>The theodolite had a crack")
    assert (second.summary, second.notes, second.endnotes) == ("", "", "")
    assert second.body.endswith("<p>Odile inked the new one <strong>anyway</strong>.</p>")
    assert parsed.warnings == []


def test_ao3_html_download_becomes_a_posted_work(author):
    Collection.objects.create(name="mapmakers_fest_2024", title="Mapmakers", owner=make_user())
    work = import_work(multichapter(), user=author, post=True, as_imported=True)
    fields = reader_fields(work)
    assert fields["title"] == "The Cartographer's Apprentice"
    assert fields["tags"][TagType.RATING] == ["Teen And Up Audiences"]
    assert fields["tags"][TagType.CATEGORY] == ["F/F", "Gen"]
    assert fields["series"] == [("Survey Season", 3)]
    assert fields["collections"] == ["mapmakers_fest_2024"]
    assert (fields["published"], fields["updated"]) == (
        datetime.date(2023, 2, 14),
        datetime.date(2023, 6, 30),
    )
    assert [c["published"] for c in fields["chapters"]] == [
        datetime.date(2023, 2, 14),
        datetime.date(2023, 6, 30),
    ]
    assert [c["words"] for c in fields["chapters"]] == [32, 19]
    assert fields["words"] == 51 and work.chapters_display == "2/5" and not work.is_complete
    assert work.imported_creator == "Wren_Ashdown"
    assert work.imported_from_url == "https://archiveofourown.org/works/4242424"
    assert work.language == "en"


def test_ao3_one_shot_download():
    parsed = ao3_html.parse((FIXTURES / "ao3_download_oneshot.html").read_bytes())
    assert parsed.title == "Salt on the Sill"
    assert parsed.creators == ["Moth (kestrel_and_moth)"]
    assert len(parsed.chapters) == 1 and parsed.chapters[0].title == ""
    assert parsed.chapters[0].body.startswith("<p>La abuela dejaba sal")
    assert (parsed.published, parsed.updated, parsed.expected_chapters, parsed.complete) == (
        datetime.date(2019, 11, 2),
        None,
        1,
        True,
    )
    work = import_work(parsed, user=make_user(), post=True, as_imported=True)
    assert work.language == "es" and work.word_count == 19 and work.is_complete
    assert work.published_at == datetime.date(2019, 11, 2)
    assert work.revised_at.date() == datetime.date(2019, 11, 2)


def test_ao3_style_epub_split_by_calibre_reads_every_field():
    parsed = ao3_epub.parse(fixture_epub("ao3_epub"))
    assert parsed.title == "The Night Ferry"
    assert parsed.creators == ["quill_hollis"]
    assert parsed.source_url == "https://archiveofourown.org/works/5550001"
    assert parsed.tags == {
        "rating": ["Mature"],
        "warning": ["Creator Chose Not To Use Archive Warnings"],
        "fandom": ["Lantern Coast"],
        "character": ["Ferry Captain"],
    }
    assert [(s.title, s.position) for s in parsed.series] == [("Tides and Timetables", 2)]
    assert (parsed.published, parsed.updated) == (
        datetime.date(2024, 5, 1),
        datetime.date(2024, 8, 9),
    )
    assert (parsed.expected_chapters, parsed.complete) == (2, True)
    assert parsed.summary == "<p>A ferry that only runs after midnight.</p>"
    first, second = parsed.chapters
    assert (first.title, first.notes) == (
        "Boarding",
        "<p>The tide tables are real; the ferry is not.</p>",
    )
    assert (second.title, second.endnotes) == ("", "<p>Nell will be back.</p>")
    assert second.body == (
        "<p>On the far shore the lamps were already lit, as if someone expected her.</p>"
    )
    work = import_work(parsed, user=make_user(), post=False, as_imported=True)
    assert work.word_count + work.chapters.get(position=1).word_count == 30  # a draft
    assert not work.posted


def test_epub_without_pages_of_metadata_falls_back_on_its_package():
    """An EPUB whose pages hold only the text: title, creator, date, language and subjects
    come from the OPF (Calibre's calibre:series gives the series)."""
    data = fixture_epub("ao3_epub")
    import io
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as book:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename.endswith("index_split_000.html"):
                content = b"<html><body><p>Cover</p></body></html>"
            book.writestr(info, content)
    parsed = ao3_epub.parse(out.getvalue())
    assert parsed.title == "The Night Ferry"
    assert parsed.creators == ["quill_hollis"]
    assert parsed.language == "en"
    assert parsed.published == datetime.date(2024, 8, 9)
    assert parsed.tags == {
        "rating": ["Mature"],
        "warning": ["Creator Chose Not To Use Archive Warnings"],
        "freeform": ["Lantern Coast", "Ferry Captain"],
    }
    assert [(s.title, s.position) for s in parsed.series] == [("Tides and Timetables", 2)]
    assert parsed.summary == "&lt;p&gt;A ferry that only runs after midnight.&lt;/p&gt;"
    assert len(parsed.chapters) == 2


# Which fields each source keeps: the table in docs/importing.md. A field a source keeps
# must come back filled from a work that has it; one it does not keep comes back empty.
ALL_FIELDS = {
    "title",
    "creators",
    "summary",
    "notes",
    "endnotes",
    "tags",
    "language",
    "series",
    "collections",
    "recipients",
    "published",
    "updated",
    "expected_chapters",
    "source_url",
    "chapter titles",
    "chapter summaries",
    "chapter notes",
    "chapter end notes",
    "chapter text",
    "chapter dates",
}
KEPT = {
    "our HTML": ALL_FIELDS - {"chapter dates"},
    "our EPUB": ALL_FIELDS - {"chapter dates"},
    "AO3 HTML": ALL_FIELDS - {"chapter dates", "recipients"},
}


def _filled(parsed: ParsedWork) -> set[str]:
    values = {
        "title": parsed.title,
        "creators": parsed.creators,
        "summary": parsed.summary,
        "notes": parsed.notes,
        "endnotes": parsed.endnotes,
        "tags": parsed.tags,
        "language": parsed.language,
        "series": parsed.series,
        "collections": parsed.collections,
        "recipients": parsed.recipients,
        "published": parsed.published,
        "updated": parsed.updated,
        "expected_chapters": parsed.expected_chapters,
        "source_url": parsed.source_url,
        "chapter titles": [c.title for c in parsed.chapters if c.title],
        "chapter summaries": [c.summary for c in parsed.chapters if c.summary],
        "chapter notes": [c.notes for c in parsed.chapters if c.notes],
        "chapter end notes": [c.endnotes for c in parsed.chapters if c.endnotes],
        "chapter text": [c.body for c in parsed.chapters if c.body],
        "chapter dates": [c.published for c in parsed.chapters if c.published],
    }
    assert set(values) == ALL_FIELDS
    return {name for name, value in values.items() if value}


@pytest.mark.parametrize("source", sorted(KEPT))
def test_fields_each_source_keeps(source, original, author):  # noqa: F811
    if source == "AO3 HTML":
        parsed = multichapter()
    else:
        posting.work_update(work=original, fields={}, recipients=["A Friend"], editor=author)
        download, parse = {
            "our HTML": (html_download, ao3_html.parse),
            "our EPUB": (epub_download, ao3_epub.parse),
        }[source]
        parsed = parse(download(original))
    assert _filled(parsed) == KEPT[source]
