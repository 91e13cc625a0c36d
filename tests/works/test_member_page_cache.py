"""Work pages for logged-in readers from a shared shell (works/cache/member_pages.py): the
second member gets the page in three queries, with their own name, token, subscription and
bookmark, and never anything that belongs to the member who stored it."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from archive.services import social
from tags.models import TagType
from tests.factories import make_user, make_work
from works.cache import member_pages, reader_forms
from works.cache import pages as page_cache
from works.models import Bookmark
from works.services import feedback, posting
from works.services import moderation as work_moderation

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _member(name: str, **fields):
    user = make_user(username=name, **fields)
    client = Client()
    client.force_login(user)
    return user, client


def _read(client, url) -> tuple[str, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode(), len(queries)


def test_the_second_member_reads_the_shared_page_with_their_own_name_and_token():
    work = make_work(title="Harbour Bells at Dusk", chapters=3)
    first, first_client = _member("first_reader")
    second, second_client = _member("second_reader")
    url = f"/works/{work.pk}?view_full_work=true"
    first_page, _ = _read(first_client, url)
    page, queries = _read(second_client, url)
    # Their session, their account, and their own state on this work.
    assert queries == 3
    assert "Harbour Bells at Dusk" in page
    assert "/users/second_reader/" in page and "first_reader" not in page
    assert "/users/first_reader/" in first_page
    assert page_cache.TOKEN_PLACEHOLDER not in page and "reader-part" not in page
    # The token is theirs: kudos from the shared page are accepted.
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(second)
    token = TOKEN.search(_read(strict, url)[0]).group(1)
    response = strict.post(f"/works/{work.pk}/kudos", {"csrfmiddlewaretoken": token})
    assert response.status_code in (200, 302)
    assert work.kudos.filter(user=second).exists()


def test_each_member_sees_their_own_subscription_and_bookmark():
    work = make_work()
    url = f"/works/{work.pk}"
    subscriber, subscriber_client = _member("bell_subscriber")
    _plain, plain_client = _member("bell_plain")
    feedback.subscription_add(user=subscriber, work=work)
    Bookmark.objects.create(
        user=subscriber, work=work, notes="", pseud=subscriber.pseuds.get(is_default=True)
    )
    plain_page, _ = _read(plain_client, url)  # stores the shell
    page, queries = _read(subscriber_client, url)
    assert queries == 3
    assert "Unsubscribe" in page and "Edit Bookmark" in page and "Delete Bookmark" in page
    assert "Unsubscribe" not in plain_page and "Edit Bookmark" not in plain_page
    assert 'value="Subscribe"' in plain_page


def test_a_commenter_sees_their_own_comment_controls_and_nobody_else_does():
    work = make_work()
    url = f"/works/{work.pk}"
    commenter, commenter_client = _member("bell_commenter")
    _other, other_client = _member("bell_other")
    comment = feedback.comment_add(
        chapter=work.chapters.get(), user=commenter, content="The bells rang true."
    )
    edit_link = f"/comments/{comment.pk}/edit"
    other_page, _ = _read(other_client, url)
    assert "The bells rang true." in other_page and edit_link not in other_page
    page, _ = _read(commenter_client, url)
    assert edit_link in page
    # And the commenter's own page never became the shell.
    assert edit_link not in _read(other_client, url)[0]


def test_a_member_who_muted_a_commenter_never_sees_the_comment():
    work = make_work()
    url = f"/works/{work.pk}"
    loud, _ = _member("bell_loud")
    muter, muter_client = _member("bell_muter")
    _other, other_client = _member("bell_listener")
    feedback.comment_add(chapter=work.chapters.get(), user=loud, content="Muted clangour here.")
    assert "Muted clangour here." in _read(other_client, url)[0]
    social.mute_add(muter=muter, muted=loud)
    assert "Muted clangour here." not in _read(muter_client, url)[0]
    # The muter's page was not stored for everyone.
    assert "Muted clangour here." in _read(other_client, url)[0]


def test_creators_get_their_edit_links_and_readers_never_do():
    author, author_client = _member("bell_author")
    work = make_work(creator=author)
    url = f"/works/{work.pk}"
    _reader, reader_client = _member("bell_reader")
    _read(reader_client, url)
    page, _ = _read(author_client, url)
    assert f"/works/{work.pk}/edit" in page
    assert f"/works/{work.pk}/edit" not in _read(reader_client, url)[0]


def test_restricted_and_hidden_works_and_drafts():
    restricted = make_work(restricted=True, title="Members Only Bells")
    _one, one = _member("bell_one")
    _two, two = _member("bell_two")
    url = f"/works/{restricted.pk}"
    _read(one, url)
    assert "Members Only Bells" in _read(two, url)[0]
    guest = Client().get(url)
    assert guest.status_code == 302 and "/login" in guest["Location"]
    moderator = make_user(username="bell_moderator", is_superuser=True, is_staff=True)
    work_moderation.work_hide(work=restricted, moderator=moderator, reason="Spam")
    assert two.get(url).status_code == 404
    draft = make_work(post=False)
    assert one.get(f"/works/{draft.pk}").status_code == 404


def test_editing_the_work_shows_at_once_to_members():
    work = make_work(title="Bells Before")
    url = f"/works/{work.pk}"
    _one, one = _member("bell_editor_one")
    _two, two = _member("bell_editor_two")
    _read(one, url)
    posting.work_update(work=work, fields={"title": "Bells After"})
    page, _ = _read(two, url)
    assert "Bells After" in page and "Bells Before" not in page


def test_reading_preferences_and_the_adult_notice_are_the_readers_own():
    work = make_work(tags={TagType.RATING: ["Explicit"]})
    url = f"/works/{work.pk}"
    _plain, plain = _member("bell_plain_prefs")
    _large, large = _member("bell_large_text", text_size=130, view_adult=True)
    _dark, dark = _member("bell_dark", skin="dark", view_adult=True)
    assert "adult content" in _read(plain, url)[0]
    large_page, _ = _read(large, url)
    assert "adult content" not in large_page and "text-130" in large_page
    dark_page, _ = _read(dark, url)
    assert 'data-skin="dark"' in dark_page and "text-130" not in dark_page
    assert "adult content" in _read(plain, url)[0]


def _unmasked(page: str) -> str:
    """The page with its CSRF tokens blanked: each rendering masks the token anew."""
    return re.sub(r'"[A-Za-z0-9]{64}"', '"token"', page)


@pytest.mark.parametrize("language", ["en", "es", "ar"])
@pytest.mark.parametrize("subscribed,bookmarked", [(False, False), (True, False), (True, True)])
def test_a_page_from_the_shell_is_the_page_rendered_whole(
    monkeypatch, language, subscribed, bookmarked
):
    # The reader's parts come from a form rendered once per language and state with blanks
    # for their own values (works/cache/reader_forms.py): the page must be exactly the one
    # rendered for them without any shell, whatever their login, language and state.
    work = make_work(title="Salt Roads", chapters=2)
    _, first = _member("stores_the_shell")
    reader, client = _member("ana.lu+reads@x-1", interface_language=language)
    if subscribed:
        feedback.subscription_add(user=reader, work=work)
    if bookmarked:
        feedback.bookmark_save(user=reader, work=work)
    url = f"/works/{work.pk}?view_adult=true&view_full_work=true"
    first.get(url)  # stores the shell
    reader_forms._forms.clear()
    filled, queries = _read(client, url)
    assert reader_forms._forms, "the reader's parts came from a form"
    monkeypatch.setattr(member_pages, "fetch", lambda request, work_id: None)
    whole, _ = _read(client, url)
    assert _unmasked(filled) == _unmasked(whole)
    assert "/users/ana.lu+reads@x-1/" in filled and "stores_the_shell" not in filled


def test_a_login_or_path_the_form_cannot_hold_is_rendered_whole():
    work = make_work(title="Salt Roads")
    _, first = _member("stores_the_shell")
    _, client = _member("名前")
    url = f"/works/{work.pk}"
    first.get(url)
    reader_forms._forms.clear()
    page, _ = _read(client, url)
    assert not reader_forms._forms  # rendered from the templates, not filled in
    assert "/users/%E5%90%8D%E5%89%8D/" in page
