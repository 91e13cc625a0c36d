"""Rate limits: fixed windows in the shared cache, 429 with Retry-After, trusted proxies."""

import pytest

from archive import ratelimit
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def _login(client, username, password="wrong password", **extra):
    return client.post("/users/login", {"username": username, "password": password}, **extra)


def test_login_allows_five_attempts_per_20_seconds_then_429(client, author):
    for _ in range(5):
        assert _login(client, "author").status_code == 200  # the form, with its error
    response = _login(client, "author", PASSWORD)
    assert response.status_code == 429
    retry_after = int(response["Retry-After"])
    assert 1 <= retry_after <= 20
    body = response.content.decode()
    assert "Too many requests" in body
    assert f"try again in {retry_after} second" in body
    assert "_auth_user_id" not in client.session


def test_login_limit_is_per_account_across_addresses(client, author):
    for n in range(5):
        _login(client, "Author", REMOTE_ADDR=f"10.0.0.{n}")
    assert _login(client, "author", PASSWORD, REMOTE_ADDR="10.0.0.99").status_code == 429
    # Another account from a fresh address is unaffected.
    assert _login(client, "someone", REMOTE_ADDR="10.0.1.1").status_code == 200


def test_login_limit_is_per_address_across_accounts(client, author):
    for n in range(5):
        _login(client, f"nobody{n}", REMOTE_ADDR="10.0.0.7")
    assert _login(client, "author", PASSWORD, REMOTE_ADDR="10.0.0.7").status_code == 429
    assert _login(client, "author", PASSWORD, REMOTE_ADDR="10.0.0.8").status_code == 302


def test_login_page_itself_is_not_limited(client):
    for _ in range(10):
        assert client.get("/users/login").status_code == 200


def test_window_ends_and_attempts_are_allowed_again():
    for _ in range(5):
        assert ratelimit.check("login_ip", "ip:1.2.3.4", now=1000.0) is None
    assert ratelimit.check("login_ip", "ip:1.2.3.4", now=1005.0) == 15
    assert ratelimit.check("login_ip", "ip:1.2.3.4", now=1020.0) is None


def test_signup_is_rate_limited(client, settings):
    settings.ARCHIVE_RATE_LIMITS = {"signup": (2, 3600)}
    for _ in range(2):
        assert client.post("/signup", {"username": "x"}).status_code == 200
    response = client.post("/signup", {"username": "x"})
    assert response.status_code == 429
    assert int(response["Retry-After"]) <= 3600


def test_guests_behind_a_trusted_proxy_have_their_own_login_limit(client, settings):
    settings.ARCHIVE_TRUSTED_PROXIES = 1
    for n in range(5):
        _login(client, f"guess{n}", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.1")
    blocked = _login(client, "other", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.1")
    assert blocked.status_code == 429
    other = _login(client, "other", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.2")
    assert other.status_code == 200


def test_spoofed_forwarded_for_does_not_escape_the_login_limit(client, author):
    for n in range(5):
        _login(client, f"guess{n}", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}")
    assert _login(client, "other", HTTP_X_FORWARDED_FOR="198.51.100.200").status_code == 429


def test_limit_counts_in_the_shared_cache(settings):
    from django.core.cache import cache

    ratelimit.check("search", "ip:9.9.9.9", now=120.0)
    ratelimit.check("search", "ip:9.9.9.9", now=121.0)
    keys = [ratelimit._key("search", "ip:9.9.9.9", 120)]
    assert cache.get(keys[0]) == 2
