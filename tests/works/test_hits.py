import datetime
import pickle

import pytest
import redis
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.http import HttpResponse
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from tests.factories import make_user, make_work
from works import hits
from works.models import DailyStat, Reading, WorkStats

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def empty_cache(settings):
    settings.HITS_FLUSH_THRESHOLD = 1000
    settings.HITS_FLUSH_INTERVAL = 3600
    cache.clear()
    yield
    cache.clear()


def _hits(work):
    return WorkStats.objects.get(work=work).hits


def test_a_guest_counts_once_per_day(client):
    work = make_work()
    for _ in range(3):
        assert client.get(f"/works/{work.pk}", REMOTE_ADDR="198.51.100.7").status_code == 200
    client.get(f"/works/{work.pk}", REMOTE_ADDR="198.51.100.8")
    assert _hits(work) == 0  # buffered, not written yet
    call_command("flush_hits")
    assert _hits(work) == 2


def test_a_logged_in_reader_counts_once_whatever_their_address(client, reader):
    work = make_work(chapters=2)
    client.force_login(reader)
    client.get(f"/works/{work.pk}", REMOTE_ADDR="198.51.100.1")
    second = list(work.chapters.order_by("position"))[1]
    client.get(second.get_absolute_url(), REMOTE_ADDR="198.51.100.2")
    hits.flush()
    assert _hits(work) == 1


def test_the_next_day_counts_again():
    work = make_work()
    today = datetime.date(2026, 11, 21)
    assert hits.hit_record(work.pk, "ip1", today) is True
    assert hits.hit_record(work.pk, "ip1", today) is False
    assert hits.hit_record(work.pk, "ip1", today + datetime.timedelta(days=1)) is True
    hits.flush()
    assert _hits(work) == 2


def test_creators_drafts_and_hidden_works_are_not_counted(client, author, moderator):
    work = make_work(creator=author)
    draft = make_work(creator=author, post=False)
    hidden = make_work(hidden_by_moderator=True)
    client.force_login(author)
    client.get(f"/works/{work.pk}")
    client.get(f"/works/{draft.pk}")
    client.force_login(moderator)
    assert client.get(f"/works/{hidden.pk}").status_code == 200
    hits.flush()
    assert _hits(work) == 0 and _hits(draft) == 0 and _hits(hidden) == 0


def test_adult_notice_is_not_a_read(client):
    work = make_work(tags={"rating": ["Explicit"]})
    page = client.get(f"/works/{work.pk}").content.decode()
    assert "could have adult content" in page
    hits.flush()
    assert _hits(work) == 0


@pytest.mark.parametrize("logged_in", [False, True])
def test_a_work_page_view_writes_nothing_to_the_database(client, reader, logged_in):
    work = make_work(chapters=2)
    if logged_in:
        client.force_login(reader)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/works/{work.pk}?view_full_work=true")
    assert response.status_code == 200
    writes = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].split()[0].upper() in {"INSERT", "UPDATE", "DELETE"}
    ]
    assert writes == []
    assert response.get(hits.HEADER) == str(work.pk)


def test_hits_are_flushed_automatically_after_the_threshold(client, settings):
    settings.HITS_FLUSH_THRESHOLD = 3
    work = make_work()
    for n in range(3):
        client.get(f"/works/{work.pk}", REMOTE_ADDR=f"198.51.100.{n + 1}")
    assert _hits(work) == 3


def test_hits_are_flushed_automatically_when_the_interval_passed(client):
    work = make_work()
    client.get(f"/works/{work.pk}", REMOTE_ADDR="198.51.100.1")
    assert _hits(work) == 0
    cache.delete(hits.TIMER_KEY)  # as if HITS_FLUSH_INTERVAL seconds went by
    client.get(f"/works/{work.pk}", REMOTE_ADDR="198.51.100.2")
    assert _hits(work) == 2


def test_a_hit_counts_when_the_page_comes_from_a_page_cache(client, django_assert_num_queries):
    """A page cache below HitMiddleware hands back a stored response without running the
    view: the stored X-Archive-Work header still makes the middleware count, with no query."""
    work = make_work()
    url = f"/works/{work.pk}"
    rendered = client.get(url, REMOTE_ADDR="198.51.100.1")
    stored = pickle.loads(pickle.dumps(HttpResponse(rendered.content, headers=rendered.headers)))
    middleware = hits.HitMiddleware(lambda request: stored)  # the cache, not the view
    request = RequestFactory().get(url, REMOTE_ADDR="198.51.100.2")
    request.user = AnonymousUser()
    with django_assert_num_queries(0):
        assert middleware(request) is stored
    hits.flush()
    assert _hits(work) == 2


def test_hits_recorded_during_a_flush_are_kept_for_the_next(client):
    work = make_work()
    hits.hit_record(work.pk, "ip1")
    hits.hit_record(work.pk, "ip2")
    assert hits.flush() == 2
    hits.hit_record(work.pk, "ip3")
    assert hits.flush() == 1
    assert hits.flush() == 0
    assert _hits(work) == 3


def test_many_works_flush_in_one_pass():
    works = [make_work() for _ in range(5)]
    for n, work in enumerate(works):
        for visitor in range(n + 1):
            hits.hit_record(work.pk, f"ip{visitor}")
    assert hits.flush() == 15
    assert [_hits(w) for w in works] == [1, 2, 3, 4, 5]


def test_history_is_buffered_and_written_by_the_flush(client, reader):
    work = make_work()
    client.force_login(reader)
    client.get(f"/works/{work.pk}")
    client.get(f"/works/{work.pk}")
    assert not Reading.objects.exists()
    hits.flush()
    reading = Reading.objects.get(user=reader, work=work)
    assert reading.visit_count == 2 and reading.last_visited_at is not None


def test_history_can_be_turned_off(client):
    quiet = make_user(history_enabled=False)
    work = make_work()
    client.force_login(quiet)
    client.get(f"/works/{work.pk}")
    hits.flush()
    assert not Reading.objects.exists()
    assert _hits(work) == 1


def test_guests_behind_a_trusted_proxy_count_by_their_forwarded_address(client, settings):
    settings.ARCHIVE_TRUSTED_PROXIES = 1
    work = make_work()
    url = f"/works/{work.pk}"
    proxy = "10.0.0.1"  # every request arrives from the same load balancer
    client.get(url, REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="198.51.100.11")
    client.get(url, REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="198.51.100.12")
    client.get(url, REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="198.51.100.11")  # same guest
    hits.flush()
    assert _hits(work) == 2


def test_forwarded_for_is_ignored_for_hits_without_trusted_proxies(client, settings):
    settings.ARCHIVE_TRUSTED_PROXIES = 0
    work = make_work()
    url = f"/works/{work.pk}"
    client.get(url, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.11")
    client.get(url, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.12")
    hits.flush()
    assert _hits(work) == 1


@pytest.fixture
def redis_cache(settings):
    """The archive's Redis cache backend on the real Redis (a database of its own)."""
    url = "redis://127.0.0.1:6379/13"
    redis.Redis.from_url(url).flushdb()
    settings.CACHES = {"default": {"BACKEND": "archive.cache.ArchiveRedisCache", "LOCATION": url}}
    yield
    redis.Redis.from_url(url).flushdb()


def pipelines_sent(monkeypatch) -> list[int]:
    """The number of commands in each Redis pipeline sent from now on."""
    sent = []
    original = redis.client.Pipeline.execute

    def counted(self, *args, **kwargs):
        sent.append(len(self.command_stack))
        return original(self, *args, **kwargs)

    monkeypatch.setattr(redis.client.Pipeline, "execute", counted)
    return sent


def test_on_redis_reads_count_exactly_in_one_round_trip(client, reader, redis_cache, monkeypatch):
    # The usual read (no new hit, a visit already pending) is one pipeline; hits, visits and
    # the pending total still come out exact after guests' and a member's repeated reads.
    work, other = make_work(), make_work()
    for address in ("198.51.100.1", "198.51.100.1", "198.51.100.2"):
        client.get(f"/works/{work.pk}", REMOTE_ADDR=address)
    client.force_login(reader)
    for _ in range(3):
        client.get(f"/works/{work.pk}")
    client.get(f"/works/{other.pk}")
    sent = pipelines_sent(monkeypatch)
    assert hits.record_read(work.pk, f"u{reader.pk}", reader_id=reader.pk) == (False, False)
    assert sent == [4]  # the hit key, the visit, the total, the flush's keys
    assert cache.get(hits.TOTAL_KEY) == 4 + 5  # 4 hits, 5 visits, nothing flushed yet
    hits.flush()
    assert (_hits(work), _hits(other)) == (3, 1)
    assert Reading.objects.get(user=reader, work=work).visit_count == 4
    assert Reading.objects.get(user=reader, work=other).visit_count == 1
    assert cache.get(hits.TOTAL_KEY) == 0
    # Redis restarted without its scripts: the next read loads the script again.
    redis.Redis.from_url("redis://127.0.0.1:6379/13").script_flush()
    hits.record_read(work.pk, f"u{reader.pk}", reader_id=reader.pk)
    assert cache.get(hits.TOTAL_KEY) == 1


def test_on_redis_a_chapters_reader_rides_the_same_round_trip(redis_cache, monkeypatch):
    work = make_work(chapters=2)
    second = list(work.chapters.order_by("position"))[1]
    sent = pipelines_sent(monkeypatch)
    for _ in range(3):
        hits.record_read(work.pk, "ip1", chapter_id=second.pk)
    assert sent == [3, 3, 3]  # the hit key, the chapter's reader key, the flush's keys
    hits.flush()
    row = DailyStat.objects.get(work=work, chapter=second)
    assert row.hits == 1  # one reader of that chapter today, however often they came
    assert _hits(work) == 1


def test_on_redis_a_queued_flush_is_seen_in_the_same_round_trip(
    client, redis_cache, settings, monkeypatch
):
    # A due flush is queued once; the reads after it see the queued key in their pipeline
    # and neither queue another nor send another command for it.
    settings.HITS_FLUSH_THRESHOLD = 1
    queued = []
    monkeypatch.setattr(hits, "enqueue", lambda task: queued.append(task))
    sent = []
    original = redis.Redis.execute_command

    def counted(self, *args, **kwargs):
        sent.append(args[0])
        return original(self, *args, **kwargs)

    monkeypatch.setattr(redis.Redis, "execute_command", counted)
    work = make_work()
    for address in ("198.51.100.1", "198.51.100.2", "198.51.100.3"):
        client.get(f"/works/{work.pk}", REMOTE_ADDR=address)
    assert queued == [hits.flush_task]
    set_after_first = sent.count("SET")
    sent.clear()
    client.get(f"/works/{work.pk}", REMOTE_ADDR="198.51.100.1")  # a repeat read: no new hit
    assert "SET" not in sent and queued == [hits.flush_task]
    assert set_after_first >= 1
