"""The import service: tag names made legal (and said), AO3's fixed tags and their defaults,
refusals that leave nothing behind, crediting the original creator, drafts, series and
collections."""

import datetime

import pytest
from django.utils import timezone

from archive.errors import Refused
from tags.models import TagType
from tests.factories import make_tag, make_user, make_work
from works.importing.parsed import ParsedChapter, ParsedSeries, ParsedWork
from works.models import Chapter, Collection, Series, SeriesWork, Work
from works.services import posting
from works.services.imports import import_work

pytestmark = pytest.mark.django_db


def parsed_work(**fields) -> ParsedWork:
    fields.setdefault("title", "The Borrowed Boat")
    fields.setdefault("chapters", [ParsedChapter(body="<p>She rowed out at dawn.</p>")])
    fields.setdefault(
        "tags",
        {
            "rating": ["General Audiences"],
            "warning": ["No Archive Warnings Apply"],
            "fandom": ["Lake Stories"],
        },
    )
    return ParsedWork(**fields)


def tag_names(work, tag_type):
    return sorted(t.name for t in Work.objects.get(pk=work.pk).tags.all() if t.type == tag_type)


def test_illegal_tag_names_are_renamed_and_said(author):
    parsed = parsed_work(
        tags={
            "rating": ["Mature"],
            "warning": ["No Archive Warnings Apply"],
            "fandom": ["Lake Stories"],
            "freeform": ["Fluff, Angst", "100% Real", "*sparkles*", "x" * 160, "Ok"],
        }
    )
    work = import_work(parsed, user=author, post=True, as_imported=False)
    names = tag_names(work, TagType.FREEFORM)
    assert "Fluff Angst" in names and "100 Real" in names and "sparkles" in names
    assert "x" * 150 in names and "Ok" in names
    said = "\n".join(work.import_warnings)
    assert "“Fluff, Angst” renamed “Fluff Angst”" in said
    assert "“100% Real” renamed “100 Real”" in said
    assert "at most 150 characters" in said


def test_unknown_rating_warning_and_category_become_additional_tags(author):
    parsed = parsed_work(
        tags={
            "rating": ["PG-13"],
            "warning": ["Spoilers", "Choose Not To Use Archive Warnings"],
            "category": ["Het", "F/M"],
            "fandom": ["Lake Stories"],
        }
    )
    work = import_work(parsed, user=author, post=True, as_imported=False)
    assert tag_names(work, TagType.RATING) == ["Not Rated"]
    assert tag_names(work, TagType.WARNING) == ["Creator Chose Not To Use Archive Warnings"]
    assert tag_names(work, TagType.CATEGORY) == ["F/M"]
    assert tag_names(work, TagType.FREEFORM) == ["Het", "PG-13", "Spoilers"]
    said = "\n".join(work.import_warnings)
    assert "“PG-13” is not a rating here" in said
    assert "“Spoilers” is not an archive warning here" in said
    assert "“Het” is not a category here" in said


def test_missing_rating_warning_and_fandom_get_ao3s_defaults(author):
    work = import_work(parsed_work(tags={}), user=author, post=True, as_imported=False)
    assert tag_names(work, TagType.RATING) == ["Not Rated"]
    assert tag_names(work, TagType.WARNING) == ["Creator Chose Not To Use Archive Warnings"]
    assert tag_names(work, TagType.FANDOM) == ["No Fandom"]
    assert len(work.import_warnings) == 3


def test_unknown_language_falls_back_to_english_with_a_note(author):
    work = import_work(parsed_work(language="Klingon"), user=author, post=True, as_imported=False)
    assert work.language == "en"
    assert any("Klingon" in w for w in work.import_warnings)
    work = import_work(parsed_work(language="Deutsch"), user=author, post=True, as_imported=False)
    assert work.language == "de"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"title": "T" * 256}, "The title is 256 characters long"),
        ({"summary": "s" * 1251}, "a summary can be at most 1250"),
        ({"chapters": []}, "No chapter text was found."),
        (
            {"chapters": [ParsedChapter(body="<p>One.</p>"), ParsedChapter(body="  ")]},
            "Chapter 2 has no text.",
        ),
        (
            {"chapters": [ParsedChapter(body="<p>One.</p>", notes="n" * 5001)]},
            "The notes of chapter 1 are 5001 characters long",
        ),
    ],
)
def test_refusals_say_why_and_leave_nothing_behind(author, change, message):
    before = (Work.objects.count(), Chapter.objects.count(), Series.objects.count())
    parsed = parsed_work(series=[ParsedSeries(title="Lake Cycle", position=1)], **change)
    with pytest.raises(Refused) as refused:
        import_work(parsed, user=author, post=True, as_imported=False)
    assert message in refused.value.message
    assert (Work.objects.count(), Chapter.objects.count(), Series.objects.count()) == before


def test_failure_midway_rolls_back_the_whole_work(author, monkeypatch):
    """A failure after the work and its first chapter exist leaves neither."""

    def broken(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(posting, "chapter_add", broken)
    parsed = parsed_work(
        chapters=[ParsedChapter(body="<p>One.</p>"), ParsedChapter(body="<p>Two.</p>")]
    )
    with pytest.raises(RuntimeError):
        import_work(parsed, user=author, post=True, as_imported=False)
    assert not Work.objects.filter(title="The Borrowed Boat").exists()


def test_imported_work_credits_the_original_creator_on_its_page(client, author):
    parsed = parsed_work(creators=["Orla Finch"], source_url="https://old.example/story/12")
    work = import_work(parsed, user=author, post=True, as_imported=True)
    page = client.get(f"/works/{work.pk}").content.decode()
    assert "originally posted by Orla Finch" in page
    assert 'href="https://old.example/story/12"' in page
    own = import_work(
        parsed_work(creators=["Orla Finch"]), user=author, post=True, as_imported=False
    )
    assert "originally posted by" not in client.get(f"/works/{own.pk}").content.decode()
    assert own.imported_creator == "" and own.imported_from_url == ""


def test_draft_import_posts_all_its_chapters_at_once(author):
    parsed = parsed_work(
        published=datetime.date(2020, 1, 2),
        chapters=[ParsedChapter(body="<p>One.</p>"), ParsedChapter(body="<p>Two.</p>")],
    )
    work = import_work(parsed, user=author, post=False, as_imported=False)
    assert not work.posted
    assert not Work.objects.visible_to(make_user()).filter(pk=work.pk).exists()
    posting.work_post(work=Work.objects.get(pk=work.pk))
    work.refresh_from_db()
    assert work.chapter_count == 2 and work.published_at == datetime.date(2020, 1, 2)


def test_series_position_is_kept_unless_taken(author):
    series = posting.series_create(creator=author, title="Lake Cycle")
    first = make_work(creator=author)
    SeriesWork.objects.create(series=series, work=first, position=2)
    parsed = parsed_work(series=[ParsedSeries(title="lake cycle", position=2)])
    work = import_work(parsed, user=author, post=True, as_imported=False)
    placed = SeriesWork.objects.get(work=work)
    assert placed.series == series and placed.position == 3
    assert any("Part 2 of “lake cycle” is taken" in w for w in work.import_warnings)
    again = import_work(
        parsed_work(series=[ParsedSeries(title="Lake Cycle", position=7)]),
        user=author,
        post=True,
        as_imported=False,
    )
    assert SeriesWork.objects.get(work=again).position == 7


def test_closed_and_unknown_collections_are_said_not_joined(author):
    Collection.objects.create(name="open_fest", title="Open Fest", owner=make_user())
    Collection.objects.create(
        name="shut_fest", title="Shut Fest", owner=make_user(), is_closed=True
    )
    parsed = parsed_work(collections=["open_fest", "shut_fest", "no_such_fest"])
    work = import_work(parsed, user=author, post=True, as_imported=False)
    assert [i.collection.name for i in work.collection_items.all()] == ["open_fest"]
    said = "\n".join(work.import_warnings)
    assert "“Shut Fest” is closed" in said and "no collection “no_such_fest”" in said


def test_future_dates_are_not_kept(author):
    parsed = parsed_work(published=datetime.date(2999, 1, 1))
    work = import_work(parsed, user=author, post=True, as_imported=False)
    assert work.published_at == timezone.localdate()


def test_source_that_is_no_web_address_is_not_linked(client, author):
    parsed = parsed_work(creators=["Orla Finch"], source_url="javascript:alert(1)")
    work = import_work(parsed, user=author, post=True, as_imported=True)
    assert work.imported_from_url == ""
    page = client.get(f"/works/{work.pk}").content.decode()
    assert "Originally posted by Orla Finch." in page and "javascript:" not in page


def test_name_of_another_kind_of_tag_is_kept_apart_and_said(author):
    make_tag("Harbour", type=TagType.CHARACTER)
    parsed = parsed_work(tags={"rating": ["Mature"], "warning": [], "fandom": ["Harbour"]})
    work = import_work(parsed, user=author, post=True, as_imported=False)
    assert tag_names(work, TagType.FANDOM) == ["Harbour (Fandom)"]
    assert "“Harbour” is another kind of tag here: this work's tag is “Harbour (Fandom)”." in (
        work.import_warnings
    )
