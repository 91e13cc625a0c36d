"""What one request costs PostgreSQL and what the cache holds (docs/scaling.md, "Inputs").

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/archive_bench_1m \\
    REDIS_URL=redis://127.0.0.1:6379/13 .venv/bin/python -m tests.bench.footprint [--works 20]

Read-only on the database: every connection is opened with default_transaction_read_only, so
a page that tried to write would fail here rather than change a bench archive; hit and
reading buffers stay in the cache (their flush is held back). Redis: the database named in
REDIS_URL (not 0) is emptied before and after.

In one process, through django.test.Client with production settings (DEBUG off, Redis as
the cache, ARCHIVE_PAGE_CACHE_SECONDS 600), for --works random published works and the
listings of `make bench` (tests/bench/run.py's pages):

- per kind of request: queries, their time, the whole request's time, and the buffers it
  read, split into found in shared_buffers and read from the operating system
  (pg_stat_database: run it when nobody else uses the database; it says who did);
- per kind of cache entry: how many, and the Redis MEMORY USAGE of each (mean and largest).

It measures one process on a shared machine: compare its milliseconds with each other, and
take throughput from `make bench`.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import statistics
import sys
import time
from collections import defaultdict

SECRET = "footprint-only-" + "x" * 40
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.bench.settings")
os.environ.update(
    DJANGO_DEBUG="0",
    DJANGO_SECRET_KEY=os.environ.get("DJANGO_SECRET_KEY", SECRET),
    DJANGO_ALLOWED_HOSTS="*",
    DJANGO_SECURE_SSL_REDIRECT="0",
    DJANGO_LOG_LEVEL="ERROR",
    ARCHIVE_PAGE_CACHE_SECONDS=os.environ.get("ARCHIVE_PAGE_CACHE_SECONDS", "600"),
    # libpq reads PGOPTIONS: every transaction of every connection is read-only.
    PGOPTIONS="-c default_transaction_read_only=on",
)

# Cache entries by the key's shape (Django prefixes ":1:").
KINDS = [
    ("guest work page", r"workpage:\d+:\w+$"),
    ("member page shell", r"memberpage:\d+:\w+$"),
    ("page version (site, work)", r"workpage:(site|work:\d+)$"),
    ("blurb", r"blurb:\d+:"),
    ("listing count", r"works:count:"),
    ("listing facets", r"works:facets:"),
    ("search ranking ids", r"works:ids:"),
    ("hit seen (visitor, work, day)", r"hit:\d+:"),
    ("hit / reading buffer", r"(hits|readings):"),
    ("session", r"sessions"),
]


def kind_of(key: str) -> str:
    for name, pattern in KINDS:
        if re.search(pattern, key):
            return name
    return "other"


def setup_django():
    import django

    django.setup()
    from django.conf import settings

    settings.HITS_FLUSH_THRESHOLD = 10**9  # keep hits in the cache: a flush writes
    settings.HITS_FLUSH_INTERVAL = 10**9


def redis_client():
    import redis

    url = os.environ.get("REDIS_URL", "")
    client = redis.Redis.from_url(url) if url else None
    if client is None or client.connection_pool.connection_kwargs.get("db", 0) == 0:
        sys.exit("Set REDIS_URL to a Redis database of your own other than 0 (it is emptied).")
    return client


class Meter:
    """Queries, their time and the database's buffer counters around some requests."""

    def __init__(self):
        from django.db import connection

        self.connection = connection
        self.rows = defaultdict(list)

    def _buffers(self):
        with self.connection.cursor() as cursor:
            cursor.execute("SELECT pg_stat_force_next_flush()")
        time.sleep(1.2)  # the backend reports its counters when idle
        with self.connection.cursor() as cursor:
            cursor.execute("SELECT pg_stat_clear_snapshot()")
            cursor.execute(
                "SELECT blks_hit, blks_read FROM pg_stat_database"
                " WHERE datname = current_database()"
            )
            return cursor.fetchone()

    def others(self) -> int:
        with self.connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
            return cursor.fetchone()[0]

    def run(self, kind: str, client, paths, headers=None):
        from django.test.utils import CaptureQueriesContext

        before = self._buffers()
        for path in paths:
            with CaptureQueriesContext(self.connection) as captured:
                started = time.perf_counter()
                response = client.get(path, headers=headers or {})
                elapsed = time.perf_counter() - started
            if response.status_code != 200:
                raise RuntimeError(f"{path}: {response.status_code}")
            sql = sum(float(query["time"]) for query in captured.captured_queries)
            self.rows[kind].append((len(captured), sql, elapsed, len(response.content)))
        after = self._buffers()
        # The two counter reads themselves touch a few catalogue buffers; small beside pages.
        self.rows[kind + " buffers"] = [after[0] - before[0], after[1] - before[1]]

    def report(self):
        print(
            "| request | n | queries | SQL ms mean | SQL ms median | whole ms median | KiB"
            " | buffers hit / request | read past shared_buffers / request |"
        )
        print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
        for kind, rows in self.rows.items():
            if kind.endswith(" buffers"):
                continue
            hit, read = self.rows[kind + " buffers"]
            n = len(rows)
            print(
                f"| {kind} | {n} | {statistics.mean(r[0] for r in rows):.1f}"
                f" | {statistics.mean(r[1] for r in rows) * 1000:.1f}"
                f" | {statistics.median(r[1] for r in rows) * 1000:.1f}"
                f" | {statistics.median(r[2] for r in rows) * 1000:.1f}"
                f" | {statistics.mean(r[3] for r in rows) / 1024:.0f}"
                f" | {hit / n:,.0f} | {read / n:,.0f} |"
            )


def sample_works(count: int, seed: int) -> list[int]:
    """Published works anyone may read, at random (one or more chapters)."""
    from works.models import Work

    top = Work.objects.order_by("-pk").values_list("pk", flat=True).first()
    rng = random.Random(seed)
    picked: list[int] = []
    while len(picked) < count:
        ids = rng.sample(range(1, top + 1), count * 3)
        found = Work.objects.filter(
            pk__in=ids, posted=True, restricted=False, hidden_by_moderator=False
        ).values_list("pk", flat=True)
        picked.extend(pk for pk in found if pk not in picked)
    return picked[:count]


def member_client(user):
    """A test client logged in as `user` through a session held in the cache only (the
    cached_db backend reads the cache first), so no session row is written."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.cached_db import KEY_PREFIX
    from django.core.cache import caches
    from django.test import Client
    from django.utils.crypto import get_random_string

    key = get_random_string(32, "abcdefghijklmnopqrstuvwxyz0123456789")
    caches[settings.SESSION_CACHE_ALIAS].set(
        KEY_PREFIX + key,
        {
            SESSION_KEY: str(user.pk),
            BACKEND_SESSION_KEY: settings.AUTHENTICATION_BACKENDS[0],
            HASH_SESSION_KEY: user.get_session_auth_hash(),
        },
        600,
    )
    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = key
    return client


def readers(work_ids, count: int):
    """Members who wrote none of these works and have no mutes or excluded tags."""
    from django.contrib.auth import get_user_model

    from archive.models import Mute
    from works.models import ExcludedTag, WorkCreator

    skip = set(WorkCreator.objects.filter(work_id__in=work_ids).values_list("user_id", flat=True))
    skip |= set(Mute.objects.values_list("muter_id", flat=True))
    skip |= set(ExcludedTag.objects.values_list("user_id", flat=True))
    users = get_user_model().objects.filter(is_active=True).exclude(pk__in=skip)
    return list(users.order_by("pk")[100 : 100 + count])


def cache_report(client) -> None:
    sizes = defaultdict(list)
    for key in client.scan_iter(count=1000):
        sizes[kind_of(key.decode())].append(client.memory_usage(key, samples=0) or 0)
    print("\n| cache entry | count | mean bytes | largest bytes |")
    print("| --- | ---: | ---: | ---: |")
    for kind, values in sorted(sizes.items()):
        print(f"| {kind} | {len(values)} | {statistics.mean(values):,.0f} | {max(values):,} |")
    print(f"\nRedis used_memory after the run: {client.info('memory')['used_memory']:,} bytes")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--works", type=int, default=20, help="random work pages per kind")
    parser.add_argument("--seed", type=int, default=15)
    args = parser.parse_args(argv)

    redis = redis_client()
    redis.flushdb()
    setup_django()
    from django.db import connection
    from django.test import Client

    from tests.bench.generate.vocabulary import ADJECTIVES, NOUNS
    from tests.bench.run import page_facts, pages_for

    pages = {page.key: page for page in pages_for(page_facts(os.environ["DATABASE_URL"]))}
    meter = Meter()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT current_setting('shared_buffers'), pg_database_size(current_database())"
        )
        shared_buffers, size = cursor.fetchone()
    print(
        f"Database {connection.settings_dict['NAME']}: {size:,} bytes,"
        f" shared_buffers {shared_buffers}; other sessions on it: {meter.others()}"
    )

    works = sample_works(args.works, args.seed)
    paths = [f"/works/{pk}?view_adult=true" for pk in works]
    first, second = readers(works, 2)
    meter.run("guest work page, first view (rendered, stored)", Client(), paths)
    meter.run("guest work page, from the cache", Client(), paths)
    meter.run(
        "member work page, first member (rendered, shell stored)", member_client(first), paths
    )
    meter.run("member work page, another member (from the shell)", member_client(second), paths)
    meter.run("/works, first view", Client(), [pages["works"].path])
    meter.run("/works, again (blurbs, count, facets cached)", Client(), [pages["works"].path] * 5)
    fandom = pages["fandom"].path
    meter.run("fandom listing, first view", Client(), [fandom])
    meter.run("fandom listing, again", Client(), [fandom] * 5)
    fresh = [f"{fandom}&work_search%5Bdate_to%5D=2040-01-{day:02d}" for day in range(1, 6)]
    meter.run("fandom listing, a new filter each time", Client(), fresh)
    meter.run("search 'lantern', first view", Client(), [pages["search"].path])
    meter.run("search 'lantern', again", Client(), [pages["search"].path] * 5)
    # Two words from the generator's vocabulary, a new pair each time: nothing cached.
    pairs = [f"{ADJECTIVES[n]}+{NOUNS[n + 5]}" for n in range(5)]
    meter.run(
        "search, two words, a new query each time",
        Client(),
        [f"/works/search?work_search%5Bquery%5D={pair}" for pair in pairs],
    )
    print(f"Other sessions on the database at the end: {meter.others()}\n")
    meter.report()
    cache_report(redis)
    redis.flushdb()
    return 0


if __name__ == "__main__":
    sys.exit(main())
