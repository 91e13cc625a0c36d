"""Who the API takes a caller for, what each scope allows, its rate limits and its errors."""

import pytest
from django.test import Client

from archive.models import AccessToken
from archive.services.tokens import token_revoke
from tests.api.conftest import token_for
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def test_a_guest_a_token_and_a_session(api):
    reader = make_user(username="apicaller")
    assert api.get("/api/v1/me").json()["authenticated_by"] == "guest"
    secret = token_for(reader, "read", "write:feedback")
    assert api.get("/api/v1/me", token=secret).json() == {
        "login": "apicaller",
        "authenticated_by": "token",
        "scopes": ["read", "write:feedback"],
    }
    session = Client()
    session.force_login(reader)
    assert session.get("/api/v1/me").json()["authenticated_by"] == "session"


@pytest.mark.parametrize("header", ["Bearer fa_wrong", "Bearer ", "Bearer fa_" + "x" * 500])
def test_a_wrong_token_is_refused_not_taken_for_a_guest(api, header):
    response = api.get("/api/v1/me", HTTP_AUTHORIZATION=header)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    problem = response.json()
    assert problem["status"] == 401 and problem["title"] == "Unauthorized"
    assert problem["code"] == "invalid_token"


def test_a_revoked_token_or_a_closed_account_stops_working(api):
    reader = make_user(username="apiclosed")
    secret = token_for(reader)
    token_revoke(AccessToken.objects.get(user=reader))
    assert api.get("/api/v1/me", token=secret).status_code == 401
    second = token_for(reader, name="second")
    reader.is_active = False
    reader.save()
    assert api.get("/api/v1/me", token=second).status_code == 401


def test_tokens_are_limited_per_token_and_guests_per_address(api, settings):
    settings.ARCHIVE_RATE_LIMITS = {"api_token": (3, 60), "api_address": (2, 60)}
    reader = make_user(username="apilimited")
    secret = token_for(reader)
    assert [api.get("/api/v1/me", token=secret).status_code for _ in range(3)] == [200] * 3
    limited = api.get("/api/v1/me", token=secret)
    assert limited.status_code == 429
    assert 1 <= int(limited["Retry-After"]) <= 60
    assert limited["Content-Type"] == "application/problem+json"
    assert limited.json()["code"] == "rate_limited"
    # Another token of the same account has its own allowance; guests count by address.
    assert api.get("/api/v1/me", token=token_for(reader, name="other")).status_code == 200
    guests = [api.get("/api/v1/me", REMOTE_ADDR="198.51.100.7").status_code for _ in range(3)]
    assert guests == [200, 200, 429]
    assert api.get("/api/v1/me", REMOTE_ADDR="198.51.100.8").status_code == 200


def test_the_session_needs_the_csrf_token_to_write(settings):
    reader = make_user(username="apisession")
    session = Client(enforce_csrf_checks=True)
    session.force_login(reader)
    response = session.post("/api/v1/me", content_type="application/json", data={})
    # /me only reads: 405 for a POST, after the CSRF check refused it.
    assert response.status_code in (403, 405)


def test_unknown_paths_answer_problem_404(api):
    response = api.get("/api/v1/nothing-here")
    assert response.status_code == 404
