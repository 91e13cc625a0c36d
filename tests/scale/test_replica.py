"""The replica router against a real streaming replica (deploy/replica.sh, tests/scale/conftest.py).

Reading, listing and searching as a guest or a member read from the replica; posting writes to
the primary, and the author reads back what they wrote from the primary for the pin window,
even while the replica has not replayed it yet (replay is paused to prove it)."""

import time

import pytest
from django.db import connections
from django.test import Client
from django.urls import reverse

from archive.replicas import PIN_COOKIE, reading_from
from tags.models import TagType
from tests.factories import make_user, make_work
from tests.scale.conftest import REPLICA_ALIAS, QueriesOn, wait_for_replay
from tests.works.test_posting_chapters import chapter_data
from tests.works.test_posting_work import work_data
from works.models import Kudos, Work

pytestmark = [pytest.mark.postgres_only, pytest.mark.once]


def paused_replay(replica):
    """Stops the replica replaying the primary's changes until the context ends."""

    class Paused:
        def __enter__(self):
            with replica.cursor() as cursor:
                cursor.execute("SELECT pg_wal_replay_pause()")

        def __exit__(self, *exc):
            with replica.cursor() as cursor:
                cursor.execute("SELECT pg_wal_replay_resume()")

    return Paused()


def test_guest_reading_listing_and_search_are_served_by_the_replica(through_router):
    work = make_work(title="Quayside Lamplight", tags={TagType.FANDOM: ["Lantern Street (Radio)"]})
    fandom = work.tags.get(type=TagType.FANDOM)
    wait_for_replay()
    guest = Client()
    pages = [
        reverse("works:detail", args=[work.pk]) + "?view_adult=true",
        "/works",
        reverse("works:tag_works", args=[fandom.name]),
        "/works/search?work_search%5Bquery%5D=Quayside",
    ]
    for page in pages:
        with QueriesOn("default", REPLICA_ALIAS) as queries:
            response = guest.get(page)
        assert response.status_code == 200, page
        assert "Quayside Lamplight" in response.content.decode(), page
        assert queries.counts[REPLICA_ALIAS] > 0, page
        assert queries.counts["default"] == 0, (page, queries.counts)
        assert PIN_COOKIE not in response.cookies


def test_a_member_reading_is_served_by_the_replica_and_never_pinned(through_router):
    reader = make_user(username="replica_reader")
    work = make_work(title="Tide Tables")
    wait_for_replay()
    member = Client()
    member.force_login(reader)
    wait_for_replay()  # the session row
    for _ in range(2):
        with QueriesOn("default", REPLICA_ALIAS) as queries:
            response = member.get(reverse("works:detail", args=[work.pk]))
        assert "Tide Tables" in response.content.decode()
        assert "Log Out" in response.content.decode()
        assert queries.counts["default"] == 0, queries.counts
        assert PIN_COOKIE not in response.cookies


def test_an_author_reads_back_what_they_posted_before_the_replica_has_it(through_router, settings):
    settings.ARCHIVE_REPLICA_PIN_SECONDS = 2
    author = make_user(username="replica_author")
    wait_for_replay()
    client = Client()
    client.force_login(author)
    guest = Client()
    with paused_replay(through_router):
        response = client.post("/works/new", work_data(title="Posted Behind the Replica"))
        assert response.status_code == 302
        assert PIN_COOKIE in response.cookies
        work = Work.objects.get(title="Posted Behind the Replica")
        page = reverse("works:detail", args=[work.pk])

        # The author, inside the pin window: the primary, which has the work.
        with QueriesOn("default", REPLICA_ALIAS) as queries:
            mine = client.get(page)
        assert mine.status_code == 200
        assert "Posted Behind the Replica" in mine.content.decode()
        assert queries.counts[REPLICA_ALIAS] == 0

        # A chapter added now is there on the author's next page too.
        response = client.post(f"/works/{work.pk}/chapters/new", chapter_data(title="Second Tide"))
        assert response.status_code == 302
        assert "Second Tide" in client.get(response["Location"]).content.decode()

        # A guest reads from the replica, which has not replayed the post: not there yet.
        assert guest.get(page).status_code == 404

    wait_for_replay()
    assert "Posted Behind the Replica" in guest.get(page).content.decode()
    # After the window the author reads from the replica again, which has caught up.
    time.sleep(settings.ARCHIVE_REPLICA_PIN_SECONDS + 1)
    with QueriesOn("default", REPLICA_ALIAS) as queries:
        again = client.get(f"/works/{work.pk}?view_full_work=true")
    assert "Second Tide" in again.content.decode()
    assert queries.counts["default"] == 0 and queries.counts[REPLICA_ALIAS] > 0


def test_a_guest_kudos_is_written_to_the_primary(through_router):
    work = make_work(title="Gull Song")
    wait_for_replay()
    guest = Client()
    page = reverse("works:detail", args=[work.pk])
    assert guest.get(page).status_code == 200
    response = guest.post(reverse("works:kudos_create", args=[work.pk]))
    assert response.status_code == 302
    assert Kudos.objects.using("default").filter(work=work).count() == 1
    wait_for_replay()
    assert Kudos.objects.using(REPLICA_ALIAS).filter(work=work).count() == 1


def test_outside_a_request_everything_reads_from_the_primary(through_router):
    make_work(title="Harbour Bells")
    # No wait for the replica: a task worker or a command must see its own writes at once.
    assert reading_from() == "default"
    assert Work.objects.filter(title="Harbour Bells").exists()
    assert (
        connections[REPLICA_ALIAS].settings_dict["PORT"]
        != connections["default"].settings_dict["PORT"]
    )
