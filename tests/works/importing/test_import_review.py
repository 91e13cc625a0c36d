"""The import review form (works/forms/import_review.py): filled from what the importer
understood, corrected by the author, turned back into a ParsedWork."""

import datetime

import pytest

from works.forms.import_review import CHAPTERS_PREFIX, MAX_CHAPTERS, ImportReview
from works.importing.ffn_text import parse_story
from works.importing.parsed import ParsedChapter, ParsedSeries, ParsedWork

STORY = """The Lantern Road
Two travellers and one lantern between them. A/N: please R&R!

Chapter 1: Dusk

They set out at dusk.

Chapter 2: Dark

The lantern went out at the crossroads.
"""


def _post_data(review, **changes):
    """What a browser would send for the review page as shown, with `changes` applied."""
    data = {}
    for name in review.form.fields:
        data[name] = review.form.initial.get(name, "")
    total = len(review.chapters.forms)
    prefix = CHAPTERS_PREFIX
    data.update(
        {
            f"{prefix}-TOTAL_FORMS": str(total),
            f"{prefix}-INITIAL_FORMS": str(total),
            f"{prefix}-MIN_NUM_FORMS": "1",
            f"{prefix}-MAX_NUM_FORMS": str(MAX_CHAPTERS),
        }
    )
    for form in review.chapters.forms:
        for name in ("title", "summary", "notes", "endnotes", "body", "source"):
            value = form.initial.get(name, "")
            data[form.add_prefix(name)] = "" if value is None else str(value)
    data.update(changes)
    return data


@pytest.fixture
def parsed():
    return parse_story(STORY)


def test_the_form_shows_what_the_importer_understood(parsed):
    review = ImportReview(parsed=parsed)
    assert review.form.initial["title"] == "The Lantern Road"
    assert review.form.initial["summary"] == "<p>Two travellers and one lantern between them.</p>"
    assert review.form.initial["notes"] == "<p>A/N: please R&amp;R!</p>"
    assert [f.initial["title"] for f in review.chapters.forms] == ["Dusk", "Dark"]
    assert review.chapters.forms[1].initial["body"] == (
        "<p>The lantern went out at the crossroads.</p>"
    )
    assert "The summary was guessed from line 2." in review.guesses
    html = review.form.as_div() + str(review.chapters.management_form)
    assert "The Lantern Road" in html and 'name="chapters-TOTAL_FORMS"' in html


def test_sent_back_unchanged_it_is_the_same_work(parsed):
    review = ImportReview(_post_data(ImportReview(parsed=parsed)), parsed=parsed)
    assert review.is_valid(), (review.form.errors, review.chapters.errors)
    again = review.to_parsed()
    assert (again.title, again.summary, again.notes) == (parsed.title, parsed.summary, parsed.notes)
    assert again.chapters == parsed.chapters
    assert again.guesses == [] and again.warnings == []


def test_the_authors_corrections_come_back(parsed):
    shown = ImportReview(parsed=parsed)
    data = _post_data(
        shown,
        title="  The Lantern Road (revised)  ",
        summary="",
        **{
            "chapters-0-body": "<p>Two travellers and one lantern between them.</p>\n\n"
            "<p>They set out at dusk.</p>",
            "chapters-1-title": "Darkness",
            "chapters-1-endnotes": "Thanks for reading.",
        },
    )
    review = ImportReview(data, parsed=parsed)
    assert review.is_valid()
    fixed = review.to_parsed()
    assert fixed.title == "The Lantern Road (revised)" and fixed.summary == ""
    assert fixed.chapters[0].body.startswith("<p>Two travellers")
    assert (fixed.chapters[1].title, fixed.chapters[1].endnotes) == (
        "Darkness",
        "Thanks for reading.",
    )


def test_a_chapter_can_be_removed_and_the_rest_keeps_its_source_details():
    parsed = ParsedWork(
        title="Tide Tables",
        chapters=[
            ParsedChapter(body="<p>One.</p>", title="High", published=datetime.date(2020, 1, 1)),
            ParsedChapter(body="<p>Two.</p>", title="Low", published=datetime.date(2020, 2, 1)),
        ],
        tags={"fandom": ["Invented Seas"]},
        language="fr",
        series=[ParsedSeries(title="Almanac", position=3)],
    )
    data = _post_data(ImportReview(parsed=parsed), **{"chapters-0-DELETE": "on"})
    review = ImportReview(data, parsed=parsed)
    assert review.is_valid()
    result = review.to_parsed()
    assert [(c.title, c.published) for c in result.chapters] == [("Low", datetime.date(2020, 2, 1))]
    assert result.tags == {"fandom": ["Invented Seas"]} and result.language == "fr"
    assert result.series == parsed.series


def test_mistakes_are_shown_and_the_text_is_kept(parsed):
    shown = ImportReview(parsed=parsed)
    data = _post_data(
        shown,
        title="",
        summary="s" * 1300,
        **{"chapters-1-body": "", "chapters-0-body": "Kept text."},
    )
    review = ImportReview(data, parsed=parsed)
    assert not review.is_valid()
    assert review.form.errors["title"] == ["Please enter a title."]
    assert "at most 1250 characters" in review.form.errors["summary"][0]
    assert review.chapters.forms[1].errors["body"] == ["Please enter the text of this chapter."]
    assert review.chapters.forms[0]["body"].value() == "Kept text."


def test_every_chapter_removed_is_refused(parsed):
    data = _post_data(
        ImportReview(parsed=parsed), **{"chapters-0-DELETE": "on", "chapters-1-DELETE": "on"}
    )
    review = ImportReview(data, parsed=parsed)
    assert not review.is_valid()
    assert review.chapters.non_form_errors() == ["A work needs at least one chapter: keep one."]


def test_a_hostile_chapter_number_is_an_error_not_a_crash(parsed):
    data = _post_data(ImportReview(parsed=parsed), **{"chapters-0-source": "٣"})
    review = ImportReview(data, parsed=parsed)
    assert not review.is_valid()
    assert "source" in review.chapters.forms[0].errors
