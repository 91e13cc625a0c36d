"""FanFicFare 4.62, as installed from PyPI, downloading EPUBs from this archive (issue 14)."""

import json
import re
import zipfile

import pytest
from fanficfare import cli

from tags.models import TagType
from tests.clients import dataset

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def data(archive_server, django_db_blocker):
    with django_db_blocker.unblock():
        return dataset.build()


@pytest.fixture
def download(tmp_path, monkeypatch, data):
    """`download(work)` runs FanFicFare's command line on the work's AO3 URL (or updates
    `update=` an EPUB) and returns the EPUB's path."""
    monkeypatch.chdir(tmp_path)
    config = tmp_path / "personal.ini"
    config.write_text(
        "[archiveofourown.org]\nis_adult:true\nslow_down_sleep_time:0\n"
        f"username:{data.reader.username}\npassword:{data.password}\n"
    )

    def run(work, update=None):
        before = set(tmp_path.glob("*.epub"))
        args = ["--non-interactive", "-c", str(config), "-f", "epub"]
        args += ["-u", str(update)] if update else []
        cli.main([*args, f"https://archiveofourown.org/works/{work.pk}"])
        if update:
            return update
        (epub,) = set(tmp_path.glob("*.epub")) - before
        return epub

    run.config = config
    return run


@pytest.fixture
def metadata(download, capsys):
    """`metadata(work)`: what FanFicFare read of the work (its --meta-only --json-meta)."""

    def read(work):
        capsys.readouterr()
        cli.main(
            [
                "--non-interactive",
                "-c",
                str(download.config),
                "--meta-only",
                "--json-meta",
                "--no-meta-chapters",
                f"https://archiveofourown.org/works/{work.pk}",
            ]
        )
        return json.loads(capsys.readouterr().out)

    return read


def epub_chapters(path):
    """The text of each chapter file of an EPUB, in order."""
    with zipfile.ZipFile(path) as epub:
        names = sorted(
            (n for n in epub.namelist() if re.search(r"file\d+\.xhtml$", n)),
            key=lambda n: int(re.search(r"(\d+)\.xhtml$", n).group(1)),
        )
        return [epub.read(name).decode() for name in names]


def assert_chapters_match(path, work):
    chapters = epub_chapters(path)
    bodies = list(work.chapters.filter(posted=True).order_by("position"))
    assert len(chapters) == len(bodies)
    for text, chapter in zip(chapters, bodies, strict=True):
        assert chapter.body in text


@pytest.mark.parametrize(
    "kind",
    ["oneshot", "chaptered", "in_progress", "mature", "restricted", "series_one", "anonymous"],
)
def test_download_has_every_chapter(data, download, kind):
    work = data.works[kind]
    assert_chapters_match(download(work), work)


def test_update_adds_a_new_chapter(data, download, django_db_blocker):
    work = data.works["in_progress"]
    epub = download(work)
    with django_db_blocker.unblock():
        dataset.add_chapter(work, body="The third chapter, posted after the download.")
    download(work, update=epub)
    work.refresh_from_db()
    assert_chapters_match(epub, work)


@pytest.mark.parametrize(
    "kind",
    ["oneshot", "chaptered", "in_progress", "mature", "restricted", "series_two", "anonymous"],
)
def test_metadata_matches_the_database(data, metadata, kind):
    work = data.works[kind]
    work.refresh_from_db()  # an earlier test may have added a chapter
    meta = metadata(work)
    assert meta["title"] == work.title
    assert meta["storyId"] == str(work.pk)
    assert meta["author"] == ("Anonymous" if kind == "anonymous" else "writer")
    assert meta["rating"] == work.tags.get(type=TagType.RATING).name
    assert meta["fandoms"] == dataset.FANDOM
    assert meta["numChapters"] == str(work.chapters.filter(posted=True).count())
    assert meta["numWords"] == str(work.word_count)
    assert meta["status"] == ("In-Progress" if kind == "in_progress" else "Completed")
    assert meta["datePublished"].startswith(work.published_at.isoformat())
    assert bool(meta.get("restricted")) is work.restricted
    if kind == "series_two":
        assert meta["series"] == "The Engine Cycle [2]"
        assert meta["seriesUrl"] == f"https://archiveofourown.org/series/{data.series.pk}"
