"""Hits: one visitor reading a posted work, once per visitor per day, never its creators.

How a hit travels (docs/design.md section 7):

1. The work and chapter views decide whether the page they render is a countable read (a
   posted work that is not hidden, shown to someone who is not one of its creators, not the
   adult notice) and say so with the `X-Archive-Work` response header (`mark_response`).
2. `HitMiddleware`, placed ABOVE any page-cache middleware in settings.MIDDLEWARE, sees every
   response on its way out, including one a page cache (FetchFromCacheMiddleware) serves
   without running the view: the header is stored with the cached response, so a cached
   work page still counts (tests/works/test_hits.py replays a stored response). A cache in
   front of Django (a CDN or proxy) never reaches this code: count there, or keep work pages
   out of it. The middleware records the hit in the cache only:
   `cache.add("hit:<work>:<visitor>:<date>")` succeeds once per visitor per day, then a
   pending counter for the work and day is incremented and, when it goes from 0 to 1, the
   key is appended to a queue (numbered keys, so it works the same on Redis and local
   memory). The chapter the page opens with (the `X-Archive-Chapter` header) is counted the
   same way, once per visitor, chapter and day, for the creators' readers per chapter.
3. `flush()` moves pending counts to WorkStats.hits with F() and to the day's rows of the
   daily statistics (works.stats.daily, one upsert per work or chapter and day), under a
   lock key. It
   runs every minute on the task queue (`flush_task`, in settings.TASKS_EVERY_MINUTE, run by
   archive/queue.py's tick), from `manage.py flush_hits`, and when the pending total passes
   HITS_FLUSH_THRESHOLD or HITS_FLUSH_INTERVAL seconds have gone by: then, after the
   response has been sent (in its close(), never while the page is built), the request
   enqueues `flush_task` when the cache is shared (Redis) and flushes itself otherwise.

With local memory each process has its own buffer, so the flush in that process (its own
after-response flush, or the worker thread of `make run`) is what writes its hits; a worker
in another process only sees a shared (Redis) cache.
For logged-in readers who keep a history, the middleware buffers the visit the same way
(READINGS); the flush writes it with one upsert per reader and work
(works.services.feedback.reading_record), so "last visited" is at most one flush interval
late and a work page view never writes to the database itself.
"""

import datetime
import logging
from collections import defaultdict

from django.conf import settings
from django.core.cache import cache
from django.db.models import F
from django.utils import timezone

from archive.cache import add_incr_get
from archive.client import client_address
from archive.queue import enqueue, job
from works.models import WorkStats
from works.models.visibility import is_published
from works.services.feedback import reading_record
from works.stats import daily

HEADER = "X-Archive-Work"
CHAPTER_HEADER = "X-Archive-Chapter"
HEADERS = [HEADER, CHAPTER_HEADER]  # kept with a cached page
DAY = 86400
QUEUE_BATCH = 500
LOCK_SECONDS = 60

LOCK_KEY = "hits:lock"
TIMER_KEY = "hits:timer"
TOTAL_KEY = "hits:total"
# Set for 10 s when a request queues a flush, so that the next requests do not queue another.
QUEUED_KEY = "hits:flush:queued"
FLUSH_KEYS = [TOTAL_KEY, TIMER_KEY, QUEUED_KEY]  # what decides whether a request queues a flush

logger = logging.getLogger(__name__)


def _threshold() -> int:
    return getattr(settings, "HITS_FLUSH_THRESHOLD", 100)


def _interval() -> int:
    return getattr(settings, "HITS_FLUSH_INTERVAL", 60)


def _incr(key: str, delta: int = 1) -> int:
    """Atomic increment of a counter that never expires, created on first use."""
    try:
        return cache.incr(key, delta)
    except ValueError:  # not there yet: create it, unless another request just did
        if cache.add(key, delta, None):
            return delta
        return cache.incr(key, delta)


class Buffer:
    """Pending counts per key in the cache, and a numbered queue of the keys that have some.

    Only Django's cache API (add, incr, decr, get_many), so it behaves the same on Redis and
    in local memory. `take()` hands out the queued keys with their counts and subtracts
    exactly what it handed out, so counts added meanwhile wait for the next flush."""

    def __init__(self, name: str):
        self.name = name

    def _pending(self, key: str) -> str:
        return f"{self.name}:pending:{key}"

    def add(self, key: str) -> None:
        self.added(key, _incr(self._pending(key)))

    def added(self, key: str, pending: int) -> None:
        """`key`'s pending count went to `pending`: the first one queues the key."""
        if pending == 1:
            number = _incr(f"{self.name}:seq")
            cache.set(f"{self.name}:queue:{number}", key, None)

    def _queued(self) -> tuple[list[str], int]:
        done = cache.get(f"{self.name}:done") or 0
        last = cache.get(f"{self.name}:seq") or 0
        keys: list[str] = []
        reached = done
        stall_key = f"{self.name}:stall"
        for start in range(done + 1, last + 1, QUEUE_BATCH):
            numbers = range(start, min(start + QUEUE_BATCH, last + 1))
            found = cache.get_many([f"{self.name}:queue:{n}" for n in numbers])
            for n in numbers:
                value = found.get(f"{self.name}:queue:{n}")
                if value is None:
                    # Numbered but not written yet (another request is between its two
                    # cache calls): stop and retry next time, unless it was missing then too.
                    if cache.get(stall_key) != n:
                        cache.set(stall_key, n, None)
                        return keys, reached
                else:
                    keys.append(str(value))
                reached = n
        return keys, reached

    def take(self) -> list[tuple[str, int]]:
        keys, reached = self._queued()
        taken = []
        for key in dict.fromkeys(keys):
            count = cache.get(self._pending(key)) or 0
            if count > 0:
                cache.decr(self._pending(key), count)
                taken.append((key, count))
        cache.set(f"{self.name}:done", reached, None)
        return taken


HITS = Buffer("hits")  # keys "<work>:<day>"
CHAPTER_READS = Buffer("chapters")  # keys "<work>:<chapter>:<day>"
READINGS = Buffer("readings")


def mark_response(response, *, work, is_creator: bool, chapter=None):
    """Tell HitMiddleware that this response is a countable read of `work` (and of `chapter`,
    the chapter the page opens with, for the readers-per-chapter statistics)."""
    if is_published(work) and not is_creator:
        response[HEADER] = str(work.pk)
        if chapter is not None:
            response[CHAPTER_HEADER] = str(chapter.pk)
    return response


def visitor_of(request) -> str | None:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"u{user.pk}"
    address = client_address(request)
    return f"ip{address}" if address else None


def hit_record(
    work_id: int, visitor: str, day: datetime.date | None = None, *, chapter_id=None
) -> bool:
    """Count `visitor` reading `work_id` (and `chapter_id`) today: True when this is their
    first read of the work today. Touches the cache only."""
    return record_read(work_id, visitor, day=day, chapter_id=chapter_id)[0]


def _pending_added() -> None:
    """One more pending hit or visit in all (created on first use)."""
    if _incr(TOTAL_KEY) == 1:
        cache.add(TIMER_KEY, 1, _interval())  # the oldest pending hit waits at most this long


def record_read(
    work_id: int,
    visitor: str | None,
    *,
    reader_id: int | None = None,
    day=None,
    chapter_id: int | None = None,
) -> tuple[bool, bool]:
    """A read of `work_id`: `visitor`'s hit (once a day), and the visit of `reader_id` (a
    member who keeps a history). Returns (a new hit, a flush is due).

    The usual read (no new hit, a visit to a work already pending) is one round trip on
    Redis (archive.cache.add_incr_get): the day's hit key added if absent, the reader's
    pending visit and the pending total incremented if present, the flush's keys read, and on
    a chapter's page that chapter's reader key of the day added too. Only what that shows
    missing (a new hit or chapter reader, a first pending visit, no total yet) takes more."""
    day = day or timezone.localdate()
    add = [(f"hit:{work_id}:{visitor}:{day.isoformat()}", 1, DAY)] if visitor else []
    if visitor and chapter_id:
        add.append((f"chit:{chapter_id}:{visitor}:{day.isoformat()}", 1, DAY))
    visit = f"{reader_id}:{work_id}" if reader_id else None
    incr = [READINGS._pending(visit), TOTAL_KEY] if visit else []
    added, counts, found = add_incr_get(cache, add=add, incr=incr, get=FLUSH_KEYS)
    new_hit = bool(added) and added[0]
    new_reader = len(added) == 2 and added[1]
    if visit:
        pending, total = counts
        READINGS.added(visit, pending if pending is not None else _incr(READINGS._pending(visit)))
        if total is None:
            _pending_added()
        elif total == 1:
            cache.add(TIMER_KEY, 1, _interval())
    if new_hit:
        HITS.add(f"{work_id}:{day.isoformat()}")
        _pending_added()
    if new_reader:
        # Not in the pending total: a chapter's readers ride along with the next flush
        # (every minute on the task queue, or the one the work's hits bring on).
        CHAPTER_READS.add(f"{work_id}:{chapter_id}:{day.isoformat()}")
    if new_hit:
        found = cache.get_many(FLUSH_KEYS)
    return new_hit, _due(found)


def flush_due() -> bool:
    """Cheap check on the request path (one cache read): enough pending hits, or the oldest
    pending hit has waited HITS_FLUSH_INTERVAL seconds."""
    return _due(cache.get_many(FLUSH_KEYS))


def _due(found: dict) -> bool:
    """From the flush's keys: a flush is due and none was queued in the last 10 s."""
    if QUEUED_KEY in found:
        return False
    total = found.get(TOTAL_KEY) or 0
    return total >= _threshold() or (total > 0 and TIMER_KEY not in found)


def flush() -> int:
    """Move buffered hits to WorkStats.hits (F(), one UPDATE per work) and buffered visits
    to reading history (one upsert per reader and work). Returns the hits written."""
    if not cache.add(LOCK_KEY, 1, LOCK_SECONDS):
        return 0
    written = moved = 0
    try:
        days: dict[tuple, dict[str, int]] = defaultdict(lambda: {"hits": 0})
        per_work: dict[int, int] = defaultdict(int)
        for key, count in HITS.take():
            work_id, _, day = key.partition(":")  # "<work>" when buffered before days were
            day = datetime.date.fromisoformat(day) if day else timezone.localdate()
            per_work[int(work_id)] += count
            days[(int(work_id), None, day)]["hits"] += count
            written += count
            moved += count
        for key, count in CHAPTER_READS.take():
            work_id, chapter_id, day = key.split(":")
            days[(int(work_id), int(chapter_id), datetime.date.fromisoformat(day))]["hits"] += count
        for work_id, count in per_work.items():
            WorkStats.objects.filter(work_id=work_id).update(hits=F("hits") + count)
        if days:
            daily.add_many(days)
        for key, count in READINGS.take():
            user_id, work_id = (int(part) for part in key.split(":"))
            reading_record(user_id=user_id, work_id=work_id, visits=count)
            moved += count
        if moved:
            try:
                cache.decr(TOTAL_KEY, moved)
            except ValueError:
                pass
    finally:
        cache.delete(LOCK_KEY)
    return written


@job(max_attempts=1)  # the next minute's flush takes what this one left
def flush_task() -> int:
    return flush()


def _shared_cache() -> bool:
    return "locmem" not in settings.CACHES["default"]["BACKEND"].lower()


def _flush_after_response():
    try:
        if _shared_cache():
            if cache.add(QUEUED_KEY, 1, 10):  # one queued flush, not one a request
                enqueue(flush_task)
        else:
            flush()
    except Exception:  # never break a page that was already sent
        logger.exception("hit flush failed")


class HitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        work_id = response.get(HEADER) if request.method == "GET" else None
        if not work_id or response.status_code != 200:
            return response
        visitor = visitor_of(request)
        user = getattr(request, "user", None)
        keeps_history = (
            user is not None and user.is_authenticated and getattr(user, "history_enabled", False)
        )
        reader_id = user.pk if keeps_history else None
        chapter_id = response.get(CHAPTER_HEADER)
        if visitor is None and reader_id is None:
            due = flush_due()
        else:
            _, due = record_read(
                int(work_id),
                visitor,
                reader_id=reader_id,
                chapter_id=int(chapter_id) if chapter_id else None,
            )
        if due:
            response._resource_closers.append(_flush_after_response)
        return response
