"""Each request's account comes from the cache (archive/backends.py): any change to the
account shows on the member's next page, and a password change or deactivation still logs
them out everywhere."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from archive.services.invitations import invitation_give
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def _logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _queries(client, url) -> tuple[str, list[str]]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return response.content.decode(), [q["sql"] for q in queries.captured_queries]


def test_the_account_is_read_once_then_from_the_cache():
    client = _logged_in(make_user(username="tidewatcher"))
    _, first = _queries(client, "/about")
    page, second = _queries(client, "/about")
    assert any('FROM "archive_user"' in sql for sql in first)
    assert not any('FROM "archive_user"' in sql for sql in second)
    assert "/users/tidewatcher/inbox" in page


def test_a_changed_login_shows_on_the_next_page():
    user = make_user(username="tidewatcher")
    client = _logged_in(user)
    client.get("/about")
    user.username = "ebbwatcher"
    user.save()
    page = client.get("/about").content.decode()
    assert "/users/ebbwatcher/inbox" in page and "tidewatcher" not in page


def test_a_password_change_or_deactivation_logs_the_member_out():
    user = make_user(username="tidewatcher")
    elsewhere = _logged_in(user)
    assert "/users/tidewatcher/inbox" in elsewhere.get("/about").content.decode()
    user.set_password("a-new-harbour-password")
    user.save()
    assert "/users/tidewatcher/inbox" not in elsewhere.get("/about").content.decode()

    other = make_user(username="gullkeeper")
    client = _logged_in(other)
    assert "/users/gullkeeper/inbox" in client.get("/about").content.decode()
    other.is_active = False
    other.save()
    assert "/users/gullkeeper/inbox" not in client.get("/about").content.decode()


def test_an_invitation_given_shows_the_count_left_at_once(client):
    user = make_user(username="tidewatcher", invitations_left=2)
    client.force_login(user)
    client.get("/about")
    invitation_give(user=get_user_model().objects.get(pk=user.pk), email="new@example.org")
    assert client.get("/about").wsgi_request.user.invitations_left == 1
