"""The HTML download: one self-contained file with the whole work and its metadata."""

import re

import pytest

from tags.models import TagType
from tests.factories import make_chapter, make_work
from tests.responses import body
from tests.works.markup import parse, select, select_one, text
from works.models import Collection, Work, WorkStats
from works.pages.work import download_name
from works.services import posting as services

pytestmark = pytest.mark.django_db


@pytest.fixture
def full_work(author):
    series = services.series_create(creator=author, title="Harbour Seasons")
    collection = Collection.objects.create(name="lantern_week", title="Lantern Week", owner=author)
    work = make_work(
        creator=author,
        title="Lamps & Ledgers: A Winter",
        summary="A keeper counts the *nights*.",
        notes="Beginning notes about the lamp.",
        endnotes="End notes: thanks to the crew.",
        expected_chapters=3,
        tags={
            TagType.RATING: ["Mature"],
            TagType.WARNING: ["No Archive Warnings Apply"],
            TagType.CATEGORY: ["Gen"],
            TagType.FANDOM: ["Harbour Lights"],
            TagType.RELATIONSHIP: ["Mara & Ines"],
            TagType.CHARACTER: ["Mara Quell"],
            TagType.FREEFORM: ["Winter"],
        },
    )
    make_chapter(
        work,
        title="Second Night",
        body="The second night's long <em>watch</em>.",
        notes="Chapter two notes.",
        endnotes="Chapter two end notes.",
    )
    make_chapter(work, post=False, body="An unposted third night.")
    services.work_set_series(work=work, series=[series])
    services.work_set_collections(work=work, collections=[collection])
    WorkStats.objects.filter(work=work).update(hits=77, kudos=5)
    return Work.objects.get(pk=work.pk)


def download_url(client, work, label="HTML"):
    root = parse(client.get(f"/works/{work.pk}?view_adult=true").content)
    links = {text(a): a.get("href") for a in select(root, "li.download > ul > li > a")}
    return links[label]


def test_download_holds_the_whole_work_and_its_metadata(client, full_work, settings):
    settings.ARCHIVE_SITE_URL = "https://archive.example"  # links in a file are absolute
    url = download_url(client, full_work)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="Lamps_Ledgers_A_Winter.html"'
    root = parse(body(response))
    page = text(root)

    assert text(select_one(root, "h1")) == "Lamps & Ledgers: A Winter"
    assert [a.get("href") for a in select(root, ".byline a[rel=author]")] == [
        "https://archive.example/users/author/pseuds/author"
    ]
    meta = select_one(root, "dl.tags")
    values = {
        dt.get("class"): text(dd)
        for dt, dd in zip(select(meta, "dt"), select(meta, "dd"), strict=True)
    }
    assert values["rating"] == "Mature"
    assert values["warning"] == "No Archive Warnings Apply"
    assert values["category"] == "Gen"
    assert values["fandom"] == "Harbour Lights"
    assert values["relationship"] == "Mara & Ines"
    assert values["character"] == "Mara Quell"
    assert values["freeform"] == "Winter"
    assert values["language"] == "English"
    assert values["series"] == "Part 1 of Harbour Seasons"
    assert values["collections"] == "Lantern Week"
    stats = values["stats"]
    assert f"Published: {full_work.published_at.isoformat()}" in stats
    assert "Updated:" in stats and "Chapters: 2/3" in stats
    assert f"Words: {full_work.word_count}" in stats
    assert "Kudos: 5" in stats and "Hits: 77" in stats
    relationship = select(meta, "dd.relationship a")[0]
    assert relationship.get("href") == "https://archive.example/tags/Mara%20*a*%20Ines/works"

    assert select_one(root, "blockquote.summary em").text == "nights"
    assert "Beginning notes about the lamp." in page
    assert [text(h) for h in select(root, "div#chapters h2")] == [
        "Chapter 1",
        "Chapter 2: Second Night",
    ]
    assert "told plainly" in page
    assert select_one(root, "div#chapter-2 em").text == "watch"
    assert "Chapter two notes." in page and "Chapter two end notes." in page
    assert "unposted third night" not in page
    assert "End notes: thanks to the crew." in text(select_one(root, "div#afterword"))
    assert "Series this work belongs to:" in page


def test_download_loads_nothing_from_elsewhere(client, full_work):
    html = body(client.get(download_url(client, full_work))).decode()
    root = parse(html)
    assert select(root, "head > style")
    assert not select(root, "link") and not select(root, "script") and not select(root, "img")
    assert not re.search(r"\ssrc=", html)
    assert "@import" not in html and "url(" not in html


def test_one_shot_download_has_no_chapter_headings(client, author):
    work = make_work(creator=author, title="Single Lamp")
    response = client.get(f"/downloads/{work.pk}/Single_Lamp.html")
    root = parse(body(response))
    assert not select(root, "div#chapters h2")
    assert "told plainly" in text(select_one(root, "div#chapters"))


@pytest.mark.parametrize("extension", ["txt", "docx", "EPUB"])
def test_formats_the_archive_does_not_make_are_not_found(client, author, extension):
    work = make_work(creator=author)
    assert client.get(f"/downloads/{work.pk}/Work.{extension}").status_code == 404


@pytest.mark.parametrize("extension", ["azw3", "mobi", "pdf"])
def test_without_calibre_its_formats_are_neither_offered_nor_found(
    client, author, extension, monkeypatch
):
    from works.downloads import formats

    monkeypatch.setattr(formats, "ebook_convert", lambda: None)
    work = make_work(creator=author)
    root = parse(client.get(work.get_absolute_url()).content)
    assert [text(a) for a in select(root, "li.download > ul > li > a")] == ["EPUB", "HTML"]
    assert client.get(f"/downloads/{work.pk}/Work.{extension}").status_code == 404


def test_download_name_is_safe_ascii():
    assert download_name(Work(pk=3, title="Ünïcode / Title: *?")) == "Unicode_Title"
    assert download_name(Work(pk=4, title="灯台の夜")) == "Work_4"
    long = download_name(Work(pk=5, title="A very long title that goes on and on"))
    assert long == "A_very_long_title_that"
    assert len(long) <= 24


def test_menu_link_carries_the_update_time(client, full_work):
    url = download_url(client, full_work)
    stamp = int(re.search(r"updated_at=(\d+)$", url).group(1))
    assert stamp >= int(full_work.revised_at.timestamp())
