"""Bookmarks through the API: they show on the bookmark pages, the bookmark form's own
messages, private bookmarks stay their owner's, others' bookmarks are out of reach, and no
work one may not see can be bookmarked or read of through them."""

import html

import pytest
from django.test import Client

from tests.api.conftest import token_for
from tests.factories import make_secret_work, make_user, make_work
from works.models import Bookmark, WorkStats
from works.services import feedback
from works.services.pseuds import pseud_create

pytestmark = pytest.mark.django_db

TITLE = "Driftglass Hidden Atlas"


def _bookmarks_page(login, client=None):
    return (client or Client()).get(f"/users/{login}/bookmarks").content.decode()


def test_a_bookmark_shows_on_the_bookmarks_page(api):
    work = make_work(title="Lamplit Cartography")
    reader = make_user(username="bookmarkreader")
    secret = token_for(reader, "read", "write:feedback")
    body = {"notes": "Read *twice*.", "tags": ["comfort read", "to reread"], "rec": True}
    response = api.post(f"/api/v1/works/{work.pk}/bookmarks", body, token=secret)
    assert response.status_code == 201
    made = response.json()
    assert made["notes_html"] == "<p>Read <em>twice</em>.</p>"
    assert sorted(made["tags"]) == ["comfort read", "to reread"]
    assert made["rec"] is True and made["private"] is False
    assert made["bookmarker"] == "bookmarkreader" and made["pseud"] == "bookmarkreader"
    page = _bookmarks_page("bookmarkreader")
    assert f'id="bookmark_{made["id"]}"' in page and "Lamplit Cartography" in page
    assert "comfort read" in page
    assert WorkStats.objects.get(work=work).bookmarks == 1
    # Bookmarking again changes the one bookmark.
    again = api.post(f"/api/v1/works/{work.pk}/bookmarks", {"notes": "Third time."}, token=secret)
    assert again.status_code == 200 and again.json()["id"] == made["id"]
    assert Bookmark.objects.get().notes == "Third time."
    assert api.get(f"/api/v1/bookmarks/{made['id']}").json()["notes_html"] == "<p>Third time.</p>"


def test_bad_tags_and_pseuds_get_the_forms_messages(api, client):
    work = make_work()
    reader = make_user(username="badtagger")
    secret = token_for(reader, "write:feedback")
    bad = api.post(f"/api/v1/works/{work.pk}/bookmarks", {"tags": ["ok", "no*stars"]}, token=secret)
    assert bad.status_code == 422
    message = "Tag names cannot contain *: “no*stars”"
    assert bad.json()["errors"] == {"tags": [message]}
    client.force_login(reader)
    page = client.post(f"/works/{work.pk}/bookmarks/new", {"tags": "ok, no*stars"})
    assert message in html.unescape(page.content.decode())
    long_notes = api.post(
        f"/api/v1/works/{work.pk}/bookmarks", {"notes": "n" * 5001}, token=secret
    ).json()
    assert long_notes["errors"]["notes"] == [
        "Ensure this value has at most 5000 characters (it has 5001)."
    ]
    other_pseud = pseud_create(user=make_user(), name="Not Mine")
    stolen = api.post(
        f"/api/v1/works/{work.pk}/bookmarks", {"pseud": other_pseud.name}, token=secret
    )
    assert stolen.json()["errors"] == {"pseud": ["Choose one of your own pseuds."]}
    assert not Bookmark.objects.exists()
    pen = pseud_create(user=reader, name="Inkwell")
    under = api.post(f"/api/v1/works/{work.pk}/bookmarks", {"pseud": "Inkwell"}, token=secret)
    assert under.status_code == 201 and Bookmark.objects.get().pseud == pen


def test_private_bookmarks_are_their_owners_alone(api):
    work = make_work()
    owner = make_user(username="privatebookmarker")
    mine = token_for(owner, "read", "write:feedback")
    made = api.post(
        f"/api/v1/works/{work.pk}/bookmarks", {"notes": "just mine", "private": True}, token=mine
    ).json()
    assert made["private"] is True and WorkStats.objects.get(work=work).bookmarks == 0
    assert api.get(f"/api/v1/bookmarks/{made['id']}", token=mine).status_code == 200
    other = token_for(make_user(), "read", "write:feedback")
    for token in (None, other):
        response = api.get(f"/api/v1/bookmarks/{made['id']}", token=token)
        assert response.status_code == 404 and "just mine" not in response.content.decode()
    assert "just mine" not in _bookmarks_page("privatebookmarker")
    # A token without the read scope reads as a guest: not even its owner's private one.
    no_read = token_for(owner, "write:feedback")
    assert api.get(f"/api/v1/bookmarks/{made['id']}", token=no_read).status_code == 404
    changed = api.patch(f"/api/v1/bookmarks/{made['id']}", {"private": False}, token=mine)
    assert changed.status_code == 200 and changed.json()["notes_html"] == "<p>just mine</p>"
    assert changed.json()["private"] is False and WorkStats.objects.get(work=work).bookmarks == 1
    assert "just mine" in _bookmarks_page("privatebookmarker")


def test_only_the_owner_changes_or_deletes_a_bookmark(api):
    work = make_work()
    owner = make_user(username="ownbookmarker")
    bookmark = feedback.bookmark_save(user=owner, work=work, notes="Keep", tag_text="kept")
    other = token_for(make_user(), "read", "write:feedback")
    path = f"/api/v1/bookmarks/{bookmark.pk}"
    assert api.patch(path, {"notes": "Taken"}, token=other).status_code == 404
    assert api.delete(path, token=other).status_code == 404
    assert api.delete(path).status_code == 401
    assert api.delete(path, token=token_for(owner, "read")).status_code == 403
    assert Bookmark.objects.get().notes == "Keep"
    mine = token_for(owner, "write:feedback")
    changed = api.patch(path, {"rec": True}, token=mine).json()
    assert changed["tags"] == ["kept"] and changed["rec"] is True
    assert api.delete(path, token=mine).status_code == 204
    assert not Bookmark.objects.exists() and WorkStats.objects.get(work=work).bookmarks == 0
    assert "Keep" not in _bookmarks_page("ownbookmarker")


def test_the_generated_client_bookmarks_a_work(api_client):
    from out.api.bookmarks import bookmark_create, bookmark_get
    from out.models import BookmarkIn

    work = make_work(title="Generated Shelf")
    client = api_client(token_for(make_user(username="generatedshelf"), "write:feedback"))
    made = bookmark_create.sync(
        work_id=work.pk, client=client, body=BookmarkIn(notes="From a program", tags=["robot"])
    )
    assert made.work_title == "Generated Shelf" and made.tags == ["robot"]
    assert bookmark_get.sync(bookmark_id=made.id, client=api_client()).bookmarker == (
        "generatedshelf"
    )
    assert "From a program" in _bookmarks_page("generatedshelf")


def test_each_bookmark_write_costs_a_fixed_number_of_queries(api, django_assert_num_queries):
    work = make_work()
    secret = token_for(make_user(), "read", "write:feedback")
    body = {"notes": "n", "tags": ["one", "two"]}
    api.post(f"/api/v1/works/{make_work().pk}/bookmarks", body, token=secret)  # tags exist
    with django_assert_num_queries(24):
        made = api.post(f"/api/v1/works/{work.pk}/bookmarks", body, token=secret).json()
    with django_assert_num_queries(6):
        api.get(f"/api/v1/bookmarks/{made['id']}", token=secret)
    with django_assert_num_queries(22):
        api.patch(f"/api/v1/bookmarks/{made['id']}", {"rec": True}, token=secret)
    with django_assert_num_queries(10):
        api.delete(f"/api/v1/bookmarks/{made['id']}", token=secret)


@pytest.mark.parametrize("state", ["draft", "hidden", "restricted", "unrevealed"])
def test_no_bookmark_of_a_work_one_may_not_see(api, state):
    work = make_secret_work(state, make_user(), title=TITLE)
    bookmarker = make_user()
    bookmark = Bookmark.objects.create(
        user=bookmarker, work=work, pseud=bookmarker.pseuds.get(), notes="About " + TITLE
    )
    reader = make_user()
    # A logged-in reader may read a restricted work; a guest token-less may not.
    token = None if state == "restricted" else token_for(reader, "read", "write:feedback")
    responses = [api.get(f"/api/v1/bookmarks/{bookmark.pk}", token=token)]
    if token:
        responses.append(api.post(f"/api/v1/works/{work.pk}/bookmarks", {}, token=token))
    for response in responses:
        assert response.status_code == 404
        assert TITLE not in response.content.decode()
    assert Bookmark.objects.count() == 1
