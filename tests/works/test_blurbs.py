"""Listing blurbs stored and reused (works/blurbs.py): fewer queries, never stale, and a
blurb that differs by reader (anonymous collections) only reaches the readers it was made
for."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.factories import make_user, make_work
from tests.works.test_collections_anonymity import LOGIN, Scene
from works.services import feedback as services_feedback
from works.services import posting as services

pytestmark = pytest.mark.django_db


def _listing(client, url="/works"):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode(), len(queries)


def test_a_second_listing_reuses_the_blurbs_and_shows_the_same_page():
    for n in range(5):
        make_work(title=f"Blurb Lantern {n}")
    first, first_queries = _listing(Client())
    second, second_queries = _listing(Client())
    assert second == first
    assert second_queries < first_queries
    assert all(f"Blurb Lantern {n}" in second for n in range(5))


def test_logged_in_readers_get_stored_blurbs_of_works_without_secrets(client, reader):
    make_work(title="Open Lantern")
    _listing(Client())
    client.force_login(reader)
    page, queries_with = _listing(client)
    assert "Open Lantern" in page
    from django.core.cache import cache

    cache.clear()
    _page, queries_without = _listing(client)
    assert queries_with < queries_without


def test_a_changed_work_shows_its_new_blurb_at_once(reader):
    work = make_work(title="Kudos Lantern")
    page, _queries = _listing(Client())
    assert '<dd class="kudos">' not in page
    services_feedback.kudos_add(work=work, user=reader, ip=None)
    page, _queries = _listing(Client())
    assert '<dd class="kudos">1</dd>' in page
    services.work_update(work=work, fields={"title": "Renamed Lantern"})
    page, _queries = _listing(Client())
    assert "Renamed Lantern" in page and "Kudos Lantern" not in page


def test_an_anonymous_works_stored_blurb_reaches_guests_only(client):
    scene = Scene(anonymous=True)
    guest_page, _queries = _listing(Client())
    assert "Anonymous" in guest_page and LOGIN not in guest_page
    assert "Anonymous" in _listing(Client())[0]  # from the stored blurb
    client.force_login(scene.author)
    own_page, _queries = _listing(client)
    assert f">{LOGIN}</a>" in own_page
    client.force_login(make_user())
    other_page, _queries = _listing(client)
    assert "Anonymous" in other_page and LOGIN not in other_page
