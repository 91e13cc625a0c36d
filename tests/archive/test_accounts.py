import re

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client

from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "plum-orchard-lantern-42"


def _signup(client, **overrides):
    data = {
        "username": "newwriter",
        "email": "newwriter@example.org",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
        "accept_terms": "on",
        "confirm_age": "on",
    }
    data.update(overrides)
    return client.post("/signup", data)


def _logged_in_user(client):
    response = client.get("/")
    return response.wsgi_request.user


# Sign up


def test_signup_creates_account_logs_in_and_goes_to_dashboard(client):
    response = _signup(client)
    assert response.status_code == 302
    assert response["Location"] == "/users/newwriter"
    user = get_user_model().objects.get(username="newwriter")
    assert user.email == "newwriter@example.org"
    assert _logged_in_user(client) == user


def test_new_user_can_open_the_posting_form_at_once(client):
    _signup(client)
    response = client.get("/works/new")
    assert response.status_code == 200
    assert b'name="title"' in response.content


def test_signup_errors_keep_typed_values_but_not_passwords(client):
    make_user(username="taken", email="taken@example.org")
    response = _signup(client, username="Taken", email="someone@example.org", password2="other")
    assert response.status_code == 200
    html = response.content.decode()
    assert "That user name is already taken." in html
    assert "The two password fields didn’t match." in html
    assert 'value="Taken"' in html
    assert 'value="someone@example.org"' in html
    assert NEW_PASSWORD not in html
    assert not get_user_model().objects.filter(email="someone@example.org").exists()


def test_signup_error_sits_next_to_its_field(client):
    response = _signup(client, email="not an email")
    html = response.content.decode()
    field = html[html.index('<label for="id_email">') : html.index('<label for="id_password1">')]
    assert "Enter a valid email address." in field


def test_signup_applies_django_password_validators(client):
    response = _signup(client, password1="12345678", password2="12345678")
    assert response.status_code == 200
    html = response.content.decode()
    assert "This password is too common." in html
    assert not get_user_model().objects.filter(username="newwriter").exists()


def test_signup_refuses_email_already_used_in_other_case(client):
    make_user(username="first", email="Shared@Example.org")
    response = _signup(client, email="shared@example.org")
    assert "An account with that email address already exists." in response.content.decode()


@pytest.mark.parametrize("name", ["ab", "bad name", "_under", "has@sign", "login", "Logout"])
def test_signup_refuses_unusable_user_names(client, name):
    response = _signup(client, username=name)
    assert response.status_code == 200
    assert not get_user_model().objects.filter(username=name).exists()


# Log in


def test_login_form_carries_authenticity_token(client):
    response = client.get("/users/login")
    assert response.status_code == 200
    html = response.content.decode()
    assert re.search(r'<input type="hidden" name="authenticity_token" value="[^"]+"', html)
    assert '<label for="id_username">' in html
    assert '<label for="id_password">' in html


def test_login_with_our_field_names_answers_302(client, author):
    response = client.post("/users/login", {"username": "author", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/users/author"
    assert _logged_in_user(client) == author


def test_login_with_ao3_fields_and_only_authenticity_token_passes_csrf(author):
    client = Client(enforce_csrf_checks=True)
    page = client.get("/users/login").content.decode()
    token = re.search(r'name="authenticity_token" value="([^"]+)"', page).group(1)
    response = client.post(
        "/users/login",
        {"user[login]": "author", "user[password]": PASSWORD, "authenticity_token": token},
    )
    assert response.status_code == 302
    assert _logged_in_user(client) == author


def test_login_without_any_token_is_refused_by_csrf(author):
    client = Client(enforce_csrf_checks=True)
    client.get("/users/login")
    response = client.post("/users/login", {"user[login]": "author", "user[password]": PASSWORD})
    assert response.status_code == 403
    assert not _logged_in_user(client).is_authenticated


def test_login_with_a_wrong_authenticity_token_is_refused(author):
    client = Client(enforce_csrf_checks=True)
    client.get("/users/login")
    response = client.post(
        "/users/login",
        {"user[login]": "author", "user[password]": PASSWORD, "authenticity_token": "x" * 64},
    )
    assert response.status_code == 403


@pytest.mark.parametrize("typed", ["AUTHOR", "author@example.org", "Author@Example.ORG"])
def test_login_by_name_or_email_ignores_letter_case(client, author, typed):
    response = client.post("/users/login", {"username": typed, "password": PASSWORD})
    assert response.status_code == 302
    assert _logged_in_user(client) == author


def test_wrong_password_shows_error_and_keeps_login(client, author):
    response = client.post("/users/login", {"username": "author", "password": "wrong-password"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "doesn&#x27;t match our records" in html
    assert 'value="author"' in html
    assert "wrong-password" not in html


def test_login_follows_next_on_this_site_only(client, author):
    response = client.post(
        "/users/login?next=/works/new", {"username": "author", "password": PASSWORD}
    )
    assert response["Location"] == "/works/new"
    client.logout()
    response = client.post(
        "/users/login?next=https://evil.example/", {"username": "author", "password": PASSWORD}
    )
    assert response["Location"] == "/users/author"


def test_login_rotates_the_session_key(client, author):
    client.get("/users/login")
    client.session.save()
    before = client.cookies[settings.SESSION_COOKIE_NAME].value
    client.post("/users/login", {"username": "author", "password": PASSWORD})
    assert client.cookies[settings.SESSION_COOKIE_NAME].value != before


def test_remember_me_keeps_session_beyond_browser_close(client, author):
    client.post("/users/login", {"username": "author", "password": PASSWORD})
    assert client.session.get_expire_at_browser_close()
    client.logout()
    client.post(
        "/users/login",
        {"user[login]": "author", "user[password]": PASSWORD, "user[remember_me]": "1"},
    )
    assert not client.session.get_expire_at_browser_close()


def test_inactive_account_cannot_log_in(client):
    make_user(username="gone", is_active=False)
    response = client.post("/users/login", {"username": "gone", "password": PASSWORD})
    assert response.status_code == 200
    assert not _logged_in_user(client).is_authenticated


# Log out


def test_logout_get_asks_for_confirmation_and_keeps_session(author_client, author):
    response = author_client.get("/users/logout")
    assert response.status_code == 200
    assert 'action="/users/logout"' in response.content.decode()
    assert _logged_in_user(author_client) == author


def test_logout_post_logs_out(author_client):
    response = author_client.post("/users/logout")
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert not _logged_in_user(author_client).is_authenticated


# Password reset


def test_password_reset_sends_email_with_working_link(client, author, settings):
    settings.ARCHIVE_SITE_URL = "https://archive.example.org"
    response = client.post("/users/password/reset", {"email": "AUTHOR@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["author@example.org"]
    link = re.search(
        r"https://archive\.example\.org(/users/password/reset/\S+)", message.body
    ).group(1)
    form_page = client.get(link, follow=True)
    assert b'name="new_password1"' in form_page.content
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    author.refresh_from_db()
    assert author.check_password(NEW_PASSWORD)


def test_password_reset_for_unknown_email_sends_nothing_and_reveals_nothing(client):
    response = client.post("/users/password/reset", {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert mail.outbox == []
