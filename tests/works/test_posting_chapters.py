"""Adding, editing, previewing, deleting and reordering chapters; drafts and completeness."""

import pytest
from django.test import Client

from tests.factories import make_chapter, make_work
from tests.works.test_posting_work import field_errors, input_value, textarea_value
from works.models import Chapter

pytestmark = pytest.mark.django_db


def chapter_data(**overrides):
    data = {
        "title": "The Second Night",
        "expected_chapters": "",
        "summary": "Fog rolls in.",
        "notes": "A shorter one.",
        "endnotes": "More soon.",
        "body": "The fog came in thick over the harbour that night.",
        "post_button": "1",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture
def work(author):
    return make_work(creator=author, title="Harbour Lamps", expected_chapters=None)


def test_new_chapter_form_has_its_labels(author_client, work):
    html = author_client.get(f"/works/{work.pk}/chapters/new").content.decode()
    for name, label in [
        ("title", "Chapter Title"),
        ("expected_chapters", "Chapter 2 of"),
        ("summary", "Chapter Summary"),
        ("notes", "Chapter Notes"),
        ("endnotes", "Chapter End Notes"),
        ("body", "Chapter Text"),
    ]:
        assert f'<label for="id_{name}"' in html and f">{label}</label>" in html, name
    for button in ["Post", "Preview", "Save As Draft"]:
        assert f">{button}</button>" in html


def test_post_a_chapter(author_client, work):
    response = author_client.post(f"/works/{work.pk}/chapters/new", chapter_data())
    chapter = work.chapters.get(position=2)
    assert response["Location"] == chapter.get_absolute_url()
    assert chapter.posted and chapter.published_at
    assert chapter.title == "The Second Night"
    assert chapter.summary == "Fog rolls in."
    assert chapter.notes == "A shorter one."
    assert chapter.endnotes == "More soon."
    work.refresh_from_db()
    assert work.chapters_display == "2/?"
    assert work.revised_at is not None


def test_chapters_stat_and_completeness(author_client, work):
    author_client.post(f"/works/{work.pk}/chapters/new", chapter_data(expected_chapters="3"))
    work.refresh_from_db()
    assert work.chapters_display == "2/3"
    assert not work.is_complete
    author_client.post(f"/works/{work.pk}/chapters/new", chapter_data(expected_chapters="3"))
    work.refresh_from_db()
    assert work.chapters_display == "3/3"
    assert work.is_complete


def test_draft_chapter_does_not_count_until_posted(author_client, work, reader):
    client = Client()
    response = author_client.post(
        f"/works/{work.pk}/chapters/new",
        chapter_data(expected_chapters="2", post_button=None, save_button="1"),
    )
    chapter = work.chapters.get(position=2)
    assert response["Location"] == f"/works/{work.pk}/chapters/manage"
    assert not chapter.posted
    work.refresh_from_db()
    assert work.chapters_display == "1/2"
    assert not work.is_complete
    # Only the author sees the draft chapter.
    client.force_login(reader)
    assert client.get(chapter.get_absolute_url()).status_code == 404
    assert "The fog came in" not in client.get(f"/works/{work.pk}/navigate").content.decode()
    assert "The fog came in" in author_client.get(chapter.get_absolute_url()).content.decode()
    # Posting it from its edit page.
    response = author_client.post(
        f"/works/{work.pk}/chapters/{chapter.pk}/edit", chapter_data(expected_chapters="2")
    )
    chapter.refresh_from_db()
    work.refresh_from_db()
    assert chapter.posted
    assert work.chapters_display == "2/2" and work.is_complete
    assert client.get(chapter.get_absolute_url()).status_code == 200


def test_chapter_preview_then_post(author_client, work):
    response = author_client.post(
        f"/works/{work.pk}/chapters/new", chapter_data(post_button=None, preview_button="1")
    )
    chapter = work.chapters.get(position=2)
    assert response["Location"] == f"/works/{work.pk}/chapters/{chapter.pk}/preview"
    assert not chapter.posted
    page = author_client.get(response["Location"])
    html = page.content.decode()
    assert page.status_code == 200
    assert "The fog came in thick" in html
    assert 'id="chapter-2"' in html
    assert ">Post</button>" in html and ">Save As Draft</button>" in html
    assert f'href="/works/{work.pk}/chapters/{chapter.pk}/edit"' in html
    response = author_client.post(response["Location"], {"post_button": "1"})
    assert response["Location"] == chapter.get_absolute_url()
    chapter.refresh_from_db()
    assert chapter.posted


def test_chapter_preview_save_as_draft(author_client, work):
    author_client.post(
        f"/works/{work.pk}/chapters/new", chapter_data(post_button=None, preview_button="1")
    )
    chapter = work.chapters.get(position=2)
    response = author_client.post(
        f"/works/{work.pk}/chapters/{chapter.pk}/preview", {"save_button": "1"}
    )
    assert response["Location"] == f"/works/{work.pk}/chapters/manage"
    chapter.refresh_from_db()
    assert not chapter.posted


def test_chapter_validation_keeps_what_was_typed(author_client, work):
    response = author_client.post(
        f"/works/{work.pk}/chapters/new",
        chapter_data(body="   ", title="t" * 256, summary="s" * 1251, expected_chapters="0"),
    )
    assert response.status_code == 200
    assert field_errors(response, "body") == ["Please enter the text of this chapter."]
    assert field_errors(response, "title") == [
        "A chapter title must be at most 255 characters; it has 256."
    ]
    assert field_errors(response, "summary") == [
        "The summary must be at most 1250 characters; it has 1251."
    ]
    assert field_errors(response, "expected_chapters") == [
        "The number of chapters must be at least 1."
    ]
    assert input_value(response, "title") == "t" * 256
    assert textarea_value(response, "notes") == "A shorter one."
    assert work.chapters.count() == 1


def test_chapter_of_510000_characters_is_accepted_and_one_more_refused(author_client, work):
    body = ("Fog. " * 102_000)[:510_000]
    response = author_client.post(f"/works/{work.pk}/chapters/new", chapter_data(body=body))
    assert response.status_code == 302
    assert work.chapters.get(position=2).body == body
    response = author_client.post(f"/works/{work.pk}/chapters/new", chapter_data(body=body + "!"))
    assert field_errors(response, "body") == [
        "The text must be at most 510000 characters; it has 510001. Split it into chapters."
    ]


def test_new_chapter_beyond_the_expected_total_offers_a_larger_total(author_client, author):
    work = make_work(creator=author, expected_chapters=1)
    response = author_client.get(f"/works/{work.pk}/chapters/new")
    assert 'name="expected_chapters" value="2"' in response.content.decode()
    author_client.post(f"/works/{work.pk}/chapters/new", chapter_data(expected_chapters="2"))
    work.refresh_from_db()
    assert work.chapters_display == "2/2" and work.is_complete


def test_expected_total_below_the_chapter_count_is_refused(author_client, author):
    work = make_work(creator=author, chapters=2, expected_chapters=None)
    response = author_client.post(
        f"/works/{work.pk}/chapters/new", chapter_data(expected_chapters="2")
    )
    assert field_errors(response, "expected_chapters") == [
        "This work already has 3 chapters; the total cannot be lower."
    ]


def test_edit_a_posted_chapter(author_client, work):
    chapter = make_chapter(work, title="Old", body="Old text.")
    response = author_client.get(f"/works/{work.pk}/chapters/{chapter.pk}/edit")
    assert input_value(response, "title") == "Old"
    assert ">Update</button>" in response.content.decode()
    response = author_client.post(
        f"/works/{work.pk}/chapters/{chapter.pk}/edit",
        chapter_data(title="New", body="New text, longer now."),
    )
    assert response["Location"] == chapter.get_absolute_url()
    chapter.refresh_from_db()
    work.refresh_from_db()
    assert chapter.title == "New" and chapter.posted
    assert work.word_count == work.chapters.get(position=1).word_count + 4


def test_preview_of_a_posted_chapter_saves_nothing(author_client, work):
    chapter = make_chapter(work, title="Old", body="Old text.")
    response = author_client.post(
        f"/works/{work.pk}/chapters/{chapter.pk}/edit",
        chapter_data(title="New", body="Brand new text.", post_button=None, preview_button="1"),
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Brand new text." in html
    assert 'type="hidden" name="body" value="Brand new text."' in html
    chapter.refresh_from_db()
    assert chapter.title == "Old" and chapter.body == "Old text."


def test_delete_a_chapter_after_confirmation(author_client, author):
    work = make_work(creator=author, chapters=3)
    second = work.chapters.get(position=2)
    response = author_client.get(f"/works/{work.pk}/chapters/{second.pk}/delete")
    assert "Are you sure you want to delete Chapter 2" in response.content.decode()
    assert Chapter.objects.filter(pk=second.pk).exists()
    response = author_client.post(f"/works/{work.pk}/chapters/{second.pk}/delete")
    assert response["Location"] == f"/works/{work.pk}/chapters/manage"
    assert list(work.chapters.values_list("position", flat=True)) == [1, 2]
    work.refresh_from_db()
    assert work.chapters_display == "2/3"


def test_the_only_chapter_cannot_be_deleted(author_client, work):
    only = work.chapters.get()
    response = author_client.get(f"/works/{work.pk}/chapters/{only.pk}/delete")
    html = response.content.decode()
    assert "You can't delete the only chapter of a work" in html
    assert "Yes, Delete Chapter" not in html
    response = author_client.post(f"/works/{work.pk}/chapters/{only.pk}/delete")
    assert response.status_code == 400
    assert "You can't delete the only chapter of a work" in response.content.decode()
    assert Chapter.objects.filter(pk=only.pk).exists()


def test_the_only_posted_chapter_of_a_posted_work_cannot_be_deleted(author_client, work):
    make_chapter(work, post=False)
    first = work.chapters.get(position=1)
    response = author_client.post(f"/works/{work.pk}/chapters/{first.pk}/delete")
    assert response.status_code == 400
    assert "only posted chapter" in response.content.decode()
    assert Chapter.objects.filter(pk=first.pk).exists()


def test_reorder_chapters_with_numbers(author_client, author):
    work = make_work(creator=author, chapters=3)
    first, second, third = work.chapters.order_by("position")
    page = author_client.get(f"/works/{work.pk}/chapters/manage").content.decode()
    assert (
        f'<label for="id_position_{third.pk}" class="required">Position of Chapter 3</label>'
        in (page)
    )
    assert f'name="position_{third.pk}" value="3"' in page
    response = author_client.post(
        f"/works/{work.pk}/chapters/manage",
        {f"position_{first.pk}": "3", f"position_{second.pk}": "1", f"position_{third.pk}": "2"},
    )
    assert response["Location"] == f"/works/{work.pk}/chapters/manage"
    assert list(work.chapters.order_by("position").values_list("pk", flat=True)) == [
        second.pk,
        third.pk,
        first.pk,
    ]


def test_reorder_with_bad_numbers_is_refused(author_client, author):
    work = make_work(creator=author, chapters=2)
    first, second = work.chapters.order_by("position")
    response = author_client.post(
        f"/works/{work.pk}/chapters/manage",
        {f"position_{first.pk}": "two", f"position_{second.pk}": "0"},
    )
    assert response.status_code == 200
    assert field_errors(response, f"position_{first.pk}") == ["Enter a whole number."]
    assert field_errors(response, f"position_{second.pk}") == ["Enter a number of 1 or more."]
    assert list(work.chapters.order_by("position").values_list("pk", flat=True)) == [
        first.pk,
        second.pk,
    ]


def test_manage_page_marks_drafts(author_client, work):
    draft = make_chapter(work, post=False, title="Unfinished")
    html = author_client.get(f"/works/{work.pk}/chapters/manage").content.decode()
    assert "Draft" in html
    assert f'href="/works/{work.pk}/chapters/{draft.pk}/preview"' in html
