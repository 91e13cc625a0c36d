"""FanFiction.Net-style stories (works/importing/ffn_text.py): original sample stories under
fixtures/, plain and HTML, with and without notes and chapter headings; and the hostile
corpus (tests/security), whose every case, read as a story, must come out safe once rendered."""

import datetime
import json
from pathlib import Path

import pytest
from django.utils.html import escape

from tests.security import CORPUS_SIZE, check_xss
from works.importing.ffn_text import parse_story
from works.rendering import render_markdown

FIXTURES = Path(__file__).parent / "fixtures"


def _story(name, **kwargs):
    return parse_story((FIXTURES / name).read_text(encoding="utf-8"), **kwargs)


# --- a story with a header, notes and chapter headings ---------------------------------------


@pytest.fixture(scope="module")
def lighthouse():
    return _story("ffn_lighthouse.txt")


def test_title_author_and_summary_from_the_first_lines(lighthouse):
    assert lighthouse.title == "The Lighthouse Keeper's Daughter"
    assert lighthouse.creators == ["saltwater_quill"]
    assert lighthouse.summary == (
        "<p>Mara has kept the light for ten years, and nothing has ever come out of the fog. "
        "Until tonight.</p>"
    )
    assert "The summary was guessed from line 3." in lighthouse.guesses


def test_an_authors_note_run_into_the_summary_goes_to_the_notes(lighthouse):
    assert lighthouse.notes == (
        "<p>A/N: My first story here, so be gentle! R&amp;R please!</p>\n\n"
        "<p>Disclaimer: The lighthouse is mine. The fog belongs to everybody.</p>"
    )
    assert any(g.startswith("An author's note in the summary") for g in lighthouse.guesses)


def test_chapters_by_number_word_and_plain_headings(lighthouse):
    assert [c.title for c in lighthouse.chapters] == ["Fog", "The Ship", ""]
    first = lighthouse.chapters[0]
    assert first.body.startswith("<p>The lamp needed oil again.</p>\n\n<p>Mara climbed")
    assert "<p>* * *</p>" in first.body  # a scene break inside a chapter stays
    assert "Chapter" not in first.body and "A/N" not in first.body
    assert "3 chapters were found by their headings." in lighthouse.guesses
    assert lighthouse.warnings == []


def test_authors_notes_at_a_chapters_start_and_end_become_its_notes(lighthouse):
    first, second, third = lighthouse.chapters
    assert first.endnotes == (
        "<p>A/N: Thanks for reading! The next chapter is already half written.</p>"
    )
    assert second.notes == "<p>AN: Sorry this took so long, exams.</p>"
    assert second.body.startswith("<p>A hull scraped")
    assert third.endnotes == "<p>A/N: The end! Tell me what you thought.</p>"


# --- without notes, without headings, one paragraph a line -----------------------------------


def test_a_one_shot_without_summary_or_headings():
    story = _story("ffn_glasswork.txt")
    assert story.title == "Glasswork" and story.summary == "" and story.notes == ""
    (chapter,) = story.chapters
    assert chapter.title == ""
    paragraphs = chapter.body.split("\n\n")
    assert len(paragraphs) == 3 and paragraphs[2] == "<p>I still have it.</p>"
    # Lines wrapped at a fixed width are one paragraph again.
    assert "taught me to blow glass. It was hot work, and she was impatient" in paragraphs[0]
    assert "Lines wrapped at a fixed width were joined into paragraphs." in story.guesses
    assert "No chapter headings were found: the text is one chapter." in story.guesses


def test_a_one_shots_notes_are_the_works():
    story = parse_story(
        "Harbour Song\n\nA/N: written on a ferry.\n\nThe gulls sang first.\n\n"
        "Then the engines.\n\nA/N: thanks for reading!"
    )
    assert story.notes == "<p>A/N: written on a ferry.</p>"
    assert story.endnotes == "<p>A/N: thanks for reading!</p>"
    assert story.summary == ""
    assert story.chapters[0].body == "<p>The gulls sang first.</p>\n\n<p>Then the engines.</p>"


def test_labelled_header_and_one_line_paragraphs_with_short_headings():
    story = _story("ffn_night_market.txt")
    assert (story.title, story.creators) == ("The Night Market", ["lantern_moth"])
    assert story.summary.startswith("<p>Every full moon, a market opens")
    assert story.tags == {"rating": ["Teen And Up Audiences"]}
    assert "The rating “T” was read as Teen And Up Audiences." in story.guesses
    assert [c.title for c in story.chapters] == ["One Coin", "One Question"]
    assert story.chapters[0].body.count("<p>") == 4  # each line was a paragraph
    assert not any("guessed" in g for g in story.guesses)  # everything was labelled


def test_an_html_story_keeps_its_paragraphs_and_formatting():
    story = _story("ffn_paper_boats.html")
    assert story.title == "Paper Boats"
    assert story.summary == "<p>Two children, one gutter, a rainy week.</p>"
    assert story.notes == "<p>Disclaimer: the rain is not mine.</p>"
    assert story.tags["rating"] == ["General Audiences"]
    titles = [c.title for c in story.chapters]
    assert titles == ["Prologue", "Monday", "Tuesday", "Epilogue"]
    prologue, monday, tuesday, epilogue = story.chapters
    assert "<em>bus ticket</em>" in monday.body and "<strong>receipt</strong>" in monday.body
    assert monday.notes == "<p>Author's Note: thank you for the lovely reviews!</p>"
    # Old-style text: two <br> end a paragraph, one is a line break.
    assert tuesday.body == (
        "<p>Teo's boat sank at the first corner.</p>\n\n"
        "<p>He made another.<br>\nAnd another.</p>\n\n"
        "<p>By noon the gutter was a fleet.</p>"
    )
    assert epilogue.endnotes == "<p>A/N: That's all! Thank you for reading.</p>"
    assert "<hr>" not in prologue.body


def test_a_list_of_chapters_is_left_out_and_a_missing_chapter_is_warned_about():
    story = _story("ffn_seasons.txt")
    assert [c.title for c in story.chapters] == ["Spring", "Summer", "Winter"]
    assert all(c.body for c in story.chapters)
    assert "A list of chapters at the top was left out." in story.guesses
    assert story.warnings == ["The chapter headings go from 2 to 4: is a chapter missing?"]


@pytest.mark.parametrize(
    ("heading", "title"),
    [
        ("Chapter 12", ""),
        ("Chapter 12: The Storm", "The Storm"),
        ("chapter 12 - The Storm", "The Storm"),
        ("Ch. 12: The Storm", "The Storm"),
        ("CHAPTER TWELVE", ""),
        ("Chapter Twenty-One: Late", "Late"),
        ("Chapter XII. The Storm", "The Storm"),
        ("**Chapter 12**", ""),
    ],
)
def test_chapter_heading_forms(heading, title):
    story = parse_story(f"A Title\n\n{heading}\n\nThe text of it.\n\nMore text.")
    assert [c.title for c in story.chapters] == [title]
    assert story.chapters[0].body == "<p>The text of it.</p>\n\n<p>More text.</p>"


@pytest.mark.parametrize(
    "line",
    [
        "Chapter two of my life began on a Tuesday.",
        "The chapter 2 meeting was cancelled.",
        "An old man walked by the shore.",
    ],
)
def test_sentences_that_mention_chapters_are_text(line):
    story = parse_story(f"A Title\n\nFirst paragraph here.\n\n{line}\n\nLast paragraph.")
    assert len(story.chapters) == 1 and line in story.chapters[0].body


def test_plain_text_is_never_read_as_markup():
    story = parse_story(
        "Angle Brackets\n\nShe typed <script>alert(1)</script> & left.\n\nI <3 you.",
        html_input=False,
    )
    body = story.chapters[0].body
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; left." in body
    assert "<script>" not in body and "I &lt;3 you." in body


def test_no_title_is_a_warning():
    story = parse_story("x" * 400 + "\n\nMore.")
    assert story.title == ""
    assert "No title was found: please enter one." in story.warnings


def test_empty_text():
    story = parse_story("")
    assert story.title == "" and len(story.chapters) == 1 and story.chapters[0].body == ""
    assert "Chapter 1 has no text." in story.warnings


# --- the hostile corpus ----------------------------------------------------------------------


def parse_then_render(text):
    """A hostile case read as a whole story and in every place of one, then every field of the
    result rendered as the posting services would (titles are escaped plain text)."""
    story = (
        f"{text}\nSummary: {text}\nA/N: {text}\n\nChapter 1: {text}\n\n{text}\n\n"
        f"A/N: {text}\n\nChapter 2\n\n{text}"
    )
    out = []
    for source in (text, story):
        for html_input in (None, True, False):
            parsed = parse_story(source, html_input=html_input)
            out.append(f"<p>{escape(parsed.title)}</p>")
            out.extend(render_markdown(t) for t in (parsed.summary, parsed.notes, parsed.endnotes))
            for chapter in parsed.chapters:
                out.append(f"<p>{escape(chapter.title)}</p>")
                for field in (chapter.body, chapter.summary, chapter.notes, chapter.endnotes):
                    out.append(render_markdown(field))
    return "".join(out)


def test_every_corpus_case_read_as_a_story_renders_safely(tmp_path):
    report = tmp_path / "xss.json"
    status = check_xss.main(
        ["tests.works.importing.test_ffn_text:parse_then_render", "--strict", "--json", str(report)]
    )
    results = json.loads(report.read_text(encoding="utf-8"))
    failures = {
        r["id"]: (r["problems"] + r["warnings"], r["output"][:200])
        for r in results["results"]
        if not r["passed"]
    }
    assert status == 0 and not failures, failures
    assert results["passed"] == len(results["results"]) == CORPUS_SIZE


def test_fanfiction_net_details_line():
    story = parse_story(
        "Winter Orchard\nBy: frostbitten_pen\n"
        "An orchard keeper and a thief who only steals apples.\n"
        "Rated: Fiction T - English - Romance/Humor - Chapters: 2 - Words: 2,417 - "
        "Reviews: 12 - Updated: 3/14/2016 - Published: 2/1/2016 - Status: Complete - id: 99\n\n"
        "Chapter 1: Frost\n\nSnow on the branches.\n\nChapter 2: Thaw\n\nWater in the gutters.\n"
    )
    assert story.creators == ["frostbitten_pen"]
    assert story.summary == "<p>An orchard keeper and a thief who only steals apples.</p>"
    assert story.tags == {"rating": ["Teen And Up Audiences"]} and story.language == "en"
    assert (story.published, story.updated) == (
        datetime.date(2016, 2, 1),
        datetime.date(2016, 3, 14),
    )
    assert (story.words, story.expected_chapters, story.complete) == (2417, 2, True)
    assert [c.title for c in story.chapters] == ["Frost", "Thaw"]


def test_a_rating_the_archive_does_not_know_is_a_warning():
    story = parse_story("Moth Season\nRated: PG-13\n\nChapter 1\n\nWings.")
    assert "rating" not in story.tags
    assert story.warnings == ["The rating “PG-13” is not one the archive knows: choose one."]
