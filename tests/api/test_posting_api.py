"""Posting, editing and deleting one's works and chapters through the API (scope write:works):
drafts, posting, PATCH of some fields, chapters, and a program using the generated client."""

import pytest

from tags.models import Tag, TagType
from tests.api.conftest import token_for
from tests.factories import make_chapter, make_work
from works.models import Chapter, Series, Work

pytestmark = pytest.mark.django_db

WORKS = "/api/v1/works"


def new_work(**overrides):
    """A complete, valid work as a program sends it."""
    data = {
        "title": "The Lamp on the Pier",
        "summary": "Mara keeps the lamp lit.",
        "notes": "Written for a friend.",
        "end_notes": "Thanks for reading.",
        "rating": "Teen And Up Audiences",
        "warnings": ["No Archive Warnings Apply"],
        "categories": ["Gen"],
        "fandoms": ["Harbour Lights (TV)"],
        "relationships": "Mara/Ines",
        "characters": ["Mara Quist", "Ines Dovel"],
        "additional_tags": "Fluff, Rainy Days",
        "language": "en",
        "body": "The lamp on the pier had burned every night for forty years.",
    }
    data.update(overrides)
    return data


@pytest.fixture
def secret(author):
    return token_for(author, "read", "write:works")


def tag_names(work, tag_type):
    return sorted(work.tags.filter(type=tag_type).values_list("name", flat=True))


def test_a_new_work_is_a_draft_only_its_creator_sees(api, client, author, secret):
    response = api.post(WORKS, new_work(), token=secret)
    assert response.status_code == 201, response.json()
    body = response.json()
    work = Work.objects.get(pk=body["id"])
    assert response["Location"] == f"/api/v1/works/{work.pk}"
    assert body["api_url"] == f"/api/v1/works/{work.pk}"
    assert body["url"].endswith(f"/works/{work.pk}")
    assert body["posted"] is False and body["title"] == "The Lamp on the Pier"
    assert body["chapters"] == [work.chapters.get().pk]
    assert not work.posted and not work.chapters.get().posted
    assert work.endnotes == "Thanks for reading."
    assert tag_names(work, TagType.CHARACTER) == ["Ines Dovel", "Mara Quist"]
    assert tag_names(work, TagType.FREEFORM) == ["Fluff", "Rainy Days"]
    assert client.get(f"/works/{work.pk}").status_code == 404  # a guest sees no draft
    client.force_login(author)
    assert client.get(f"/works/{work.pk}").status_code == 200


def test_posting_at_once_shows_the_work_to_guests(api, client, secret):
    response = api.post(WORKS, new_work(post=True, expected_chapters=3), token=secret)
    assert response.status_code == 201
    work = Work.objects.get(pk=response.json()["id"])
    assert work.posted and work.published_at and work.expected_chapters == 3
    page = client.get(f"/works/{work.pk}").content.decode()
    assert "The lamp on the pier had burned every night" in page
    assert "Mara keeps the lamp lit." in page


def test_a_new_series_and_an_existing_one(api, author, secret):
    response = api.post(WORKS, new_work(series_title="Pier Stories"), token=secret)
    series = Series.objects.get(title="Pier Stories")
    assert list(series.series_works.values_list("work_id", flat=True)) == [response.json()["id"]]
    second = api.post(WORKS, new_work(title="Second", series=series.pk), token=secret)
    assert series.series_works.count() == 2
    # Someone else's series is not a choice, with the form's message.
    other = Series.objects.create(title="Not Mine")
    refused = api.post(WORKS, new_work(title="Third", series=other.pk), token=secret)
    assert refused.status_code == 422 and "series" in refused.json()["errors"]
    assert second.status_code == 201


def test_patch_changes_only_the_fields_sent(api, author, secret):
    work = Work.objects.get(pk=api.post(WORKS, new_work(), token=secret).json()["id"])
    response = api.patch(
        f"{WORKS}/{work.pk}", {"title": "A New Title", "fandoms": "Other Fandom"}, token=secret
    )
    assert response.status_code == 200, response.json()
    work.refresh_from_db()
    assert work.title == "A New Title" and response.json()["title"] == "A New Title"
    assert tag_names(work, TagType.FANDOM) == ["Other Fandom"]
    # Everything not sent stays as it was.
    assert work.summary == "Mara keeps the lamp lit." and work.notes == "Written for a friend."
    assert tag_names(work, TagType.CHARACTER) == ["Ines Dovel", "Mara Quist"]
    assert tag_names(work, TagType.RATING) == ["Teen And Up Audiences"]
    assert work.chapters.get().body.startswith("The lamp on the pier")
    assert not work.posted
    # Changing the text of a one-chapter work changes its chapter.
    api.patch(f"{WORKS}/{work.pk}", {"body": "New text.", "chapter_title": "One"}, token=secret)
    chapter = work.chapters.get()
    assert (chapter.title, chapter.body) == ("One", "New text.")


def test_patch_validates_the_merged_work_and_changes_nothing_when_refused(api, secret):
    work = Work.objects.get(pk=api.post(WORKS, new_work(), token=secret).json()["id"])
    response = api.patch(f"{WORKS}/{work.pk}", {"title": "Kept?", "fandoms": []}, token=secret)
    assert response.status_code == 422
    assert response.json()["errors"] == {"fandoms": ["Add at least one fandom."]}
    work.refresh_from_db()
    assert work.title == "The Lamp on the Pier"
    assert tag_names(work, TagType.FANDOM) == ["Harbour Lights (TV)"]


def test_a_chaptered_work_text_is_edited_chapter_by_chapter(api, author, secret):
    work = make_work(creator=author, chapters=2)
    response = api.patch(f"{WORKS}/{work.pk}", {"body": "All in one?"}, token=secret)
    assert response.status_code == 422
    assert "non_field_errors" in response.json()["errors"]
    assert not Chapter.objects.filter(body="All in one?").exists()
    # Its total cannot go below the chapters it has: the form's message, under the API's name.
    response = api.patch(f"{WORKS}/{work.pk}", {"expected_chapters": 1}, token=secret)
    assert response.status_code == 422
    assert response.json()["errors"]["expected_chapters"] == [
        "This work has 2 chapters; keep this box ticked."
    ]


def test_posting_a_draft(api, client, secret):
    work_id = api.post(WORKS, new_work(), token=secret).json()["id"]
    response = api.post(f"{WORKS}/{work_id}/post", token=secret)
    assert response.status_code == 200 and response.json()["posted"] is True
    work = Work.objects.get(pk=work_id)
    assert work.posted and work.chapters.get().posted
    assert client.get(f"/works/{work_id}").status_code == 200
    assert Tag.objects.get(name="Harbour Lights (TV)").work_count == 1
    # Posting it again answers the work as it is.
    assert api.post(f"{WORKS}/{work_id}/post", token=secret).status_code == 200


def test_deleting_a_work(api, client, author, secret):
    work = make_work(creator=author, tags={TagType.FANDOM: ["Fading Fandom"]})
    response = api.delete(f"{WORKS}/{work.pk}", token=secret)
    assert response.status_code == 204 and response.content == b""
    assert not Work.objects.filter(pk=work.pk).exists()
    assert Tag.objects.get(name="Fading Fandom").work_count == 0
    assert client.get(f"/works/{work.pk}").status_code == 404
    assert api.delete(f"{WORKS}/{work.pk}", token=secret).status_code == 404


def test_adding_editing_posting_and_deleting_chapters(api, client, author, secret):
    work = make_work(creator=author, expected_chapters=None)
    url = f"{WORKS}/{work.pk}/chapters"
    draft = api.post(url, {"title": "Two", "body": "The second part."}, token=secret)
    assert draft.status_code == 201, draft.json()
    chapter = Chapter.objects.get(pk=draft.json()["id"])
    assert draft["Location"] == f"{url}/{chapter.pk}" == draft.json()["api_url"]
    assert draft.json()["position"] == 2 and not chapter.posted
    assert (
        "The second part."
        not in client.get(f"/works/{work.pk}?view_full_work=true").content.decode()
    )

    edited = api.patch(f"{url}/{chapter.pk}", {"summary": "In which it rains."}, token=secret)
    assert edited.status_code == 200 and edited.json()["posted"] is False
    chapter.refresh_from_db()
    assert chapter.summary == "In which it rains." and chapter.body == "The second part."
    posted = api.patch(f"{url}/{chapter.pk}", {"post": True}, token=secret)
    assert posted.json()["posted"] is True
    page = client.get(f"/works/{work.pk}/chapters/{chapter.pk}").content.decode()
    assert "The second part." in page

    third = api.post(url, {"body": "Third.", "post": True, "expected_chapters": 3}, token=secret)
    assert third.status_code == 201 and third.json()["position"] == 3
    work.refresh_from_db()
    assert work.expected_chapters == 3 and work.is_complete and work.chapter_count == 3

    assert api.delete(f"{url}/{chapter.pk}", token=secret).status_code == 204
    assert list(work.chapters.order_by("position").values_list("position", flat=True)) == [1, 2]


def test_the_only_chapter_stays(api, author, secret):
    work = make_work(creator=author)
    only = work.chapters.get()
    response = api.delete(f"{WORKS}/{work.pk}/chapters/{only.pk}", token=secret)
    assert response.status_code == 422 and response.json()["code"] == "last_chapter"
    assert Chapter.objects.filter(pk=only.pk).exists()


def test_a_chapter_of_another_work_is_not_found(api, author, secret):
    work = make_work(creator=author, chapters=2)
    other = make_work(creator=author, chapters=2)
    chapter = other.chapters.last()
    response = api.patch(f"{WORKS}/{work.pk}/chapters/{chapter.pk}", {"title": "X"}, token=secret)
    assert response.status_code == 404
    assert api.delete(f"{WORKS}/{work.pk}/chapters/{chapter.pk}", token=secret).status_code == 404


def test_the_chapter_form_checks_apply(api, author, secret):
    work = make_work(creator=author, chapters=2)
    url = f"{WORKS}/{work.pk}/chapters"
    response = api.post(url, {"body": "Third.", "expected_chapters": 2}, token=secret)
    assert response.status_code == 422
    assert response.json()["errors"] == {
        "expected_chapters": ["This work already has 3 chapters; the total cannot be lower."]
    }
    second = work.chapters.last()
    response = api.patch(f"{url}/{second.pk}", {"body": "  "}, token=secret)
    assert response.json()["errors"] == {"body": ["Please enter the text of this chapter."]}
    assert make_chapter(work).pk  # the work still takes chapters


def test_a_program_posts_through_the_generated_client(generated, api_client, author):
    from out.api.posting import chapter_create, work_create, work_post
    from out.models import ChapterCreateIn, WorkCreateIn

    client = api_client(token_for(author, "write:works"))
    written = work_create.sync(
        client=client,
        body=WorkCreateIn.from_dict(new_work(title="From My Editor")),
    )
    assert written.title == "From My Editor" and written.posted is False
    chapter = chapter_create.sync(
        work_id=written.id, client=client, body=ChapterCreateIn(body="Part two.", post=True)
    )
    assert chapter.position == 2
    posted = work_post.sync(work_id=written.id, client=client)
    assert posted.posted is True and posted.chapters == [written.chapters[0], chapter.id]
    refused = work_create.sync_detailed(
        client=client, body=WorkCreateIn.from_dict(new_work(title=""))
    )
    assert refused.status_code == 422
    assert refused.parsed.errors["title"] == ["Please enter a title."]
    assert Work.objects.filter(title="From My Editor", posted=True).count() == 1
