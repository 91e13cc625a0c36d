"""The interface language (archive/languages.py): the member's preference, then the header's
language menu (a cookie), then Accept-Language, then English. <html lang dir> follow it;
English pages stay exactly as readers' tools expect; a work's own language is untouched."""

import re

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django.utils import translation

from tests.factories import make_chapter, make_user, make_work

pytestmark = pytest.mark.django_db

HTML = re.compile(r'<html lang="([^"]*)" dir="([^"]*)"')
COOKIE = settings.LANGUAGE_COOKIE_NAME


def _html(response):
    return HTML.search(response.content.decode()).groups()


@pytest.fixture
def work(author):
    return make_work(creator=author, title="Lighthouse", language="en")


@pytest.mark.parametrize(
    ("accept", "lang", "direction", "label"),
    [
        ("", "en", "ltr", "Words:"),
        ("fr-FR,fr;q=0.9", "en", "ltr", "Words:"),
        ("es-ES,es;q=0.9", "es", "ltr", "Palabras:"),
        ("de", "de", "ltr", "Wörter:"),
        ("ar-EG", "ar", "rtl", "الكلمات:"),
    ],
)
def test_accept_language_chooses_the_interface(client, work, accept, lang, direction, label):
    headers = {"HTTP_ACCEPT_LANGUAGE": accept} if accept else {}
    response = client.get("/works", **headers)
    assert _html(response) == (lang, direction)
    assert f'<dt class="words">{label}</dt>' in response.content.decode()


def test_english_stays_exactly_as_readers_tools_parse_it(client, work):
    content = client.get(work.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en-US").content.decode()
    for label in ["Words:", "Chapters:", "Language:", "Published:"]:
        assert f">{label}</dt>" in content


@pytest.mark.parametrize(
    ("code", "title", "direction"),
    [("es", "Obras", "ltr"), ("de", "Werke", "ltr"), ("ar", "أعمال", "rtl")],
)
def test_every_page_type_renders_in_each_language(client, work, author, code, title, direction):
    client.cookies[COOKIE] = code
    pages = ["/", "/works", work.get_absolute_url(), "/works/search", "/fandoms", "/users/login"]
    for url in pages:
        response = client.get(url, follow=True)
        assert response.status_code == 200, url
        assert _html(response) == (code, direction), url
    assert title in client.get("/works").content.decode()
    client.force_login(author)
    for url in [f"/users/{author.username}", f"/users/{author.username}/preferences", "/works/new"]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert _html(response) == (code, direction), url


def test_the_menu_cookie_outranks_accept_language(client):
    client.cookies[COOKIE] = "de"
    assert _html(client.get("/works", HTTP_ACCEPT_LANGUAGE="es")) == ("de", "ltr")


def test_a_members_preference_outranks_cookie_and_accept_language(client):
    member = make_user(interface_language="ar")
    client.force_login(member)
    client.cookies[COOKIE] = "de"
    assert _html(client.get("/works", HTTP_ACCEPT_LANGUAGE="es")) == ("ar", "rtl")
    member.interface_language = ""
    member.save()
    assert _html(client.get("/works", HTTP_ACCEPT_LANGUAGE="es")) == ("de", "ltr")


def test_the_header_menu_is_a_form_that_needs_no_javascript(client):
    content = client.get("/works?page=1").content.decode()
    menu = re.search(
        r'<form class="language" id="language-menu" method="get".*?</form>', content, re.S
    )
    assert menu is not None
    for code, name in [("en", "English"), ("es", "Español"), ("de", "Deutsch"), ("ar", "العربية")]:
        assert f'<option value="{code}" lang="{code}"' in menu.group(0)
        assert f">{name}</option>" in menu.group(0)
    assert 'name="next" value="/works?page=1"' in menu.group(0)


def test_a_guest_switches_language_with_the_menu(client):
    response = client.get("/language", {"language": "es", "next": "/works?page=2"})
    assert response.status_code == 302
    assert response["Location"] == "/works?page=2"
    cookie = response.cookies[COOKIE]
    assert cookie.value == "es"
    assert cookie["max-age"] == 365 * 24 * 60 * 60
    assert _html(client.get("/works")) == ("es", "ltr")
    assert "selected>Español</option>" in client.get("/works").content.decode()


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "works"])
def test_the_menu_only_returns_to_this_archive(client, target):
    response = client.get("/language", {"language": "de", "next": target})
    assert response["Location"] == "/"


def test_an_unknown_language_falls_back_to_english(client):
    response = client.get("/language", {"language": "xx", "next": "/works"})
    assert response.cookies[COOKIE].value == "en"


def test_a_member_using_the_menu_keeps_it_as_their_preference(client):
    member = make_user()
    client.force_login(member)
    content = client.get("/works").content.decode()
    assert '<form class="language" id="language-menu" method="post"' in content
    response = client.post("/language", {"language": "de", "next": "/works"})
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.interface_language == "de"
    other = Client()
    other.force_login(member)
    assert _html(other.get("/works")) == ("de", "ltr")


def test_the_preference_is_set_on_the_preferences_page(client):
    member = make_user()
    client.force_login(member)
    url = f"/users/{member.username}/preferences"
    content = client.get(url).content.decode()
    assert 'name="interface_language"' in content
    response = client.post(
        url,
        {"skin": "default", "text_size": 100, "line_width": "normal", "interface_language": "es"},
        follow=True,
    )
    assert _html(response) == ("es", "ltr")
    member.refresh_from_db()
    assert member.interface_language == "es"


def test_a_works_own_language_stays_its_metadata(client, author):
    work = make_work(creator=author, language="de")
    for code in ["en", "ar"]:
        client.cookies[COOKIE] = code
        content = client.get(work.get_absolute_url()).content.decode()
        assert '<dd class="language" lang="de">Deutsch</dd>' in content
        # The author's text takes its direction from itself, not from the interface.
        assert '<div dir="auto" class="userstuff">' in content


def test_cached_pages_and_blurbs_never_mix_languages(client, work):
    """The guest page cache and the stored blurbs are kept per language."""
    for code, label in [("de", "Wörter:"), ("en", "Words:"), ("es", "Palabras:")]:
        client.cookies[COOKIE] = code
        for url in [work.get_absolute_url(), "/works"]:
            content = client.get(url).content.decode()
            assert f">{label}</dt>" in content, (code, url)


def test_notification_emails_are_in_the_recipients_language(
    client, author, reader, django_capture_on_commit_callbacks
):
    """The email follows the subscriber's language, not that of whoever caused it."""
    reader.interface_language = "de"
    reader.save()
    work = make_work(creator=author, title="Tidewater")
    client.force_login(reader)
    client.post(f"/works/{work.pk}/subscribe")
    with translation.override("es"), django_capture_on_commit_callbacks(execute=True):
        make_chapter(work)
    assert [m.subject for m in mail.outbox] == ["Neues Kapitel von Tidewater"]
