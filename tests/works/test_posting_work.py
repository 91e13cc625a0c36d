"""Posting a work through /works/new: the form, its validation, preview, drafts."""

import re
from urllib.parse import urlencode

import pytest
from django.test import Client
from django.urls import reverse

from tags.models import Tag, TagType
from tests.factories import make_user
from works.models import (
    Chapter,
    Collection,
    CollectionItem,
    Series,
    SeriesWork,
    TaggedWork,
    Work,
)
from works.services import posting as services

pytestmark = pytest.mark.django_db

NEW = "/works/new"


def work_data(**overrides):
    """A complete, valid /works/new submission (Post button), with overrides."""
    data = {
        "rating": "Teen And Up Audiences",
        "warnings": ["No Archive Warnings Apply"],
        "fandoms": "Harbour Lights (TV)",
        "categories": ["Gen"],
        "relationships": "Mara/Ines",
        "characters": "Mara Quist, Ines Dovel",
        "freeforms": "Fluff, Rainy Days",
        "prompts": "",
        "title": "The Lamp on the Pier",
        "summary": "Mara keeps the lamp lit.",
        "notes": "Written for a friend.",
        "endnotes": "Thanks for reading.",
        "language": "en",
        "series": "",
        "series_title": "",
        "collections": "",
        "expected_chapters": "",
        "chapter_title": "",
        "body": "The lamp on the pier had burned every night for forty years.",
        "comment_permission": "everyone",
        "published_at": "",
        "post_button": "1",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def field_errors(response, name):
    """The error messages shown next to field `name` (its ul.errorlist#id_<name>_error)."""
    html = response.content.decode()
    match = re.search(rf'<ul class="errorlist" id="id_{name}_error">(.*?)</ul>', html, re.S)
    if not match:
        return []
    return re.findall(r"<li>(.*?)</li>", match.group(1), re.S)


def input_value(response, name):
    html = response.content.decode()
    match = re.search(rf'<input type="text" name="{name}" value="([^"]*)"', html)
    return match.group(1) if match else None


def is_checked(html, name, value):
    match = re.search(
        rf'<input type="(?:checkbox|radio)" name="{name}" value="{value}"[^>]*>', html
    )
    assert match, (name, value)
    return " checked" in match.group(0)


def textarea_value(response, name):
    html = response.content.decode()
    match = re.search(rf'<textarea name="{name}"[^>]*>\n?(.*?)</textarea>', html, re.S)
    return match.group(1) if match else None


# The form ------------------------------------------------------------------------------------


def test_guest_is_sent_to_log_in(client):
    response = client.get(NEW)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert "next=/works/new" in response["Location"]


def test_form_has_ao3_labels_each_a_real_label(author_client):
    html = author_client.get(NEW).content.decode()
    for name, label in [
        ("rating", "Rating"),
        ("fandoms", "Fandoms"),
        ("relationships", "Relationships"),
        ("characters", "Characters"),
        ("freeforms", "Additional Tags"),
        ("prompts", "Prompts"),
        ("title", "Work Title"),
        ("summary", "Summary"),
        ("notes", "Notes"),
        ("endnotes", "End Notes"),
        ("language", "Language"),
        ("series", "Series"),
        ("collections", "Collections"),
        ("multichapter", "This work has multiple chapters"),
        ("expected_chapters", "Chapter 1 of"),
        ("chapter_title", "Chapter Title"),
        ("body", "Work Text"),
        ("restricted", "Only show your work to registered users"),
        ("published_at", "Published date"),
    ]:
        assert re.search(rf'<label for="id_{name}"[^>]*>{label}</label>', html), name
        assert f'id="id_{name}"' in html
    # Groups of checkboxes and radio buttons: a legend, and a label per choice.
    for legend in ["Archive Warnings", "Categories", "Who can comment on this work"]:
        assert re.search(rf"<legend[^>]*>{legend}</legend>", html)
    assert '<label for="id_warnings_1"><input type="checkbox" name="warnings"' in html
    for button in ["Post", "Preview", "Save As Draft"]:
        assert re.search(rf'<button type="submit" name="\w+" value="1">{button}</button>', html)
    assert ">Cancel</a>" in html


def test_tag_inputs_carry_autocomplete_type(author_client):
    html = author_client.get(NEW).content.decode()
    for name, kind in [
        ("fandoms", "fandom"),
        ("relationships", "relationship"),
        ("characters", "character"),
        ("freeforms", "freeform"),
    ]:
        assert re.search(rf'name="{name}" data-autocomplete-type="{kind}"', html)


def test_text_areas_have_no_maxlength_that_would_cut_pasted_text(author_client):
    html = author_client.get(NEW).content.decode()
    form = html.split('id="work-form"', 1)[1].split("</form>", 1)[0]
    assert "<textarea" in form
    assert "maxlength" not in form


def test_series_choice_lists_only_my_series(author_client, author):
    mine = services.series_create(creator=author, title="Harbour Nights")
    services.series_create(creator=make_user(), title="Someone Else's Series")
    html = author_client.get(NEW).content.decode()
    assert f'<option value="{mine.pk}">Harbour Nights</option>' in html
    assert "Someone Else" not in html


# Posting ---------------------------------------------------------------------------------


def test_post_creates_a_posted_work_with_every_field(author_client, author):
    response = author_client.post(
        NEW,
        work_data(
            prompts="Whumptober 2025 Day 02: Taking Accountability",
            restricted="on",
            comment_permission="registered",
            moderate_comments="on",
            chapter_title="Lamplight",
            published_at="2020-05-04",
            language="fr",
        ),
    )
    work = Work.objects.get()
    assert response.status_code == 302
    assert response["Location"] == work.get_absolute_url()
    assert work.posted
    assert work.creators.get() == author
    assert work.title == "The Lamp on the Pier"
    assert work.summary == "Mara keeps the lamp lit."
    assert work.notes == "Written for a friend."
    assert work.endnotes == "Thanks for reading."
    assert work.language == "fr"
    assert work.restricted
    assert work.comment_permission == "registered"
    assert work.moderate_comments
    assert str(work.published_at) == "2020-05-04"
    assert work.expected_chapters == 1
    assert work.is_complete
    chapter = work.chapters.get()
    assert chapter.posted and chapter.title == "Lamplight"
    assert str(chapter.published_at) == "2020-05-04"
    tags = {(t.type, t.name) for t in work.tags.all()}
    assert tags == {
        (TagType.RATING, "Teen And Up Audiences"),
        (TagType.WARNING, "No Archive Warnings Apply"),
        (TagType.CATEGORY, "Gen"),
        (TagType.FANDOM, "Harbour Lights (TV)"),
        (TagType.RELATIONSHIP, "Mara/Ines"),
        (TagType.CHARACTER, "Mara Quist"),
        (TagType.CHARACTER, "Ines Dovel"),
        (TagType.FREEFORM, "Fluff"),
        (TagType.FREEFORM, "Rainy Days"),
        (TagType.PROMPT, "Whumptober 2025 Day 02: Taking Accountability"),
    }


def test_multichapter_work_with_unknown_total_shows_question_mark(author_client):
    author_client.post(NEW, work_data(multichapter="on", expected_chapters=""))
    work = Work.objects.get()
    assert work.expected_chapters is None
    assert work.chapters_display == "1/?"
    assert not work.is_complete


def test_multichapter_work_with_expected_total(author_client):
    author_client.post(NEW, work_data(multichapter="on", expected_chapters="5"))
    work = Work.objects.get()
    assert work.chapters_display == "1/5"
    assert not work.is_complete


def test_expected_total_without_the_multichapter_box_means_one_chapter(author_client):
    author_client.post(NEW, work_data(expected_chapters="5"))
    assert Work.objects.get().chapters_display == "1/1"


def test_new_series_title_starts_a_series_of_mine(author_client, author):
    author_client.post(NEW, work_data(series_title="Harbour Nights"))
    series = Series.objects.get()
    assert series.title == "Harbour Nights"
    assert list(series.creators.all()) == [author]
    assert SeriesWork.objects.get().position == 1


def test_existing_series_is_continued(author_client, author):
    series = services.series_create(creator=author, title="Harbour Nights")
    author_client.post(NEW, work_data(title="Part One", series=str(series.pk)))
    author_client.post(NEW, work_data(title="Part Two", series_title="harbour nights"))
    assert Series.objects.count() == 1
    parts = {sw.work.title: sw.position for sw in SeriesWork.objects.select_related("work")}
    assert parts == {"Part One": 1, "Part Two": 2}


def test_someone_elses_series_is_refused(author_client):
    other = services.series_create(creator=make_user(), title="Not Mine")
    response = author_client.post(NEW, work_data(series=str(other.pk)))
    assert response.status_code == 200
    assert field_errors(response, "series")
    assert not Work.objects.exists()


def test_series_pick_and_new_title_together_is_refused(author_client, author):
    series = services.series_create(creator=author, title="Harbour Nights")
    response = author_client.post(NEW, work_data(series=str(series.pk), series_title="Another"))
    assert field_errors(response, "series_title") == [
        "Choose one of your series or type a new series title, not both."
    ]
    assert input_value(response, "series_title") == "Another"


def _collection(name, **flags):
    owner = make_user()
    return Collection.objects.create(
        name=name, title=name.replace("_", " ").title(), owner=owner, **flags
    )


def test_collections_open_and_moderated(author_client):
    _collection("open_shelf")
    _collection("careful_shelf", is_moderated=True)
    response = author_client.post(NEW, work_data(collections="Open_Shelf, careful_shelf"))
    assert response.status_code == 302
    items = {i.collection.name: i.collection_approval for i in CollectionItem.objects.all()}
    assert items == {
        "open_shelf": CollectionItem.Approval.APPROVED,
        "careful_shelf": CollectionItem.Approval.PENDING,
    }
    follow = author_client.get(response["Location"])
    assert "once its moderators approve it" in follow.content.decode()


def test_unknown_and_closed_collections_are_clear_errors(author_client):
    _collection("shut_shelf", is_closed=True)
    response = author_client.post(NEW, work_data(collections="no_such_shelf, shut_shelf"))
    assert response.status_code == 200
    assert field_errors(response, "collections") == [
        "There is no collection called “no_such_shelf”.",
        "“Shut Shelf” is closed to new works.",
    ]
    assert input_value(response, "collections") == "no_such_shelf, shut_shelf"
    assert not Work.objects.exists()


# Validation: message next to the field, everything typed kept -----------------------------


def _refused(client, field, message, **overrides):
    response = client.post(NEW, work_data(**overrides))
    assert response.status_code == 200
    assert message in field_errors(response, field), field_errors(response, field)
    assert not Work.objects.exists()
    return response


def test_missing_title_is_refused_and_everything_typed_is_kept(author_client):
    response = _refused(author_client, "title", "Please enter a title.", title="  ")
    assert input_value(response, "fandoms") == "Harbour Lights (TV)"
    assert input_value(response, "characters") == "Mara Quist, Ines Dovel"
    assert textarea_value(response, "summary") == "Mara keeps the lamp lit."
    assert textarea_value(response, "body").startswith("The lamp on the pier")
    html = response.content.decode()
    assert '<option value="Teen And Up Audiences" selected>' in html
    assert is_checked(html, "warnings", "No Archive Warnings Apply")
    assert not is_checked(html, "warnings", "Major Character Death")
    assert is_checked(html, "categories", "Gen")
    # The summary at the top links to the field.
    assert '<a href="#field_title">Work Title</a>: Please enter a title.' in html


def test_missing_fandom_is_refused(author_client):
    _refused(author_client, "fandoms", "Add at least one fandom.", fandoms=" , ,")


def test_missing_rating_is_refused(author_client):
    _refused(author_client, "rating", "Choose a rating.", rating="")


def test_two_ratings_are_refused(author_client):
    _refused(author_client, "rating", "Choose exactly one rating.", rating=["Mature", "Explicit"])


def test_unknown_rating_is_refused(author_client):
    _refused(author_client, "rating", "Choose one of the ratings in the list.", rating="Spicy")


def test_missing_warning_is_refused(author_client):
    _refused(author_client, "warnings", "Choose at least one archive warning.", warnings=[])


def test_missing_language_is_refused(author_client):
    _refused(author_client, "language", "Choose the language the work is written in.", language="")


def test_empty_text_is_refused(author_client):
    response = _refused(author_client, "body", "Please enter the text of your work.", body="\n  \n")
    assert input_value(response, "title") == "The Lamp on the Pier"


def test_title_of_255_characters_is_accepted_and_256_refused(author_client):
    _refused(
        author_client,
        "title",
        "The title must be at most 255 characters; it has 256.",
        title="t" * 256,
    )
    response = author_client.post(NEW, work_data(title="t" * 255))
    assert response.status_code == 302


def test_summary_over_1250_characters_is_refused(author_client):
    response = _refused(
        author_client,
        "summary",
        "The summary must be at most 1250 characters; it has 1251.",
        summary="s" * 1251,
    )
    assert textarea_value(response, "summary") == "s" * 1251


def test_summary_line_breaks_count_once(author_client):
    summary = ("line\r\n" * 208) + "ab"  # 1,250 characters as the author sees them
    response = author_client.post(NEW, work_data(summary=summary))
    assert response.status_code == 302
    assert Work.objects.get().summary == summary.replace("\r\n", "\n")


def test_notes_and_end_notes_over_5000_characters_are_refused(author_client):
    response = author_client.post(NEW, work_data(notes="n" * 5001, endnotes="e" * 5001))
    assert field_errors(response, "notes") == [
        "Notes must be at most 5000 characters; they have 5001."
    ]
    assert field_errors(response, "endnotes") == [
        "End notes must be at most 5000 characters; they have 5001."
    ]
    assert not Work.objects.exists()


def test_chapter_of_510000_characters_is_accepted(author_client):
    sentence = "Rain on the pier, and the lamp still burning. "
    body = (sentence * (510_000 // len(sentence) + 1))[:510_000]
    assert len(body) == 510_000
    response = author_client.post(NEW, work_data(body=body))
    assert response.status_code == 302
    chapter = Chapter.objects.get()
    assert chapter.body == body
    assert chapter.word_count > 90_000


def test_chapter_of_510000_cjk_characters_is_accepted_as_a_browser_sends_it(author_client):
    """Browsers send forms URL-encoded: each CJK character becomes nine bytes on the wire."""
    body = ("灯台の光は四十年消えなかった。" * 40_000)[:510_000]
    encoded = urlencode(work_data(body=body, language="ja"), doseq=True)
    assert len(encoded) > 4_500_000
    response = author_client.post(NEW, encoded, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 302
    chapter = Chapter.objects.get()
    assert chapter.body == body
    assert chapter.word_count > 400_000  # each CJK character counts as a word


def test_chapter_of_510001_characters_is_refused_with_a_message(author_client):
    body = "a" * 510_001
    response = author_client.post(NEW, work_data(body=body))
    assert response.status_code == 200
    assert field_errors(response, "body") == [
        "The text must be at most 510000 characters; it has 510001. Split it into chapters."
    ]
    assert len(textarea_value(response, "body")) == 510_001
    assert not Work.objects.exists()


def test_75_tags_are_accepted_and_76_refused(author_client):
    characters = ", ".join(f"Sailor {n}" for n in range(70))
    # 1 fandom + 1 relationship + 70 characters + 2 additional tags = 74; one more is fine.
    response = author_client.post(
        NEW, work_data(characters=characters, freeforms="Fluff, Rainy Days, Storms")
    )
    assert response.status_code == 302
    Work.objects.all().delete()
    response = author_client.post(
        NEW, work_data(characters=characters, freeforms="Fluff, Rainy Days, Storms, Fog")
    )
    assert response.status_code == 200
    assert field_errors(response, "characters") == [
        "You have entered 76 fandom, relationship, character and additional tags; the limit "
        "is 75 in total. Please remove 1."
    ]
    assert input_value(response, "characters") == characters
    assert not Work.objects.exists()


def test_prompts_do_not_count_towards_the_tag_limit(author_client):
    characters = ", ".join(f"Sailor {n}" for n in range(71))  # 75 with fandom, ship, 2 tags
    response = author_client.post(
        NEW, work_data(characters=characters, prompts="Day 1: Fog, Day 2: Lanterns")
    )
    assert response.status_code == 302


@pytest.mark.parametrize("char", list(",^*<>{}=`\\%".replace(",", "")))
def test_tag_names_with_forbidden_characters_are_refused(author_client, char):
    response = author_client.post(NEW, work_data(freeforms=f"Fluff, Bad{char}Tag"))
    errors = field_errors(response, "freeforms")
    assert len(errors) == 1
    assert "Tag names cannot contain" in errors[0]
    assert "Bad" in errors[0]
    assert not Work.objects.exists()


def test_tag_name_over_150_characters_is_refused(author_client):
    response = author_client.post(NEW, work_data(relationships="r" * 151))
    errors = field_errors(response, "relationships")
    assert errors and "at most 150 characters" in errors[0]
    assert input_value(response, "relationships") == "r" * 151
    response = author_client.post(NEW, work_data(relationships="r" * 150))
    assert response.status_code == 302


def test_name_used_by_another_type_becomes_name_with_type(author_client):
    author_client.post(NEW, work_data(title="First", characters="Harbour"))
    author_client.post(NEW, work_data(title="Second", fandoms="Harbour", characters=""))
    second = Work.objects.get(title="Second")
    assert [t.name for t in second.tags.filter(type=TagType.FANDOM)] == ["Harbour (Fandom)"]
    assert Tag.objects.get(name="Harbour").type == TagType.CHARACTER


def test_backdate_in_the_future_is_refused(author_client):
    _refused(
        author_client,
        "published_at",
        "The publication date cannot be in the future.",
        published_at="2999-01-01",
    )


def test_impossible_chapter_total_is_refused(author_client):
    _refused(
        author_client,
        "expected_chapters",
        "The number of chapters must be at least 1.",
        multichapter="on",
        expected_chapters="0",
    )
    _refused(
        author_client,
        "expected_chapters",
        "The number of chapters must be a whole number, or left blank.",
        multichapter="on",
        expected_chapters="many",
    )


# One transaction ------------------------------------------------------------------------


@pytest.mark.server_error_expected
def test_a_failure_midway_leaves_nothing_written(author_client, monkeypatch):
    _collection("open_shelf")

    def broken(**kwargs):
        raise RuntimeError("the collections write failed")

    monkeypatch.setattr(services, "work_set_collections", broken)
    tags_before = Tag.objects.count()
    with pytest.raises(RuntimeError):
        author_client.post(NEW, work_data(series_title="Harbour Nights", collections="open_shelf"))
    assert not Work.objects.exists()
    assert not Chapter.objects.exists()
    assert not TaggedWork.objects.exists()
    assert not Series.objects.exists()
    assert not CollectionItem.objects.exists()
    assert Tag.objects.count() == tags_before


# Preview, drafts ---------------------------------------------------------------------------


def test_preview_saves_a_draft_and_shows_the_reader_page(author_client, reader):
    response = author_client.post(NEW, work_data(preview_button="1", post_button=None))
    work = Work.objects.get()
    assert not work.posted
    assert response["Location"] == f"/works/{work.pk}/preview"
    page = author_client.get(response["Location"])
    html = page.content.decode()
    assert page.status_code == 200
    # The reader's page: AO3 markup, the text, the tags.
    assert '<h2 class="title heading">' in html
    assert "The lamp on the pier had burned every night" in html
    assert "Harbour Lights (TV)" in html
    assert 'name="post_button"' in html and ">Post</button>" in html
    assert ">Save As Draft</button>" in html
    assert f'href="/works/{work.pk}/edit"' in html
    # Nobody else sees the draft.
    client = Client()
    client.force_login(reader)
    assert client.get(f"/works/{work.pk}").status_code == 404


def test_preview_then_post_publishes(author_client):
    author_client.post(NEW, work_data(preview_button="1", post_button=None))
    work = Work.objects.get()
    response = author_client.post(f"/works/{work.pk}/preview", {"post_button": "1"})
    assert response["Location"] == work.get_absolute_url()
    work.refresh_from_db()
    assert work.posted and work.published_at
    assert work.chapters.get().posted
    assert work.chapter_count == 1


def test_preview_then_edit_shows_the_form_filled_in(author_client):
    author_client.post(NEW, work_data(preview_button="1", post_button=None, chapter_title="One"))
    work = Work.objects.get()
    response = author_client.get(f"/works/{work.pk}/edit")
    assert input_value(response, "title") == "The Lamp on the Pier"
    assert input_value(response, "characters") == "Ines Dovel, Mara Quist"
    assert input_value(response, "chapter_title") == "One"
    assert textarea_value(response, "notes") == "Written for a friend."
    assert textarea_value(response, "body").startswith("The lamp on the pier")
    html = response.content.decode()
    assert '<option value="Teen And Up Audiences" selected>' in html
    assert ">Post</button>" in html and ">Save As Draft</button>" in html


def test_preview_then_save_as_draft_goes_to_the_dashboard(author_client, author):
    author_client.post(NEW, work_data(preview_button="1", post_button=None))
    work = Work.objects.get()
    response = author_client.post(f"/works/{work.pk}/preview", {"save_button": "1"})
    assert response["Location"] == reverse("works:user_dashboard", args=[author.username])
    work.refresh_from_db()
    assert not work.posted


def test_save_as_draft_keeps_it_unposted_and_goes_to_the_dashboard(author_client, author):
    response = author_client.post(NEW, work_data(save_button="1", post_button=None))
    assert response["Location"] == reverse("works:user_dashboard", args=[author.username])
    work = Work.objects.get()
    assert not work.posted
    assert not work.chapters.get().posted
    assert work.published_at is None


def test_invalid_preview_saves_nothing(author_client):
    response = author_client.post(NEW, work_data(title="", preview_button="1", post_button=None))
    assert response.status_code == 200
    assert not Work.objects.exists()
