"""Sign-up asks for the Terms and the minimum age and records them; the policy pages render
from templates a site can replace, and every page's footer links them."""

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from tests.factories import make_user

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "plum-orchard-lantern-42"
POLICIES = {
    "/tos": "Terms of Service",
    "/privacy": "Privacy Policy",
    "/content": "Content Policy",
}


def _signup(client, **overrides):
    data = {
        "username": "termsreader",
        "email": "termsreader@example.org",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
        "accept_terms": "on",
        "confirm_age": "on",
    }
    data.update(overrides)
    data = {key: value for key, value in data.items() if value is not None}
    return client.post("/signup", data)


def _field_html(html, name, next_name):
    return html[html.index(f'<label for="id_{name}">') : html.index(f'id="id_{next_name}"')]


def test_signup_without_terms_or_age_is_refused_and_keeps_what_was_typed(client):
    response = _signup(client, accept_terms=None, confirm_age=None)
    assert response.status_code == 200
    html = response.content.decode()
    assert not get_user_model().objects.filter(username="termsreader").exists()
    terms = html[html.index('id="id_accept_terms"') : html.index('id="id_confirm_age"')]
    assert "You need to accept the Terms of Service to create an account." in terms
    age = html[html.index('id="id_confirm_age"') :]
    assert "You must be at least 13 years old to create an account." in age
    assert 'value="termsreader"' in html
    assert 'value="termsreader@example.org"' in html
    assert NEW_PASSWORD not in html


def test_signup_with_terms_but_not_age_is_refused(client):
    response = _signup(client, confirm_age=None)
    html = response.content.decode()
    assert "You must be at least 13 years old to create an account." in html
    assert "You need to accept the Terms" not in html
    assert not get_user_model().objects.filter(username="termsreader").exists()


def test_the_minimum_age_is_a_setting(client, settings):
    settings.ARCHIVE_MINIMUM_AGE = 16
    html = client.get("/signup").content.decode()
    assert "I am at least 16 years old." in html
    refused = _signup(client, confirm_age=None).content.decode()
    assert "You must be at least 16 years old to create an account." in refused


def test_signup_records_when_and_which_terms_were_accepted(client, settings):
    settings.ARCHIVE_TOS_VERSION = "2031-04-05"
    before = timezone.now()
    response = _signup(client)
    assert response.status_code == 302
    user = get_user_model().objects.get(username="termsreader")
    assert before <= user.terms_accepted_at <= timezone.now()
    assert user.terms_version == "2031-04-05"


def test_accounts_made_otherwise_have_accepted_nothing():
    user = make_user()
    assert user.terms_accepted_at is None
    assert user.terms_version == ""


def test_the_terms_box_links_every_policy(client):
    html = client.get("/signup").content.decode()
    terms = html[html.index('id="id_accept_terms"') : html.index('id="id_confirm_age"')]
    for url in POLICIES:
        assert f'href="{url}"' in terms
    assert "I have read and accept the Terms of Service" in html
    assert "I am at least 13 years old." in html


@pytest.mark.parametrize("url", list(POLICIES))
def test_policy_pages_render_with_their_title(client, url):
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<h2 class="heading">{POLICIES[url]}</h2>' in html
    assert "<h3" in html  # the text itself, not an empty frame


def test_terms_name_the_minimum_age_and_the_version(client, settings):
    settings.ARCHIVE_MINIMUM_AGE = 18
    settings.ARCHIVE_TOS_VERSION = "v7"
    html = client.get("/tos").content.decode()
    assert "at least 18 years old" in html
    assert "Version: v7" in html


def test_every_page_footer_links_the_policies(client, author):
    for page in ("/", "/works", "/signup"):
        footer = client.get(page).content.decode().split('<footer id="footer"')[1]
        for url, title in POLICIES.items():
            assert f'<a href="{url}">{title}</a>' in footer, page


def test_policy_pages_are_translated(client):
    html = client.get("/tos", HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "Nutzungsbedingungen" in html


def test_a_site_replaces_the_terms_with_its_own_template(client, settings, tmp_path):
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "tos.html").write_text("<p>Harbour rules: be kind to the gulls.</p>")
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}
    ]
    html = client.get("/tos").content.decode()
    assert "Harbour rules: be kind to the gulls." in html
    assert "non-commercial home for fanworks" not in html
    assert "non-commercial home for fanworks" not in client.get("/privacy").content.decode()
    assert "What we keep" in client.get("/privacy").content.decode()
