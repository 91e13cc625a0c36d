import pytest
from django.db import connection

pytestmark = pytest.mark.django_db


def test_health_answers_without_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_ready_checks_database_and_cache(client):
    response = client.get("/ready")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}


def test_ready_answers_503_when_the_database_is_down(client, monkeypatch):
    def broken_cursor(*args, **kwargs):
        raise RuntimeError("database unreachable")

    monkeypatch.setattr(connection, "cursor", broken_cursor)
    response = client.get("/ready")
    assert response.status_code == 503
    assert response.json()["database"] == "unavailable"


def test_ready_answers_503_when_the_cache_is_down(client, monkeypatch):
    from django.core.cache import cache

    def broken_set(*args, **kwargs):
        raise ConnectionError("cache unreachable")

    monkeypatch.setattr(cache, "set", broken_set)
    response = client.get("/ready")
    assert response.status_code == 503
    assert response.json()["cache"] == "unavailable"
