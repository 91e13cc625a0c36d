"""Import(download(work)) gives the same work: our HTML and EPUB downloads read back field by
field (text as readers see it, tags of every type, language, series and position,
collections, dates, counts, chapters with their titles, summaries, notes and end notes)."""

import datetime

import pytest

from tags.models import TagType
from tests.factories import make_chapter, make_user, make_work
from tests.works.importing.helpers import epub_download, html_download, reader_fields
from works.importing import ao3_epub, ao3_html
from works.models import Chapter, Collection, Work
from works.services import posting
from works.services.imports import import_work

pytestmark = pytest.mark.django_db

BODY_ONE = """The lighthouse keeper counted *ships*, not nights.
Every count went into the ledger & the ledger went under the bed.

> "Forty-one," she said. "Or forty-two, if the fog lies."

- a spool of wick
- two tins of oil
- one **patient** cat

## The second watch

A [chart of the bay](https://example.org/charts/bay?year=1890&sheet=2) hung by the door."""

BODY_TWO = """<p>Winter came in <em>sideways</em>, through the shutters.</p>
<ol><li>bolt the door</li><li>trim the lamp</li></ol>
<p>She wrote <code>NO SHIPS</code> and then, under it, <del>none</del> one.</p>"""

BODY_THREE = "漁船が三隻。\n\nThe last line of the ledger, in her own hand: *enough*."


@pytest.fixture
def original(author):
    series = posting.series_create(creator=author, title="Harbour Seasons")
    make_work(creator=author, title="Before the Lamp")  # part 1
    posting.work_set_series(work=Work.objects.get(title="Before the Lamp"), series=[series])
    Collection.objects.create(name="lantern_week", title="Lantern Week", owner=make_user())
    work = make_work(
        creator=author,
        title="Ledgers & Lamps: <A Winter>",
        summary="A keeper counts the *nights* & the ships.",
        notes="Beginning notes, with a [link](https://example.org/notes).",
        endnotes="End notes: thanks to **everyone** who read.",
        language="es",
        expected_chapters=4,
        tags={
            TagType.RATING: ["Mature"],
            TagType.WARNING: ["Graphic Depictions Of Violence", "Major Character Death"],
            TagType.CATEGORY: ["F/F", "Gen"],
            TagType.FANDOM: ["Harbour Lights", "Tide Tables (Radio)"],
            TagType.RELATIONSHIP: ["Mara Quell/Ines Doyle", "Mara & the Sea"],
            TagType.CHARACTER: ["Mara Quell", "Ines Doyle"],
            TagType.FREEFORM: ["Winter", "Lighthouses", "Alternate Universe - Modern Setting"],
            TagType.PROMPT: ["Lantern Week Day 3: Fog"],
        },
    )
    first = work.chapters.get()
    posting.chapter_update(
        chapter=first,
        fields={
            "title": "The First Watch",
            "summary": "She begins the ledger.",
            "notes": "Chapter *one* notes.",
            "endnotes": "Chapter one end notes.",
            "body": BODY_ONE,
        },
    )
    make_chapter(work, body=BODY_TWO, notes="Only notes here.")
    make_chapter(
        work,
        title="Enough",
        body=BODY_THREE,
        summary="The last count.",
        endnotes="Chapter three end notes.",
    )
    posting.work_set_series(work=work, series=[series])
    posting.work_set_collections(
        work=work, collections=[Collection.objects.get(name="lantern_week")]
    )
    # Backdated: published in 2021, its last chapter in 2022.
    Work.objects.filter(pk=work.pk).update(
        published_at=datetime.date(2021, 3, 4),
        revised_at=datetime.datetime(2022, 5, 6, 18, 30, tzinfo=datetime.UTC),
    )
    chapters = list(work.chapters.order_by("position"))
    for chapter, day in zip(
        chapters,
        [datetime.date(2021, 3, 4), datetime.date(2021, 3, 4), datetime.date(2022, 5, 6)],
        strict=True,
    ):
        Chapter.objects.filter(pk=chapter.pk).update(published_at=day)
    return Work.objects.get(pk=work.pk)


READERS = {"html": (html_download, ao3_html.parse), "epub": (epub_download, ao3_epub.parse)}


@pytest.mark.parametrize("fmt", sorted(READERS))
def test_import_of_a_download_is_the_same_work(original, fmt):
    download, parse = READERS[fmt]
    importer = make_user()
    parsed = parse(download(original))
    copy = import_work(parsed, user=importer, post=True, as_imported=False)

    expected = reader_fields(original)
    # The original carries something in every field compared.
    assert [c["title"] for c in expected["chapters"]] == ["The First Watch", "", "Enough"]
    assert all(expected["tags"][t] for t in TagType if t != TagType.MEDIA)
    assert expected["series"] == [("Harbour Seasons", 2)]
    assert expected["collections"] == ["lantern_week"] and expected["words"] > 80
    # The importer has their own series of that name, with the work at the same place.
    assert reader_fields(copy) == expected
    assert copy.work_creators.get().user == importer
    assert copy.import_warnings == []


@pytest.mark.parametrize("fmt", sorted(READERS))
def test_download_read_back_names_its_creator_and_source(original, fmt, settings):
    settings.ARCHIVE_SITE_URL = "https://archive.example"
    download, parse = READERS[fmt]
    parsed = parse(download(original))
    assert parsed.creators == ["author"]
    assert parsed.source_url == f"https://archive.example/works/{original.pk}"
    copy = import_work(parsed, user=make_user(), post=True, as_imported=True)
    assert copy.imported_creator == "author"
    assert copy.imported_from_url == f"https://archive.example/works/{original.pk}"


@pytest.mark.parametrize("fmt", sorted(READERS))
def test_one_shot_download_reads_back_as_one_untitled_chapter(author, fmt):
    download, parse = READERS[fmt]
    work = make_work(creator=author, title="A Single Night", summary="Short.")
    parsed = parse(download(work))
    assert [c.title for c in parsed.chapters] == [""]
    copy = import_work(parsed, user=make_user(), post=True, as_imported=False)
    assert reader_fields(copy) == reader_fields(work)


@pytest.mark.parametrize("fmt", sorted(READERS))
def test_work_in_progress_keeps_its_unknown_total(author, fmt):
    download, parse = READERS[fmt]
    work = make_work(creator=author, expected_chapters=None, chapters=2)
    parsed = parse(download(work))
    assert parsed.expected_chapters is None and parsed.complete is False
    copy = import_work(parsed, user=make_user(), post=True, as_imported=False)
    assert copy.chapters_display == "2/?"
    assert reader_fields(copy) == reader_fields(work)


def test_gifts_of_our_download_are_read_back(author):
    work = make_work(creator=author)
    posting.work_update(work=work, fields={}, recipients=["Someone Far Away"], editor=author)
    parsed = ao3_html.parse(html_download(work))
    assert parsed.recipients == ["Someone Far Away"]
