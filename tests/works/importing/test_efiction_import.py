"""Importing an eFiction archive (works/services/archive_imports.py and `manage.py
import_efiction`): works, chapters, tags, series and the collection as a reader finds them,
the old dates, hostile markup made inert, stopping and resuming without duplicates, the
report in the command and the admin."""

import datetime
import xml.etree.ElementTree as ET
from io import StringIO

import html5lib
import pytest
from django.core.management import CommandError, call_command

from tags.models import Tag, TagType
from tests.factories import make_user
from tests.queue import run_worker
from tests.security import check_xss, corpus_inputs
from works.models import (
    ArchiveImport,
    Chapter,
    Collection,
    ImportedStory,
    SeriesWork,
    Work,
)
from works.rendering import count_words, render_markdown
from works.services import archive_imports

from .test_efiction_dump import DUMP, STORIES, sql_string

pytestmark = pytest.mark.django_db

NAME = "Harbour Lights"
PARAGRAPH = "\n\n"


def start(**kwargs):
    kwargs.setdefault("path", str(DUMP))
    kwargs.setdefault("name", NAME)
    kwargs.setdefault("stories_dir", str(STORIES))
    kwargs.setdefault("batch_size", 2)
    return archive_imports.archive_import_start(**kwargs)


def work_titled(title):
    return Work.objects.get(title=title)


@pytest.fixture
def run():
    run = start()
    run.refresh_from_db()
    return run


def test_every_story_is_imported_or_skipped_with_a_reason(run):
    assert run.status == ArchiveImport.Status.FINISHED
    assert (run.done, run.total) == (5, 5)
    outcomes = {row.source_id: (row.outcome, row.reason) for row in run.stories.all()}
    assert outcomes == {
        1: ("imported", ""),
        2: ("imported", ""),
        3: ("imported", ""),
        4: ("imported", ""),
        5: ("skipped", "not validated on the old archive"),
    }
    assert Work.objects.count() == 4


def test_works_keep_their_chapters_in_order_and_count_their_own_words(run):
    lamp = work_titled("The Lamp at Low Water")
    chapters = list(lamp.chapters.order_by("position"))
    assert [c.title for c in chapters] == ["Low Tide", "High Water", "The Log"]
    assert chapters[1].notes == "The storm chapter."
    assert chapters[2].endnotes == "Thank you for reading!"
    # The dump claims 9,999 words; the count is ours.
    assert lamp.word_count == sum(count_words(c.body_html) for c in chapters) != 9999
    assert lamp.is_complete and lamp.chapters_display == "3/3"
    assert work_titled("Salt and Compass").chapters_display == "1/?"


def test_original_published_and_updated_dates_are_kept(run, client):
    lamp = work_titled("The Lamp at Low Water")
    assert lamp.published_at == datetime.date(2009, 4, 2)
    assert lamp.revised_at == datetime.datetime(2009, 6, 20, 18, 40, 5, tzinfo=datetime.UTC)
    chapter_dates = list(lamp.chapters.order_by("position").values_list("published_at", flat=True))
    assert chapter_dates == [datetime.date(2009, 4, 2), *[datetime.date(2009, 6, 20)] * 2]
    page = client.get(f"/works/{lamp.pk}").content.decode()
    assert "2009-04-02" in page and "2009-06-20" in page


def test_tags_are_unwrangled_and_of_the_right_types(run):
    expected = {
        "Lighthouse Keepers": TagType.FANDOM,
        "Tea Cake & Scones": TagType.FANDOM,
        "Ines Varga": TagType.CHARACTER,
        "The Cartographer": TagType.CHARACTER,
        "Slow Burn": TagType.FREEFORM,
        "Mild Peril": TagType.FREEFORM,
        "Hurt/Comfort 3": TagType.FREEFORM,
        "Rating: Grown-ups Only": TagType.FREEFORM,
    }
    for name, tag_type in expected.items():
        tag = Tag.objects.get(name=name)
        assert (tag.type, tag.canonical, tag.merger_id) == (tag_type, False, None), name
    crumbs = work_titled("Crumbs").tags_by_type()
    assert [t.name for t in crumbs[TagType.WARNING]] == ["Major Character Death"]
    assert [t.name for t in crumbs[TagType.CATEGORY]] == ["Gen"]
    assert [t.name for t in work_titled("Salt and Compass").tags_by_type()[TagType.RATING]] == [
        "Not Rated"
    ]


def test_renamed_tags_are_in_the_report_never_dropped_silently(run):
    notes = ImportedStory.objects.get(archive_import=run, source_id=2).notes
    assert "tag 'Hurt/Comfort <3' renamed 'Hurt/Comfort 3'" in notes
    assert not Tag.objects.filter(name__contains="<").exists()
    lines = "\n".join(archive_imports.report_lines(run))
    assert "note: tag 'Tea, Cake & Scones' renamed 'Tea Cake & Scones'" in lines


def test_a_collection_named_for_the_archive_holds_every_imported_work(run, client):
    collection = Collection.objects.get(title=NAME)
    assert collection.name == "harbour-lights"
    assert set(collection.items.values_list("work__title", flat=True)) == {
        "The Lamp at Low Water",
        "Salt and Compass",
        "Crumbs",
        "Second Watch",
    }
    assert all(item.is_approved for item in collection.items.all())
    page = client.get("/collections/harbour-lights/works").content.decode()
    assert "Second Watch" in page and "Crumbs" in page


def test_series_keep_the_old_order(run, client):
    parts = SeriesWork.objects.filter(series__title="Keepers of the Light").order_by("position")
    assert [p.work.title for p in parts] == ["Second Watch", "The Lamp at Low Water"]
    series = parts[0].series
    assert series.description == "Two nights at the lighthouse."
    page = client.get(f"/series/{series.pk}").content.decode()
    assert page.index("Second Watch") < page.index("The Lamp at Low Water")


def test_unclaimed_works_are_credited_to_the_old_name(run, client):
    lamp = work_titled("The Lamp at Low Water")
    page = client.get(f"/works/{lamp.pk}").content.decode()
    assert "Marrow Lane (harbour_lights_import)" in page
    pseud_page = client.get("/users/harbour_lights_import/pseuds/Marrow Lane/works")
    assert pseud_page.status_code == 200
    assert "Second Watch" in pseud_page.content.decode()
    assert "Salt and Compass" not in pseud_page.content.decode()
    assert not run.placeholder.has_usable_password()
    assert set(run.placeholder.pseuds.values_list("name", flat=True)) == {
        "harbour_lights_import",
        "Marrow Lane",
        "quillfeather",
        "Juniper",
    }


def _author_regions(page: str) -> list[str]:
    """The parts of a page that hold author text (class "userstuff"), as HTML."""
    tree = html5lib.parse(page, treebuilder="etree", namespaceHTMLElements=False)
    return [
        ET.tostring(element, encoding="unicode", method="html")
        for element in tree.iter()
        if "userstuff" in (element.get("class") or "").split()
    ]


def test_hostile_markup_in_an_imported_story_is_inert_on_the_work_page(run, client):
    crumbs = work_titled("Crumbs")
    page = client.get(f"/works/{crumbs.pk}").content.decode()
    regions = _author_regions(page)
    assert any("Crumbs everywhere" in region for region in regions)
    assert any("Crumbs on the floor." in region for region in regions)
    for region in regions:
        problems, _warnings = check_xss.inspect_html(region)
        assert problems == [], region
    assert "alert(" not in page.replace("alert('crumb')", "")  # only as escaped text, if at all
    assert "<script>alert" not in page and "onerror" not in page and "javascript:" not in page


def test_the_whole_hostile_corpus_imported_is_stored_as_the_renderer_makes_it(tmp_path, client):
    cases = corpus_inputs()
    chunks = [cases[start : start + 60] for start in range(0, len(cases), 60)]
    chapters = ",".join(
        f"({n},'Part {n}',{n},'',{sql_string(PARAGRAPH.join(chunk))},NULL,'1',0,0,0,1,1,0)"
        for n, chunk in enumerate(chunks, start=1)
    )
    dump = DUMP.read_text(encoding="utf-8")
    head = dump[: dump.index("INSERT INTO `fanfiction_stories`")]
    dump = head + (
        "INSERT INTO `fanfiction_stories` (`sid`, `title`, `summary`, `storynotes`, `catid`, "
        "`classes`, `charid`, `rid`, `date`, `updated`, `uid`, `validated`, `completed`) VALUES "
        f"(1,'Corpus',{sql_string(cases[0] + cases[5])},{sql_string(cases[7])},'1','','','1',"
        "'2012-01-01 00:00:00','2012-01-02 00:00:00',1,'1','1');\n"
        "INSERT INTO `fanfiction_chapters` (`chapid`, `title`, `inorder`, `notes`, `storytext`, "
        "`endnotes`, `validated`, `wordcount`, `rating`, `reviews`, `sid`, `uid`, `count`) "
        f"VALUES {chapters};\n"
    )
    path = tmp_path / "corpus.sql"
    path.write_text(dump, encoding="utf-8")
    run = start(path=str(path), name="Corpus Archive", stories_dir="")
    run.refresh_from_db()
    assert run.stories.get().outcome == "imported", run.stories.get().reason
    work = Work.objects.get(title="Corpus")
    stored = list(Chapter.objects.filter(work=work).order_by("position"))
    assert len(stored) == len(chunks)
    for chapter, chunk in zip(stored, chunks, strict=True):
        # Kept as written, but for NULs, Windows line ends and white space around the text.
        written = PARAGRAPH.join(chunk).replace("\x00", "").replace("\r\n", "\n").strip()
        assert chapter.body == written
        assert chapter.body_html == render_markdown(chapter.body)
        assert check_xss.inspect_html(chapter.body_html)[0] == []
    page = client.get(f"/works/{work.pk}?view_full_work=true").content.decode()
    for region in _author_regions(page):
        assert check_xss.inspect_html(region)[0] == [], region[:300]


def test_a_stopped_import_resumes_without_duplicates(monkeypatch):
    real = archive_imports._import_or_skip
    calls = []

    def import_then_stop(run, story, archive):
        calls.append(story.sid)
        row = real(run, story, archive)
        if len(calls) == 2:
            archive_imports.archive_import_stop(run=run)
        return row

    monkeypatch.setattr(archive_imports, "_import_or_skip", import_then_stop)
    run = start(batch_size=2)
    run.refresh_from_db()
    assert run.status == ArchiveImport.Status.STOPPED
    assert (run.done, Work.objects.count()) == (2, 2)
    assert "stopped, 2 of 5 stories done" in archive_imports.report_lines(run)[0].lower()

    archive_imports.archive_import_resume(run=run)
    run.refresh_from_db()
    assert run.status == ArchiveImport.Status.FINISHED
    assert calls == [1, 2, 3, 4, 5]
    assert (run.done, Work.objects.count(), run.stories.count()) == (5, 4, 5)
    # A batch that runs again (a retry, a second worker) finds nothing left to do.
    assert archive_imports.archive_import_task.call(import_id=run.pk) == 0
    assert Work.objects.count() == 4


def test_a_story_that_fails_is_reported_and_the_rest_imported(monkeypatch):
    real = archive_imports._post

    def fail_on_crumbs(run, story, archive):
        if story.sid == 3:
            raise ValueError("the oven exploded")
        return real(run, story, archive)

    monkeypatch.setattr(archive_imports, "_post", fail_on_crumbs)
    run = start()
    row = run.stories.get(source_id=3)
    assert row.outcome == "skipped" and "the oven exploded" in row.reason
    assert not Work.objects.filter(title="Crumbs").exists()
    assert Work.objects.count() == 3


def test_the_command_runs_the_import_on_the_task_queue(real_queue):
    out = StringIO()
    call_command(
        "import_efiction", str(DUMP), name=NAME, stories_dir=str(STORIES), batch_size=2, stdout=out
    )
    run = ArchiveImport.objects.get()
    assert f"Import #{run.pk} of {NAME} queued: 5 stories." in out.getvalue()
    assert Work.objects.count() == 0  # nothing runs until a worker takes the task
    run_worker()
    out = StringIO()
    call_command("import_efiction", report=run.pk, stdout=out)
    report = out.getvalue()
    assert "Finished, 5 of 5 stories done" in report
    assert "Imported: 4" in report and "Skipped: 1" in report
    assert "story 5 'Unfinished Draft': not validated on the old archive" in report


def test_the_command_stops_and_resumes_a_queued_import(real_queue):
    call_command(
        "import_efiction", str(DUMP), name=NAME, stories_dir=str(STORIES), stdout=StringIO()
    )
    run = ArchiveImport.objects.get()
    out = StringIO()
    call_command("import_efiction", stop=run.pk, stdout=out)
    assert "will stop" in out.getvalue()
    run_worker()
    run.refresh_from_db()
    assert run.status == ArchiveImport.Status.STOPPED and Work.objects.count() == 0
    call_command("import_efiction", resume=run.pk, stdout=StringIO())
    run_worker()
    run.refresh_from_db()
    assert run.status == ArchiveImport.Status.FINISHED and Work.objects.count() == 4
    with pytest.raises(CommandError, match="has finished"):
        call_command("import_efiction", resume=run.pk, stdout=StringIO())


def test_the_command_refuses_what_it_cannot_import(tmp_path):
    with pytest.raises(CommandError, match="No dump file"):
        call_command("import_efiction", str(tmp_path / "missing.sql"), name="X", stdout=StringIO())
    broken = tmp_path / "broken.sql"
    broken.write_text("INSERT INTO `fanfiction_stories` (`sid`) VALUES ('unclosed);")
    with pytest.raises(CommandError, match="could not be read: unterminated quote at line 1"):
        call_command("import_efiction", str(broken), name="X", stdout=StringIO())
    with pytest.raises(CommandError, match="no rows in other_stories"):
        call_command("import_efiction", str(DUMP), name="X", prefix="other_", stdout=StringIO())
    call_command("import_efiction", str(DUMP), name=NAME, stdout=StringIO())
    with pytest.raises(CommandError, match="imported before"):
        call_command("import_efiction", str(DUMP), name=NAME + "!", stdout=StringIO())
    with pytest.raises(CommandError, match="no import #999"):
        call_command("import_efiction", report=999, stdout=StringIO())
    assert ArchiveImport.objects.count() == 1


def test_moderators_see_the_report_and_stop_imports_in_the_admin(run, client):
    admin = make_user(username="boss", is_staff=True, is_superuser=True)
    client.force_login(admin)
    page = client.get(f"/admin/works/archiveimport/{run.pk}/change/").content.decode()
    assert "not validated on the old archive" in page and "Salt and Compass" in page
    listing = client.get("/admin/works/archiveimport/").content.decode()
    assert NAME in listing
    response = client.post(
        "/admin/works/archiveimport/",
        {"action": "stop", "_selected_action": [run.pk]},
        follow=True,
    )
    assert "has finished: there is nothing to stop" in response.content.decode()
    creators = client.get("/admin/works/importedcreator/").content.decode()
    assert "quillfeather" in creators and "example.org" not in creators


def test_an_archive_named_without_latin_letters_gets_its_own_names():
    run = start(name="港の灯り")
    run.refresh_from_db()
    assert run.collection.title == "港の灯り"
    assert run.collection.name.startswith("archive-")
    assert run.placeholder.username == run.collection.name.replace("-", "_") + "_import"
    assert run.status == ArchiveImport.Status.FINISHED
