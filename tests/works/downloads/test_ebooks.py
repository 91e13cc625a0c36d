"""EPUB, AZW3, MOBI and PDF downloads, each opened with a real reader of its format
(tests/works/downloads/ebooks.py): epubcheck passes every EPUB with no error or warning, and
Calibre and poppler read back the title, the creators and every chapter."""

import zipfile
from pathlib import Path

import pytest
from django.core.cache import cache
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from tags.models import Tag, TagType
from tests.factories import make_chapter, make_user, make_work
from tests.queue import run_worker
from tests.responses import body
from tests.works.downloads import ebooks
from works.downloads import store
from works.models import Work
from works.services import collections as collection_services
from works.services import posting as services

pytestmark = pytest.mark.django_db

TAGS = {
    TagType.RATING: ["Teen And Up Audiences"],
    TagType.WARNING: ["No Archive Warnings Apply"],
    TagType.CATEGORY: ["F/F"],
    TagType.FANDOM: ["Harbour Lights"],
    TagType.RELATIONSHIP: ["Mara/Ines"],
    TagType.CHARACTER: ["Mara Quell", "Ines Vane"],
    TagType.FREEFORM: ["Lighthouses", "Slow Burn"],
}
RICH_BODY = """
A table of the tides:

| Day | High | Low |
| --- | ---- | --- |
| Mon | 6:02 | 12:14 |
| Tue | 6:48 | 13:01 |

<ol start="3" type="a"><li>third</li><li>fourth <ul type="disc"><li>nested</li></ul></li></ol>
<center>The map:</center>
<img src="https://images.example/map.png" alt="a hand-drawn map" width="300">
<img src="/static/images/lock.svg">
<p align="right" lang="ar" dir="rtl">مرحبا بالعالم، هذه قصة عن المنارة.</p>
<p lang="ja">灯台守は夜通し灯りを守った。</p>
<p><big>Big</big> <tt>code</tt> <strike>gone</strike>
<acronym title="as far as I know">AFAIK</acronym>
<a name="here"></a><a href="#here">back up</a> <a href="#nowhere">dangling</a>
<a href="/works" rel="friend">relative</a></p>
<details><summary>Spoiler</summary>She stays.</details>
<ruby>灯<rp>(</rp><rt>とう</rt><rp>)</rp></ruby>
"""


def build(work, extension):
    place = store.build_download(work.pk, extension)
    return Path(store.storage().path(place.path))


@pytest.fixture
def long_work(author):
    series = services.series_create(creator=author, title="Harbour Seasons")
    work = make_work(
        creator=author,
        title="Lamps & Ledgers",
        summary="A keeper counts the *nights*.",
        notes="Beginning notes.",
        endnotes="End notes of the work.",
        expected_chapters=None,
        tags=TAGS,
    )
    for position in range(2, 13):
        make_chapter(
            work,
            title=f"Night {position}",
            summary=f"Summary of night {position}.",
            notes=f"Notes before night {position}.",
            endnotes=f"Notes after night {position}.",
            body=f"The keeper's watch on night number {position}.",
        )
    services.work_set_series(work=work, series=[series])
    return Work.objects.get(pk=work.pk)


def test_one_shot_epub_is_valid_and_carries_the_metadata(author, tmp_path):
    work = make_work(creator=author, title="Single Lamp", summary="One night.", tags=TAGS)
    path = build(work, "epub")
    ebooks.epubcheck(path)
    package = ebooks.opf(path)
    meta = package.find("opf:metadata", ebooks.NS)
    assert meta.find("dc:title", ebooks.NS).text == "Single Lamp"
    assert [c.text for c in meta.findall("dc:creator", ebooks.NS)] == ["author"]
    assert meta.find("dc:language", ebooks.NS).text == "en"
    assert meta.find("dc:description", ebooks.NS).text == "One night."
    subjects = {s.text for s in meta.findall("dc:subject", ebooks.NS)}
    assert {"Harbour Lights", "Mara/Ines", "Mara Quell", "Slow Burn", "F/F"} <= subjects
    assert "told plainly" in ebooks.all_text(path)


@pytest.mark.once
def test_long_work_with_notes_everywhere_is_valid_with_a_chapter_toc(long_work):
    path = build(long_work, "epub")
    ebooks.epubcheck(path)
    meta = ebooks.opf(path).find("opf:metadata", ebooks.NS)
    props = {m.get("property"): m for m in meta.findall("opf:meta", ebooks.NS)}
    assert props["belongs-to-collection"].text == "Harbour Seasons"
    assert props["group-position"].text == "1"
    with zipfile.ZipFile(path) as book:
        nav = next(n for n in book.namelist() if n.endswith("nav.xhtml"))
        toc = book.read(nav).decode()
    for position in range(2, 13):
        assert f"Chapter {position}: Night {position}" in toc
    text = ebooks.all_text(path)
    for piece in (
        "Beginning notes.",
        "Summary of night 7.",
        "Notes after night 12.",
        "End notes of the work.",
        "Part 1 of",
    ):
        assert piece in text


@pytest.mark.once
def test_tables_lists_images_rtl_and_cjk_make_a_valid_epub(author):
    work = make_work(creator=author, title="Tide Tables")
    chapter = work.chapters.get()
    services.chapter_update(chapter=chapter, fields={"body": RICH_BODY})
    path = build(Work.objects.get(pk=work.pk), "epub")
    ebooks.epubcheck(path)
    text = ebooks.all_text(path)
    assert "مرحبا بالعالم" in text and "灯台守は夜通し灯りを守った" in text
    assert "<table" in text and "6:48" in text
    # An EPUB may not load remote images: each becomes a link to it, named by its alt text.
    assert 'href="https://images.example/map.png"' in text and "[a hand-drawn map]" in text
    assert "<img" not in text


@pytest.mark.once
def test_a_chapter_of_510000_characters_makes_a_valid_epub(author):
    paragraph = "The lamp turned and the sea answered, night after night. " * 20
    text = "\n\n".join([paragraph] * (510000 // (len(paragraph) + 2)))[:510000]
    work = make_work(creator=author, title="The Long Watch")
    services.chapter_update(chapter=work.chapters.get(), fields={"body": text})
    path = build(Work.objects.get(pk=work.pk), "epub")
    ebooks.epubcheck(path)


def test_anonymous_work_names_nobody_in_the_file_or_its_metadata(author, client):
    masked = collection_services.collection_create(
        owner=make_user(username="curator"),
        fields={"name": "masks", "title": "Masks", "is_anonymous": True},
    )
    work = make_work(creator=author, title="Unsigned Letter")
    services.work_set_collections(work=work, collections=[masked])
    client.force_login(author)  # even its own creator gets the copy every reader gets
    response = client.get(f"/downloads/{work.pk}/Unsigned_Letter.epub")
    assert response.status_code == 200
    path = Path(store.storage().path(store.stored(work, "epub").path))
    meta = ebooks.opf(path).find("opf:metadata", ebooks.NS)
    assert [c.text for c in meta.findall("dc:creator", ebooks.NS)] == ["Anonymous"]
    assert "author" not in ebooks.all_text(path).replace('rel="author"', "")


def test_a_change_to_the_work_makes_a_new_file(author, client):
    work = make_work(creator=author, title="First Title")
    first = body(client.get(f"/downloads/{work.pk}/First_Title.epub"))
    services.work_update(work=work, fields={"title": "Second Title"})
    response = client.get(f"/downloads/{work.pk}/Second_Title.epub")
    assert response["Content-Disposition"] == 'attachment; filename="Second_Title.epub"'
    second = body(response)
    assert second != first
    path = Path(store.storage().path(store.stored(Work.objects.get(pk=work.pk), "epub").path))
    assert path.read_bytes() == second
    assert ebooks.opf(path).find("opf:metadata/dc:title", ebooks.NS).text == "Second Title"


@pytest.mark.usefixtures("real_queue")
def test_a_calibre_format_is_prepared_by_a_worker(author, client):
    work = make_work(creator=author, title="Slow Boat")

    response = client.get(f"/downloads/{work.pk}/Slow_Boat.pdf")

    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert "being prepared" in response.content.decode()
    assert client.get(f"/downloads/{work.pk}/Slow_Boat.pdf").status_code == 503
    # One build queued, however many readers asked meanwhile.
    assert DBTaskResult.objects.filter(task_path__endswith="build_download_task").count() == 1
    run_worker()
    response = client.get(f"/downloads/{work.pk}/Slow_Boat.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert body(response).startswith(b"%PDF")


@pytest.mark.usefixtures("real_queue")
def test_builds_wait_for_a_free_slot(author, settings):
    settings.ARCHIVE_DOWNLOAD_BUILDS = 1
    cache.set("download-slot:0", "another build", 60)  # the only slot is taken
    work = make_work(creator=author, title="Queued Boat")
    store.enqueue_build(work, "mobi")
    run_worker()
    assert store.stored(work, "mobi") is None  # it waits, enqueued again for later
    waiting = DBTaskResult.objects.filter(task_path__endswith="build_download_task")
    assert waiting.count() == 2 and waiting.filter(status="READY").count() == 1
    cache.delete("download-slot:0")
    waiting.filter(status="READY").update(run_after=timezone.now())
    run_worker()
    assert store.stored(work, "mobi") is not None


@pytest.mark.once
@pytest.mark.parametrize("extension", ["azw3", "mobi", "pdf"])
def test_calibre_formats_open_with_their_readers(long_work, extension):
    path = build(long_work, extension)
    meta = ebooks.ebook_meta(path)
    assert meta["Title"] == "Lamps & Ledgers"
    assert meta["Author(s)"].startswith("author")
    text = ebooks.as_text(path)
    for position in (2, 7, 12):
        assert f"The keeper's watch on night number {position}." in text
    assert "told plainly" in text
    if extension == "pdf":
        raw = open(path, "rb").read()
        assert b"/Outlines" in raw  # the chapters as the PDF's bookmarks


def test_kudos_keep_the_stored_file_and_a_tag_rename_makes_a_new_one(author, client, reader):
    from tags.services.wrangling import tag_rename
    from works.services import feedback

    work = make_work(creator=author, title="Steady Light", tags=TAGS)
    client.get(f"/downloads/{work.pk}/Steady_Light.epub")
    first = store.stored(work, "epub").path
    feedback.kudos_add(work=work, user=reader, ip=None)
    assert store.stored(Work.objects.get(pk=work.pk), "epub").path == first
    tag_rename(tag=Tag.objects.get(name="Slow Burn"), name="Slowest Burn")
    client.get(f"/downloads/{work.pk}/Steady_Light.epub")
    renamed = Path(store.storage().path(store.stored(Work.objects.get(pk=work.pk), "epub").path))
    assert renamed.name == "Steady_Light.epub" and str(renamed) != first
    subjects = {s.text for s in ebooks.opf(renamed).findall("opf:metadata/dc:subject", ebooks.NS)}
    assert "Slowest Burn" in subjects and "Slow Burn" not in subjects


def test_a_stored_file_is_served_in_a_fixed_number_of_queries(
    author, client, django_assert_num_queries
):
    # The visibility checks of every work page, then the file: no query about chapters, tags
    # or series however many there are (the version is cached).
    for chapters in (1, 12):
        work = make_work(creator=author, title="Quick Light", tags=TAGS, chapters=chapters)
        client.get(f"/downloads/{work.pk}/Quick_Light.epub")  # built and stored
        with django_assert_num_queries(5):
            response = client.get(f"/downloads/{work.pk}/Quick_Light.epub")
        assert response.status_code == 200
