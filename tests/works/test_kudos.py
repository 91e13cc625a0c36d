import threading
import time

import pytest
from django.db import connection, connections, transaction

from archive.errors import Refused
from tests.factories import make_user, make_work
from works.models import Kudos, WorkStats
from works.services import feedback

pytestmark = pytest.mark.django_db


def _stats(work):
    return WorkStats.objects.get(work=work)


def test_guest_kudos_appears_as_guest_count_on_the_work_page(client):
    work = make_work()
    response = client.post(f"/works/{work.pk}/kudos", REMOTE_ADDR="203.0.113.5")
    assert response.status_code == 302
    page = client.get(f"/works/{work.pk}").content.decode()
    assert 'id="new_kudo"' in page
    assert '<p class="kudos">1 guest left kudos on this work!</p>' in page
    assert _stats(work).kudos == 1


def test_kudos_list_names_users_and_counts_guests(client):
    work = make_work()
    for name in ("alice", "bruno"):
        feedback.kudos_add(work=work, user=make_user(username=name), ip=None)
    for ip in ("198.51.100.1", "198.51.100.2"):
        feedback.kudos_add(work=work, user=None, ip=ip)
    page = client.get(f"/works/{work.pk}").content.decode()
    assert "as well as 2 guests left kudos on this work!" in page
    assert ">alice</a>" in page and ">bruno</a>" in page


def test_second_kudos_from_the_same_account_is_not_counted(client, reader):
    work = make_work()
    client.force_login(reader)
    client.post(f"/works/{work.pk}/kudos")
    response = client.post(f"/works/{work.pk}/kudos", follow=True)
    assert "You have already left kudos here" in response.content.decode()
    assert Kudos.objects.filter(work=work).count() == 1
    assert _stats(work).kudos == 1


def test_same_guest_ip_counts_once(client):
    work = make_work()
    assert feedback.kudos_add(work=work, user=None, ip="192.0.2.9") is True
    assert feedback.kudos_add(work=work, user=None, ip="192.0.2.9") is False
    assert feedback.kudos_add(work=work, user=None, ip="192.0.2.10") is True
    assert _stats(work).kudos == 2


def test_author_cannot_kudos_own_work(author_client, author):
    work = make_work(creator=author)
    response = author_client.post(f"/works/{work.pk}/kudos", follow=True)
    assert "You can&#x27;t leave kudos on your own work." in response.content.decode()
    assert not Kudos.objects.exists()
    assert _stats(work).kudos == 0


def test_guest_cannot_kudos_restricted_work(client):
    work = make_work(restricted=True)
    response = client.post(f"/works/{work.pk}/kudos")
    assert response.status_code == 404
    with pytest.raises(Refused):
        feedback.kudos_add(work=work, user=None, ip="192.0.2.1")
    assert not Kudos.objects.exists()


def test_kudos_on_a_draft_is_not_found(client, reader):
    work = make_work(post=False)
    client.force_login(reader)
    assert client.post(f"/works/{work.pk}/kudos").status_code == 404


def test_kudos_needs_post(client):
    work = make_work()
    assert client.get(f"/works/{work.pk}/kudos").status_code == 405


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_twenty_concurrent_guest_kudos_leave_one_kudos_and_a_count_of_one():
    """Twenty threads, each on its own database connection, leave kudos from one IP at the
    same moment: the partial unique constraint lets exactly one row in."""
    work = make_work()
    start = threading.Barrier(20)
    results, errors = [], []

    def leave_kudos():
        try:
            start.wait()
            results.append(feedback.kudos_add(work=work, user=None, ip="203.0.113.77"))
        except Exception as error:  # noqa: BLE001 - collected and asserted below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=leave_kudos) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert Kudos.objects.filter(work=work).count() == 1
    assert _stats(work).kudos == 1
    assert results.count(True) == 1
    if connection.vendor == "postgresql":
        # PostgreSQL takes every request: one inserted, nineteen told it already existed.
        assert errors == []
        assert results.count(False) == 19


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_twenty_concurrent_kudos_requests_over_http_leave_one_kudos(live_server, settings):
    """The same race through the real stack: twenty HTTP POSTs from one guest (one address,
    one CSRF cookie) at once against the threaded live server.

    On SQLite the test database lives in memory and Django's live server hands that one
    connection to every request thread, so simultaneous requests would share a transaction;
    there the twenty POSTs go one after another (the race itself is covered on SQLite by the
    service-level test above, whose threads have their own connections)."""
    import http.cookiejar
    import re
    import urllib.parse
    import urllib.request

    settings.ARCHIVE_RATE_LIMITS_ENABLED = False  # this test is about the race, not limits
    work = make_work()
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"{live_server.url}/works/{work.pk}").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    body = urllib.parse.urlencode({"csrfmiddlewaretoken": token}).encode()
    concurrent = connection.vendor != "sqlite"
    start = threading.Barrier(20 if concurrent else 1)
    statuses, errors = [], []

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    def post():
        poster = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect())
        request = urllib.request.Request(
            f"{live_server.url}/works/{work.pk}/kudos",
            data=body,
            headers={"Referer": f"{live_server.url}/works/{work.pk}"},
        )
        try:
            start.wait()
            statuses.append(poster.open(request).status)
        except urllib.error.HTTPError as answer:
            statuses.append(answer.code)
        except Exception as error:  # noqa: BLE001 - asserted below
            errors.append(error)

    threads = [threading.Thread(target=post) for _ in range(20)]
    for thread in threads:
        thread.start()
        if not concurrent:
            thread.join()
    for thread in threads:
        thread.join()
    assert Kudos.objects.filter(work=work).count() == 1
    assert _stats(work).kudos == 1
    assert errors == [] and statuses == [302] * 20


def test_ao3_kudos_form_fields_work_at_slash_kudos(client):
    work = make_work()
    response = client.post(
        "/kudos",
        {"kudo[commentable_id]": str(work.pk), "kudo[commentable_type]": "Work"},
        REMOTE_ADDR="203.0.113.9",
    )
    assert response.status_code == 302
    assert _stats(work).kudos == 1
    assert client.post("/kudos", {"kudo[commentable_id]": "nope"}).status_code == 404


def _guest_kudos(client, work, forwarded):
    return client.post(
        f"/works/{work.pk}/kudos", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded
    )


def test_guest_kudos_behind_a_trusted_proxy_are_told_apart_by_forwarded_address(client, settings):
    settings.ARCHIVE_TRUSTED_PROXIES = 1
    work = make_work()
    for forwarded in ("198.51.100.21", "198.51.100.22", "198.51.100.21"):
        assert _guest_kudos(client, work, forwarded).status_code == 302
    assert sorted(Kudos.objects.filter(work=work).values_list("ip", flat=True)) == [
        "198.51.100.21",
        "198.51.100.22",
    ]
    assert _stats(work).kudos == 2


def test_guest_kudos_ignore_forwarded_for_without_trusted_proxies(client, settings):
    settings.ARCHIVE_TRUSTED_PROXIES = 0
    work = make_work()
    _guest_kudos(client, work, "198.51.100.21")
    _guest_kudos(client, work, "198.51.100.22")
    assert list(Kudos.objects.filter(work=work).values_list("ip", flat=True)) == ["10.0.0.1"]


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_kudos_and_a_comment_on_one_work_at_once_both_land():
    """Found by `make loadtest LOAD_MODE=cluster` (16 readers on two servers): a guest's kudos
    had updated the work's counters and was committing (PostgreSQL then checks its foreign key
    to the work with a key-share lock) while a comment held the work row locked and waited for
    those counters: a deadlock, and a 500 for the kudos. The comment's lock on the work must
    leave foreign-key checks through."""
    work = make_work()
    chapter = work.chapters.get()
    counters_taken, commit_now = threading.Event(), threading.Event()
    errors = []

    def kudos():
        try:
            with transaction.atomic():
                feedback.kudos_add(work=work, user=None, ip="203.0.113.80")
                counters_taken.set()
                commit_now.wait(timeout=10)
        except Exception as error:  # noqa: BLE001 - collected and asserted below
            errors.append(error)
        finally:
            connections.close_all()

    def comment():
        try:
            counters_taken.wait(timeout=10)
            feedback.comment_add(
                chapter=chapter,
                user=None,
                content="At the same moment.",
                guest_name="Guest",
                guest_email="guest@example.org",
            )
        except Exception as error:  # noqa: BLE001
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=kudos), threading.Thread(target=comment)]
    for thread in threads:
        thread.start()
    counters_taken.wait(timeout=10)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and not _someone_waits_for_a_lock():
        time.sleep(0.05)
    commit_now.set()
    for thread in threads:
        thread.join(timeout=20)
    assert errors == []
    assert (_stats(work).kudos, _stats(work).comments) == (1, 1)


def _someone_waits_for_a_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity"
            " WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0] > 0
