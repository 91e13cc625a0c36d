"""Credentials in a log-in POST's query string (ao3-api's habit), accepted safely."""

import logging

from django.test import Client

from archive.query_credentials import RedactQueryCredentials

QUERY = "user[login]=reader&user[password]=correct-horse-battery-staple"


def _token(client):
    client.get("/users/login")
    return client.cookies["csrftoken"].value


def test_post_with_credentials_in_the_query_string_logs_in(reader):
    client = Client(enforce_csrf_checks=True)
    token = _token(client)
    response = client.post(f"/users/login?{QUERY}&authenticity_token={token}")
    assert response.status_code == 302
    assert client.get(f"/users/{reader.username}").context["user"] == reader


def test_without_the_authenticity_token_it_is_refused(reader):
    client = Client(enforce_csrf_checks=True)
    _token(client)
    assert client.post(f"/users/login?{QUERY}").status_code == 403


def test_a_get_with_credentials_never_logs_in(client, reader):
    client.get(f"/users/login?{QUERY}")
    assert "_auth_user_id" not in client.session


def test_logged_request_lines_never_show_the_password():
    record = logging.LogRecord(
        "django.server",
        logging.INFO,
        "",
        0,
        '"%s" %s',
        (f"POST /users/login?{QUERY} HTTP/1.1", "302"),
        None,
    )
    RedactQueryCredentials().filter(record)
    assert "correct-horse" not in record.getMessage()
    assert "POST /users/login?[redacted] HTTP/1.1" in record.getMessage()
