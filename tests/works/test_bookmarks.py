import pytest

from archive.models import Mute
from tests.factories import make_tag, make_user, make_work
from works.models import Bookmark, WorkStats
from works.services import feedback

pytestmark = pytest.mark.django_db


def _bookmarks_stat(work):
    return WorkStats.objects.get(work=work).bookmarks


def test_reader_bookmarks_a_work_with_notes_tags_and_rec(client, reader):
    work = make_work(title="Lighthouse Letters")
    client.force_login(reader)
    response = client.post(
        f"/works/{work.pk}/bookmarks/new",
        {"notes": "Read *twice*.", "tags": "comfort read, to reread", "rec": "on"},
    )
    assert response.status_code == 302
    bookmark = Bookmark.objects.get()
    assert bookmark.is_rec and not bookmark.is_private
    assert bookmark.notes_html == "<p>Read <em>twice</em>.</p>"
    assert sorted(t.name for t in bookmark.tags.all()) == ["comfort read", "to reread"]
    page = client.get(f"/users/{reader.username}/bookmarks").content.decode()
    assert f'id="bookmark_{bookmark.pk}"' in page and "Lighthouse Letters" in page
    assert "<em>twice</em>" in page and "comfort read" in page
    assert _bookmarks_stat(work) == 1


def test_bookmarking_again_edits_the_one_bookmark(client, reader):
    work = make_work()
    client.force_login(reader)
    client.post(f"/works/{work.pk}/bookmarks/new", {"notes": "First"})
    client.post(f"/works/{work.pk}/bookmarks/new", {"notes": "Second"})
    assert Bookmark.objects.get().notes == "Second"
    assert _bookmarks_stat(work) == 1


def test_private_bookmarks_are_only_for_their_owner_and_not_counted(client, reader):
    work = make_work(title="Quiet Harbour")
    feedback.bookmark_save(user=reader, work=work, notes="just mine", private=True)
    assert _bookmarks_stat(work) == 0
    for url in (f"/works/{work.pk}/bookmarks", f"/users/{reader.username}/bookmarks"):
        assert "just mine" not in client.get(url).content.decode()
    client.force_login(reader)
    assert "just mine" in client.get(f"/users/{reader.username}/bookmarks").content.decode()


def test_making_a_bookmark_private_updates_the_count(reader):
    work = make_work()
    feedback.bookmark_save(user=reader, work=work)
    assert _bookmarks_stat(work) == 1
    feedback.bookmark_save(user=reader, work=work, private=True)
    assert _bookmarks_stat(work) == 0
    feedback.bookmark_save(user=reader, work=work)
    bookmark = Bookmark.objects.get()
    feedback.bookmark_delete(bookmark=bookmark)
    assert _bookmarks_stat(work) == 0 and not Bookmark.objects.exists()


def test_bookmarks_of_works_the_viewer_may_not_see_are_left_out(client, reader):
    restricted = make_work(title="Members Only Tale", restricted=True)
    feedback.bookmark_save(user=reader, work=restricted, notes="secret note")
    page = client.get(f"/users/{reader.username}/bookmarks").content.decode()
    assert "Members Only Tale" not in page and "secret note" not in page
    assert client.get(f"/works/{restricted.pk}/bookmarks").status_code == 404


def test_tag_bookmarks_lists_works_in_the_tag_and_bookmarker_tags(client, reader):
    fandom_work = make_work(title="In The Fandom", tags={"fandom": ["Tidal Saga"]})
    other = make_work(title="Tagged By Reader")
    feedback.bookmark_save(user=reader, work=fandom_work)
    feedback.bookmark_save(user=reader, work=other, tag_text="Tidal Saga Vibes")
    make_tag("Tidal Saga Vibes Extra")
    page = client.get("/tags/Tidal Saga/bookmarks").content.decode()
    assert "In The Fandom" in page and "Tagged By Reader" not in page
    page = client.get("/tags/Tidal Saga Vibes/bookmarks").content.decode()
    assert "Tagged By Reader" in page and "In The Fandom" not in page


def test_muted_users_bookmarks_disappear_for_the_muter(client, reader):
    work = make_work(title="Shared Favourite")
    noisy = make_user(username="noisy")
    feedback.bookmark_save(user=noisy, work=work, notes="loud opinion")
    Mute.objects.create(muter=reader, muted=noisy)
    client.force_login(reader)
    assert "loud opinion" not in client.get(f"/works/{work.pk}/bookmarks").content.decode()
    client.logout()
    assert "loud opinion" in client.get(f"/works/{work.pk}/bookmarks").content.decode()


def test_bookmark_tag_with_forbidden_character_keeps_the_form(client, reader):
    work = make_work()
    client.force_login(reader)
    response = client.post(
        f"/works/{work.pk}/bookmarks/new", {"notes": "kept text", "tags": "bad*tag"}
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "kept text" in body and 'class="error"' in body
    form = response.context["form"]
    assert form["tags"].value() == "bad*tag"  # what was typed stays
    assert form.errors["tags"] and not form.non_field_errors()  # next to the tags field
    assert not Bookmark.objects.exists()


def test_bookmark_form_needs_login(client):
    work = make_work()
    response = client.get(f"/works/{work.pk}/bookmarks/new")
    assert response.status_code == 302 and "/users/login" in response["Location"]


@pytest.mark.parametrize("url_kind", ["work", "user", "tag"])
def test_bookmark_listings_use_a_fixed_number_of_queries(
    client, reader, url_kind, django_assert_max_num_queries
):
    def url():
        return {
            "work": f"/works/{work.pk}/bookmarks",
            "user": f"/users/{reader.username}/bookmarks",
            "tag": "/tags/Coastal/bookmarks",
        }[url_kind]

    work = make_work(tags={"fandom": ["Coastal"]})
    feedback.bookmark_save(user=reader, work=work, tag_text="one, two")
    client.force_login(reader)
    with django_assert_max_num_queries(50) as few:
        client.get(url())
    baseline = len(few.captured_queries)
    for n in range(6):
        other = make_work(tags={"fandom": ["Coastal"], "freeform": [f"Extra {n}"]})
        feedback.bookmark_save(user=reader, work=other, tag_text=f"tag {n}, more {n}")
        feedback.bookmark_save(user=make_user(), work=work, notes=f"note {n}")
    with django_assert_max_num_queries(baseline):
        response = client.get(url())
    assert response.content.decode().count('class="bookmark blurb group"') >= 6


def test_the_work_page_deletes_the_readers_bookmark_and_comes_back(client, reader):
    work = make_work(title="Gull Song")
    client.force_login(reader)
    page = client.get(f"/works/{work.pk}").content.decode()
    assert 'id="bookmark-form"' not in page  # nothing to delete yet
    bookmark = feedback.bookmark_save(user=reader, work=work, notes="Sea air.", tag_text="")
    page = client.get(f"/works/{work.pk}").content.decode()
    assert "Edit Bookmark" in page
    assert f'action="/bookmarks/{bookmark.pk}"' in page
    assert client.get(f"/bookmarks/{bookmark.pk}").status_code == 405
    kept = client.post(f"/bookmarks/{bookmark.pk}", {"_method": "put"})
    assert kept.status_code == 404
    assert Bookmark.objects.filter(pk=bookmark.pk).exists()
    gone = client.post(
        f"/bookmarks/{bookmark.pk}", {"_method": "delete", "next": f"/works/{work.pk}"}
    )
    assert gone.status_code == 302 and gone["Location"] == f"/works/{work.pk}"
    assert not Bookmark.objects.filter(pk=bookmark.pk).exists()
    assert _bookmarks_stat(work) == 0


def test_nobody_else_deletes_a_bookmark_at_its_ao3_address(client, reader):
    work = make_work()
    bookmark = feedback.bookmark_save(user=reader, work=work, notes="", tag_text="")
    client.force_login(make_user())
    assert client.post(f"/bookmarks/{bookmark.pk}", {"_method": "delete"}).status_code == 404
    assert Bookmark.objects.filter(pk=bookmark.pk).exists()
    client.logout()
    response = client.post(f"/bookmarks/{bookmark.pk}", {"_method": "delete"})
    assert response.status_code == 302 and "/users/login" in response["Location"]
    assert Bookmark.objects.filter(pk=bookmark.pk).exists()
