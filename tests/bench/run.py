#!/usr/bin/env python3
"""Benchmark of the archive's busiest pages on PostgreSQL (run by `make bench`).

    .venv/bin/python tests/bench/run.py --works 100000 [--duration 20] [--workers 1,2]

It makes sure the bench database (BENCH_DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/archive_bench) holds an archive of exactly --works works
made by `python -m tests.bench.generate` (creating, migrating and generating it when it does
not), serves the archive with gunicorn (DJANGO_DEBUG=0, and DJANGO_SETTINGS_MODULE set to
tests.bench.settings: the archive's settings with the floor's URLs and no rate limits) on a
free loopback port, with Redis as the cache as in production (BENCH_REDIS_URL, default
redis://127.0.0.1:6379/15, emptied before each server starts; without a reachable Redis it
runs on local memory and says so), and measures each page with wrk over loopback only, for a
bounded time: throughput and p50/p95/p99 latency, with one and with two gunicorn workers.
Every page's throughput is also given as a fraction of the floor: a bare Django view
rendering a 6,000-word template without the database (tests/bench/floor.py, served at
/bench/floor by tests/bench/urls.py only).

With --replica, a streaming replica of the bench database's server (deploy/replica.sh) serves
the reads, and each row also says what ran on the replica and on the primary
(tests/bench/replica_reads.py).

A page the archive does not serve yet (404) is reported as not available, never a failure.
The results are printed and written to tests/bench/RESULTS.md (tests/bench/results.py: one
section per archive size and set-up, the latest run of each), with the machine, the commit and
the date. Benchmarks report; they never fail a build.
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[2]
BENCH_DIR = ROOT / "tests" / "bench"
OUT_DIR = BENCH_DIR / "out"  # gunicorn logs (git-ignored)
LUA = BENCH_DIR / "report.lua"
VENV_BIN = ROOT / ".venv" / "bin"
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/archive_bench"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/15"
SEED = 1

sys.path.insert(0, str(ROOT))
from tags.naming import escape_tag_name  # noqa: E402 (plain function, no Django needed)
from tests.bench import replica_reads  # noqa: E402
from tests.bench import results as report  # noqa: E402

# TODO(issue 4): the filter parameters of listings are still being designed. This is AO3's
# spelling; change it here once the filter form lands. {placeholders} are tag ids.
FILTER_QUERY = (
    "work_search[sort_column]=kudos_count"
    "&include_work_search[character_ids][]={character}"
    "&include_work_search[relationship_ids][]={relationship}"
    "&include_work_search[freeform_ids][]={freeform}"
    "&exclude_work_search[archive_warning_ids][]={warning}"
    "&exclude_work_search[freeform_ids][]={excluded_freeform}"
    "&work_search[words_from]=1000&work_search[words_to]=50000"
)
# TODO(issue 4): the search page's parameter; a word every generated archive uses often.
SEARCH_QUERY = "work_search[query]=lantern"
# The same filter through the API (works.api.works): the fandom's works (`tag_id`, as its
# tag page lists them), by kudos, the same tags in and out, the same word range.
API_FILTER_QUERY = (
    "tag_id={fandom}&sort=kudos"
    "&include_character_ids={character}"
    "&include_relationship_ids={relationship}"
    "&include_freeform_ids={freeform}"
    "&exclude_warning_ids={warning}"
    "&exclude_freeform_ids={excluded_freeform}"
    "&words_min=1000&words_max=50000"
)


@dataclass
class Page:
    key: str
    label: str
    path: str
    # Measured with a reader's session cookie: "reader" (a member who did not write the work),
    # "filtering" (another, who excluded three popular tags and muted five creators of the
    # listing's top works: their listings leave those out, so nothing cached for guests applies).
    logged_in: str = ""
    # Every request a filter no earlier one used (report.lua): True adds the pages' date
    # parameter, a string names another (the API's "date_to").
    fresh: bool | str = False


@dataclass
class Result:
    page: Page
    workers: int
    status: str = "ok"
    requests_per_s: float = 0.0
    p50_ms: float = 0.0
    p95_ms: float = 0.0
    p99_ms: float = 0.0
    errors: int = 0
    size: int = 0
    requests: int = 0
    reads: object = None  # with --replica: replica_reads.ReadShare of the measured seconds
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self):
        return self.status == "ok"


def log(message: str) -> None:
    print(message, flush=True)


# ---------------------------------------------------------------------------- database
def _connect(url: str, dbname: str | None = None):
    import psycopg

    parts = urlsplit(url)
    if dbname is not None:
        parts = parts._replace(path="/" + dbname)
    return psycopg.connect(urlunsplit(parts), autocommit=True)


def _dbname(url: str) -> str:
    return urlsplit(url).path.lstrip("/")


def python(url: str, *args: str) -> None:
    """The venv's Python in the project root with DATABASE_URL=url."""
    env = dict(os.environ, DATABASE_URL=url)
    subprocess.run([str(VENV_BIN / "python"), *args], cwd=ROOT, env=env, check=True)


def manage(url: str, *args: str) -> None:
    python(url, "manage.py", *args)


def ensure_archive(url: str, works: int) -> None:
    """The bench database holds exactly `works` generated works afterwards."""
    name = _dbname(url)
    with _connect(url, "postgres") as admin:
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            log(f"Creating database {name}")
            admin.execute(f'CREATE DATABASE "{name}"')
    manage(url, "migrate", "--noinput", "-v0")
    with _connect(url) as conn:
        have = conn.execute("SELECT count(*) FROM works_work").fetchone()[0]
    if have == works:
        log(f"Database {name} already holds {works:,} works.")
        return
    if have:
        if not name.startswith("archive_bench"):
            sys.exit(
                f"{name} holds {have:,} works, not {works:,}. The bench only recreates databases "
                "named archive_bench*: point BENCH_DATABASE_URL at one."
            )
        log(f"{name} holds {have:,} works, not {works:,}: recreating it.")
        with _connect(url, "postgres") as admin:
            admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            admin.execute(f'CREATE DATABASE "{name}"')
        manage(url, "migrate", "--noinput", "-v0")
    log(f"Generating {works:,} works into {name} (python -m tests.bench.generate)...")
    python(url, "-m", "tests.bench.generate", "--works", str(works), "--seed", str(SEED))


def archive_facts(url: str) -> dict:
    with _connect(url) as conn:

        def one(sql, params=()):
            row = conn.execute(sql, params).fetchone()
            return row[0] if row else None

        facts = {
            "works": one("SELECT count(*) FROM works_work"),
            "posted": one("SELECT count(*) FROM works_work WHERE posted"),
            "chapters": one("SELECT count(*) FROM works_chapter"),
            "tags": one("SELECT count(*) FROM tags_tag"),
            "taggings": one("SELECT count(*) FROM works_taggedwork"),
            "filter_rows": one("SELECT count(*) FROM works_filtertagging"),
            "users": one("SELECT count(*) FROM archive_user"),
            "postgres": one("SHOW server_version"),
            "shared_buffers": one("SHOW shared_buffers"),
            "db_size": one("SELECT pg_size_pretty(pg_database_size(current_database()))"),
        }
    return facts | page_facts(url)


def page_facts(url: str) -> dict:
    """What pages_for() needs: the measured work, the fandom and the filter's tags (a few
    index reads, no counting of whole tables; tests/bench/footprint.py uses it alone)."""
    with _connect(url) as conn:

        def one(sql, params=()):
            row = conn.execute(sql, params).fetchone()
            return row[0] if row else None

        facts = {}
        facts["work_id"] = one(
            "SELECT id FROM works_work WHERE posted AND NOT restricted AND NOT hidden_by_moderator"
            " AND chapter_count = 1 AND word_count = 6000 ORDER BY id LIMIT 1"
        )
        fandom = conn.execute(
            "SELECT id, name, work_count FROM tags_tag WHERE type = 'fandom' AND canonical"
            " ORDER BY work_count DESC, id LIMIT 1"
        ).fetchone()
        facts["fandom"] = {"id": fandom[0], "name": fandom[1], "works": fandom[2]}

        def top_child(tag_type, offset=0):
            return one(
                "SELECT t.id FROM tags_tag t JOIN tags_tag_parents p ON p.from_tag_id = t.id"
                " WHERE p.to_tag_id = %s AND t.type = %s AND t.canonical"
                " ORDER BY t.work_count DESC, t.id OFFSET %s LIMIT 1",
                [fandom[0], tag_type, offset],
            )

        def top_freeform(offset):
            return one(
                "SELECT id FROM tags_tag WHERE type = 'freeform' AND canonical"
                " ORDER BY work_count DESC, id OFFSET %s LIMIT 1",
                [offset],
            )

        facts["filter"] = {
            "character": top_child("character"),
            "relationship": top_child("relationship"),
            "freeform": top_freeform(0),
            "warning": one("SELECT id FROM tags_tag WHERE name = 'Major Character Death'"),
            "excluded_freeform": top_freeform(3),
        }
    return facts


def pages_for(facts: dict) -> list[Page]:
    fandom_url = f"/tags/{quote(escape_tag_name(facts['fandom']['name']))}/works"
    query = FILTER_QUERY.format(**facts["filter"])
    return [
        Page("floor", "floor: bare view, 6,000-word template", "/bench/floor"),
        Page("work", "work page, 6,000 words", f"/works/{facts['work_id']}?view_adult=true"),
        Page(
            "work_reader",
            "work page, 6,000 words, logged in",
            f"/works/{facts['work_id']}?view_adult=true",
            logged_in="reader",
        ),
        Page("works", "/works", "/works"),
        Page("api_works", "API: /api/v1/works, first page", "/api/v1/works"),
        Page(
            "download",
            "EPUB download of the same work, from storage",
            f"/downloads/{facts['work_id']}/Work.epub",
        ),
        Page(
            "fandom",
            "fandom by kudos, 3 in, 2 out, words 1k-50k",
            f"{fandom_url}?{quote(query, safe='=&')}",
        ),
        Page(
            "api_works_fandom",
            "API: the same fandom filter, /api/v1/works",
            "/api/v1/works?"
            + API_FILTER_QUERY.format(fandom=facts["fandom"]["id"], **facts["filter"]),
        ),
        Page(
            "api_works_fresh",
            "API: the same, every request a new filter (nothing cached)",
            "/api/v1/works?"
            + API_FILTER_QUERY.format(fandom=facts["fandom"]["id"], **facts["filter"]),
            fresh="date_to",
        ),
        Page(
            "fandom_fresh",
            "the same, every request a new filter (nothing cached)",
            f"{fandom_url}?{quote(query, safe='=&')}",
            fresh=True,
        ),
        Page(
            "fandom_filtering",
            "the same, logged in, 3 tags excluded, 5 creators muted",
            f"{fandom_url}?{quote(query, safe='=&')}",
            logged_in="filtering",
        ),
        Page("search", "free-text search", f"/works/search?{quote(SEARCH_QUERY, safe='=&')}"),
    ]


# ---------------------------------------------------------------------------- server
def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """gunicorn serving the archive with production settings on a loopback port."""

    def __init__(
        self, url: str, workers: int, redis_url="", *, threads=1, name="", args=(), extra=None
    ):
        self.url, self.workers, self.redis_url = url, workers, redis_url
        # threads > 1: gunicorn's gthread workers; name: of the log file, when several run;
        # args: more gunicorn options; extra: more environment (DATABASE_REPLICA_URLS)
        self.threads, self.name, self.args = threads, name or str(workers), list(args)
        self.extra_env = dict(extra or {})
        self.secret_key = secrets.token_urlsafe(50)
        self.cookies: dict[str, str] = {}  # readers' session cookies, made by login_cookie()
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"

    def env(self) -> dict:
        env = dict(
            os.environ,
            DATABASE_URL=self.url,
            DJANGO_DEBUG="0",
            DJANGO_SECRET_KEY=self.secret_key,
            DJANGO_ALLOWED_HOSTS="127.0.0.1",
            DJANGO_SECURE_SSL_REDIRECT="0",
            DJANGO_LOG_LEVEL="ERROR",
            DJANGO_SETTINGS_MODULE="tests.bench.settings",
            REDIS_URL=self.redis_url,
        )
        env.update(self.extra_env)
        return env

    def __enter__(self):
        if self.redis_url:  # no cached page or counter of an earlier run or archive
            import redis

            redis.Redis.from_url(self.redis_url).flushdb()
        OUT_DIR.mkdir(exist_ok=True)
        self.log_file = open(OUT_DIR / f"gunicorn-{self.name}.log", "w")  # noqa: SIM115
        self.process = subprocess.Popen(
            [
                str(VENV_BIN / "gunicorn"),
                "archive.wsgi:application",
                f"--workers={self.workers}",
                f"--threads={self.threads}",
                f"--bind=127.0.0.1:{self.port}",
                "--timeout=120",
                "--log-level=warning",
                *self.args,
            ],
            cwd=ROOT,
            env=self.env(),
            stdout=self.log_file,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited; see {self.log_file.name}")
            try:
                with urllib.request.urlopen(self.base + "/bench/floor", timeout=5) as response:
                    if response.status == 200:
                        return self
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.3)
        log_name = self.log_file.name
        self.__exit__(None, None, None)  # `with` never calls it when entering fails
        raise RuntimeError(f"gunicorn did not answer within 60 s; see {log_name}")

    def __exit__(self, *exc):
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log_file.close()


LOGIN_SCRIPT = """
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.contrib.sessions.backends.db import SessionStore
from archive.models import Mute
from tags.models import Tag
from works.models import ExcludedTag, WorkCreator
creators = WorkCreator.objects.filter(work_id={work_id}).values("user_id")
readers = get_user_model().objects.filter(is_active=True).exclude(pk__in=creators).order_by("pk")
user = readers[{place}]
if {filtering}:
    popular = Tag.objects.filter(type="freeform", canonical=True).order_by("-work_count", "id")
    for tag in popular[5:8]:
        ExcludedTag.objects.get_or_create(user=user, tag=tag)
    in_fandom = WorkCreator.objects.filter(work__tags__id={fandom_id}).exclude(user=user)
    top = in_fandom.order_by("-work__stats__kudos", "-work_id").values_list("user_id", flat=True)
    for muted_id in list(dict.fromkeys(top[:50]))[:5]:
        Mute.objects.get_or_create(muter=user, muted_id=muted_id)
session = SessionStore()
session[SESSION_KEY] = str(user.pk)
session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
session[HASH_SESSION_KEY] = user.get_session_auth_hash()
session.create()
print("SESSION", session.session_key)
"""


def login_cookie(server: Server, facts: dict, reader: str) -> str:
    """A session cookie of a reader who did not write the measured work (signed with the
    server's secret key, stored in the bench database); see Page.logged_in."""
    filtering = reader == "filtering"
    output = subprocess.run(
        [
            str(VENV_BIN / "python"),
            "manage.py",
            "shell",
            "-c",
            LOGIN_SCRIPT.format(
                work_id=facts["work_id"],
                place=int(filtering),
                filtering=filtering,
                fandom_id=facts["fandom"]["id"],
            ),
        ],
        cwd=ROOT,
        env=server.env(),
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return "sessionid=" + re.search(r"^SESSION (\w+)$", output, re.M).group(1)


def probe(base: str, path: str, cookie: str = "") -> tuple[int, int]:
    """(status, body size) of one GET, without following redirects; with a `cookie`, a
    page that does not show the reader logged in counts as HTTP 401."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    request = urllib.request.Request(base + path, headers={"Cookie": cookie} if cookie else {})
    try:
        with opener.open(request, timeout=60) as response:
            body = response.read()
            if cookie and b"Log Out" not in body:
                return 401, len(body)
            return response.status, len(body)
    except urllib.error.HTTPError as error:
        return error.code, 0


# Each wrk run with fresh filters takes the next block of dates (report.lua), so none repeats
# a filter an earlier one asked (a warm-up's, or another row's with the same parameter).
_fresh_runs = itertools.count()


def wrk(
    base: str, path: str, *, connections: int, duration: int, cookie: str = "", fresh=False
) -> dict:
    env = dict(os.environ)
    env.pop("BENCH_FRESH_PARAM", None)
    if fresh:
        env["BENCH_FRESH_PARAM"] = quote(
            fresh if isinstance(fresh, str) else "work_search[date_to]"
        )
        env["BENCH_FRESH_BLOCK"] = str(next(_fresh_runs))
    command = [
        "wrk",
        *(["--header", f"Cookie: {cookie}"] if cookie else []),
        f"--threads={connections}",
        f"--connections={connections}",
        f"--duration={duration}s",
        "--timeout=30s",
        f"--script={LUA}",
        base + path,
    ]
    output = subprocess.run(command, capture_output=True, text=True, timeout=duration + 60, env=env)
    match = re.search(r"^BENCH (\{.*\})$", output.stdout, re.MULTILINE)
    if not match:
        raise RuntimeError(f"wrk gave no result:\n{output.stdout}\n{output.stderr}")
    return json.loads(match.group(1))


def measure(server: Server, page: Page, *, duration: int, warmup: int, counts=None) -> Result:
    """`counts`: a replica_reads.ReadCounts, read around the measured seconds."""
    result = Result(page, server.workers)
    cookie = server.cookies.get(page.logged_in, "")
    status, size = probe(server.base, page.path, cookie)
    result.size = size
    if status == 404:
        result.status = "not available (404)"
        return result
    if status != 200:
        result.status = f"error (HTTP {status})"
        return result
    connections = server.workers
    run = dict(connections=connections, cookie=cookie, fresh=page.fresh)
    if warmup:
        wrk(server.base, page.path, duration=warmup, **run)
    if counts is not None:
        counts.start()
    data = wrk(server.base, page.path, duration=duration, **run)
    if counts is not None:
        result.reads = counts.stop()
    result.requests = data["requests"]
    seconds = data["duration_us"] / 1e6
    result.requests_per_s = data["requests"] / seconds if seconds else 0.0
    result.p50_ms = data["p50"] / 1000
    result.p95_ms = data["p95"] / 1000
    result.p99_ms = data["p99"] / 1000
    result.errors = data["errors"]
    if result.errors:
        result.notes.append(f"{result.errors} errors")
    return result


# ---------------------------------------------------------------------------- report
def reachable_redis(url: str) -> str:
    """`url` when a Redis answers there, else "" (the archive then caches in local memory)."""
    if not url:
        return ""
    try:
        import redis

        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except Exception as error:  # noqa: BLE001 - any failure means no Redis
        log(f"Redis at {url} is not reachable ({error}): caching in local memory instead.")
        return ""
    return url


def serve_and_measure(args, facts: dict, pages: list[Page], replica=None) -> list[Result]:
    """Each page on gunicorn with each worker count; with a `replica`, the servers read from
    it and each result says what ran on which server."""
    extra = replica.server_env() if replica else {}
    counts = replica_reads.ReadCounts(replica) if replica else None
    results: list[Result] = []
    for workers in [int(n) for n in args.workers.split(",") if n.strip()]:
        with Server(args.database_url, workers, args.redis_url, extra=extra) as server:
            log(f"gunicorn with {workers} worker(s) on {server.base}")
            for reader in {page.logged_in for page in pages if page.logged_in}:
                server.cookies[reader] = login_cookie(server, facts, reader)
            for page in pages:
                result = measure(
                    server, page, duration=args.duration, warmup=args.warmup, counts=counts
                )
                shown = (
                    f"{result.requests_per_s:8.1f} req/s  p50 {result.p50_ms:7.1f} ms  "
                    f"p95 {result.p95_ms:7.1f} ms  p99 {result.p99_ms:7.1f} ms"
                    if result.ok
                    else result.status
                )
                if result.reads is not None:
                    shown += "  replica " + " | ".join(
                        replica_reads.columns(result.reads, result.requests)
                    )
                log(f"  {page.label:45} {shown}")
                results.append(result)
    return results


# ---------------------------------------------------------------------------- main
def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--works", type=int, default=100000)
    parser.add_argument("--duration", type=int, default=20, help="seconds per page (max 120)")
    parser.add_argument("--warmup", type=int, default=3, help="seconds of warm-up per page")
    parser.add_argument("--workers", default="1,2", help="gunicorn worker counts, e.g. 1,2")
    parser.add_argument(
        "--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL)
    )
    parser.add_argument("--redis-url", default=os.environ.get("BENCH_REDIS_URL", DEFAULT_REDIS_URL))
    parser.add_argument("--only", default="", help="page keys, e.g. floor,work (default all)")
    parser.add_argument("--no-write", action="store_true", help="do not write RESULTS.md")
    parser.add_argument(
        "--replica",
        action="store_true",
        help="serve with a streaming replica (deploy/replica.sh) as DATABASE_REPLICA_URLS and "
        "report what each page read on the replica and on the primary",
    )
    args = parser.parse_args(argv)
    args.duration = max(1, min(args.duration, 120))
    host = urlsplit(args.database_url).hostname or ""
    if shutil.which("wrk") is None:
        sys.exit("wrk is missing: `apt-get install -y wrk` (make bench does it when root).")
    if not args.database_url.startswith(("postgres://", "postgresql://")):
        sys.exit("The benchmark runs on PostgreSQL: set BENCH_DATABASE_URL=postgres://...")
    log(f"Benchmark: {args.works:,} works, database {_dbname(args.database_url)} on {host}")

    started = datetime.now(UTC)
    ensure_archive(args.database_url, args.works)
    facts = archive_facts(args.database_url)
    pages = pages_for(facts)
    if args.only:
        wanted = set(args.only.split(",")) | {"floor"}
        pages = [page for page in pages if page.key in wanted]

    # Production settings serve static files from the collected manifest.
    args.redis_url = reachable_redis(args.redis_url)
    env = Server(args.database_url, 1).env()
    subprocess.run(
        [str(VENV_BIN / "python"), "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
    )

    with contextlib.ExitStack() as resources:
        replica = None
        if args.replica:
            log("Starting a streaming replica (deploy/replica.sh: pg_basebackup of the server)...")
            replica = resources.enter_context(
                replica_reads.StreamingReplica(args.database_url, replica_reads.port_from_env())
            )
            log(f"Replica on port {replica.port}, made in {replica.start_seconds:.0f} s")
        results = serve_and_measure(args, facts, pages, replica)
        text = report.section(args.works, facts, pages, results, args, started, replica)
    print()
    print(text)
    if not args.no_write:
        report.write_results(text)
        log(f"Written to {report.RESULTS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
