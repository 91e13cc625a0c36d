"""Skins and reading preferences (archive/appearance.py), chosen by the reader and applied
server side: the skin on <html data-skin>, the reading preferences as classes of the work
page's <body>, a guest's skin from a cookie, never mixed up in the guest page cache."""

import re

import pytest
from django.test import Client

from tests.factories import make_work

pytestmark = pytest.mark.django_db

SKIN = re.compile(r'<html lang="[^"]*" dir="[^"]*" data-skin="([^"]+)">')
BODY = re.compile(r'<body class="([^"]*)">')


def _skin(response):
    return SKIN.search(response.content.decode()).group(1)


def _body_classes(response):
    return set(BODY.search(response.content.decode()).group(1).split())


def test_a_guest_gets_the_default_skin_and_the_footer_menu(client):
    response = client.get("/works")
    assert _skin(response) == "default"
    content = response.content.decode()
    assert '<select name="skin" id="skin-select">' in content
    assert '<option value="high-contrast">High contrast</option>' in content


def test_a_guest_chooses_a_skin_that_every_page_then_shows(client):
    response = client.get("/skin", {"skin": "dark", "next": "/works?page=2"})
    assert response.status_code == 302
    assert response["Location"] == "/works?page=2"
    cookie = response.cookies["skin"]
    assert cookie.value == "dark"
    assert cookie["max-age"] == 365 * 24 * 60 * 60
    assert _skin(client.get("/")) == "dark"
    assert _skin(client.get("/about")) == "dark"
    assert 'value="dark" selected' in client.get("/").content.decode()


@pytest.mark.parametrize("next_url", ["https://evil.example/", "//evil.example/", "works"])
def test_the_skin_menu_only_returns_to_this_archive(client, next_url):
    response = client.get("/skin", {"skin": "dark", "next": next_url})
    assert response["Location"] == "/"


def test_an_unknown_skin_is_the_default(client):
    client.cookies["skin"] = "<script>"
    assert _skin(client.get("/works")) == "default"
    response = client.get("/skin", {"skin": "purple", "next": "/"})
    assert response.cookies["skin"].value == "default"


def test_a_member_sets_skin_and_reading_preferences_applied_on_the_work_page(author_client, author):
    work = make_work(creator=author, title="Tidewater", chapters=2)
    page = author_client.get(f"/users/{author.username}/preferences")
    assert page.status_code == 200
    content = page.content.decode()
    assert 'name="skin" value="high-contrast"' in content
    assert "<legend>Reading Works</legend>" in content
    response = author_client.post(
        f"/users/{author.username}/preferences",
        {
            "skin": "high-contrast",
            "text_size": "130",
            "line_width": "narrow",
            "hide_creator_styling": "on",
        },
    )
    assert response.status_code == 302
    author.refresh_from_db()
    assert (author.skin, author.text_size, author.line_width) == ("high-contrast", 130, "narrow")
    assert author.hide_creator_styling
    work_page = author_client.get(f"/works/{work.pk}")
    assert _skin(work_page) == "high-contrast"
    assert {"reading", "text-130", "width-narrow", "hide-creator-styling"} <= _body_classes(
        work_page
    )
    entire = author_client.get(f"/works/{work.pk}?view_full_work=true")
    assert "text-130" in _body_classes(entire)
    # Reading preferences belong to works only; the skin to every page.
    listing = author_client.get("/works")
    assert _skin(listing) == "high-contrast"
    assert _body_classes(listing) == set()


def test_a_member_skin_wins_over_a_guest_cookie(author_client, author):
    author.skin = "dark"
    author.save(update_fields=["skin"])
    author_client.cookies["skin"] = "high-contrast"
    assert _skin(author_client.get("/works")) == "dark"


def test_a_bad_preference_is_refused_and_nothing_changes(author_client, author):
    response = author_client.post(
        f"/users/{author.username}/preferences",
        {"skin": "neon", "text_size": "400", "line_width": "normal"},
    )
    assert response.status_code == 200
    assert 'id="error"' in response.content.decode()
    author.refresh_from_db()
    assert (author.skin, author.text_size) == ("default", 100)


def test_preferences_are_only_their_owners(client, author, reader):
    assert client.get(f"/users/{author.username}/preferences").status_code == 302
    client.force_login(reader)
    assert client.get(f"/users/{author.username}/preferences").status_code == 404


def test_guests_with_different_skins_never_get_each_others_cached_work_page(author):
    work = make_work(creator=author, title="Two Lamps")
    url = f"/works/{work.pk}"
    assert _skin(Client().get(url)) == "default"
    dark = Client()
    dark.cookies["skin"] = "dark"
    assert _skin(dark.get(url)) == "dark"
    assert _skin(dark.get(url)) == "dark"
    assert _skin(Client().get(url)) == "default"


def test_about_page_and_main_navigation(client):
    response = client.get("/about")
    assert response.status_code == 200
    content = response.content.decode()
    assert '<h2 class="heading">About the Archive</h2>' in content
    nav = content.split('<nav class="primary"', 1)[1].split("</nav>", 1)[0]
    links = re.findall(r'<a href="([^"]+)">([^<]+)</a>', nav)
    assert links == [
        ("/fandoms", "Fandoms"),
        ("/works", "Browse"),
        ("/works/search", "Search"),
        ("/about", "About"),
    ]


def test_error_pages_use_the_site_layout(client):
    response = client.get("/works/999999999")
    assert response.status_code == 404
    content = response.content.decode()
    assert 'data-skin="default"' in content
    assert '<h2 class="heading">Page not found</h2>' in content
    assert '<a class="skip" href="#main">' in content
