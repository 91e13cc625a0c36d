"""The profile (/users/<login>/profile: pseuds, date joined, bio, links) and changing the login
(/users/<login>/change_username: with the password, once every 7 days, old links redirect)."""

import datetime as dt

import pytest
from django.utils import timezone

from archive.models import FormerLogin
from tests.factories import PASSWORD, make_user, make_work
from tests.works.markup import parse, select, select_one, text
from works.models import WorkSearch
from works.services import pseuds as services

pytestmark = pytest.mark.django_db


def test_profile_shows_pseuds_bio_and_links(client, author):
    services.pseud_create(user=author, name="Quill")
    services.profile_update(
        user=author, bio='Hello **there** <script>alert(1)</script><a href="javascript:x">l</a>'
    )
    root = parse(client.get("/users/author/profile").content)
    assert text(select_one(root, "div.primary.header.module h2.heading")) == "author"
    assert [text(a) for a in select(root, "dd.pseuds a")] == ["author", "Quill"]
    bio = select_one(root, "div.bio blockquote.userstuff")
    assert text(select_one(bio, "strong")) == "there"
    html = client.get("/users/author/profile").content.decode()
    assert "<script>" not in html and "javascript:" not in html
    links = [a.get("href") for a in select(root, "ul.navigation.actions a")]
    assert "/users/author/works" in links and "/users/author/bookmarks" in links
    assert "/users/author/profile/edit" not in links  # only for its owner


def test_owner_edits_the_bio(client, author):
    client.force_login(author)
    response = client.post("/users/author/profile/edit", {"bio": "I like *owls*."})
    assert response.status_code == 302
    author.refresh_from_db()
    assert author.bio_html == "<p>I like <em>owls</em>.</p>"
    too_long = client.post("/users/author/profile/edit", {"bio": "x" * 2001})
    assert too_long.status_code == 400
    assert "x" * 2001 in too_long.content.decode()


def test_changing_the_login_needs_the_password(client, author):
    client.force_login(author)
    response = client.post(
        "/users/author/change_username", {"login": "new_name", "password": "wrong"}
    )
    assert response.status_code == 400
    assert "Your password was incorrect." in response.content.decode()
    author.refresh_from_db()
    assert author.username == "author"


def test_changed_login_renames_the_default_pseud_and_old_links_redirect(client, author):
    work = make_work(creator=author)
    client.force_login(author)
    response = client.post(
        "/users/author/change_username", {"login": "new_name", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == "/users/new_name/profile"
    author.refresh_from_db()
    assert author.username == "new_name"
    assert [p.name for p in author.pseuds.all()] == ["new_name"]
    client.logout()
    page = parse(client.get(work.get_absolute_url()).content)
    byline = select_one(page, "h3.byline a[rel=author]")
    assert (text(byline), byline.get("href")) == ("new_name", "/users/new_name/pseuds/new_name")
    assert "new_name" in WorkSearch.objects.get(work=work).creators
    old = client.get("/users/author/pseuds/author?page=2")
    assert old.status_code == 301
    assert old["Location"] == "/users/new_name/pseuds/author?page=2"
    followed = client.get("/users/author/works", follow=True)
    assert followed.status_code == 200
    assert followed.redirect_chain[-1][0] == "/users/new_name/works"
    # The old login's pseud URL still reaches the default pseud.
    assert client.get("/users/new_name/pseuds/author").status_code == 200


def test_login_changes_at_most_once_every_seven_days(client, author):
    client.force_login(author)
    client.post("/users/author/change_username", {"login": "second", "password": PASSWORD})
    author.refresh_from_db()
    client.force_login(author)
    response = client.post(
        "/users/second/change_username", {"login": "third", "password": PASSWORD}
    )
    assert response.status_code == 400
    assert "only once every 7 days" in response.content.decode()
    assert 'value="third"' in response.content.decode()  # what was typed stays
    FormerLogin.objects.update(changed_at=timezone.now() - dt.timedelta(days=8))
    response = client.post(
        "/users/second/change_username", {"login": "third", "password": PASSWORD}
    )
    assert response.status_code == 302
    author.refresh_from_db()
    assert author.username == "third"


def test_a_taken_login_is_refused(client, author):
    make_user(username="someone")
    client.force_login(author)
    response = client.post(
        "/users/author/change_username", {"login": "SomeOne", "password": PASSWORD}
    )
    assert "That user name is already taken." in response.content.decode()


def test_a_new_account_with_a_former_login_wins_over_the_redirect(client, author):
    client.force_login(author)
    client.post("/users/author/change_username", {"login": "moved", "password": PASSWORD})
    make_user(username="author", email="another@example.org")
    client.logout()
    assert client.get("/users/author").status_code == 200
