#!/usr/bin/env python3
"""Load test: hold the archive at full load with a mix of readers and writers (`make loadtest`).

    .venv/bin/python tests/bench/load.py [--seconds 300] [--clients 8] [--workers 2]

Against gunicorn (run.py's server: tests/bench/settings.py, DJANGO_DEBUG=0) on PostgreSQL and
Redis, on a loopback port only, for a bounded time (LOAD_SECONDS, default 300). The archive is
made by tests/bench/run.py's `ensure_archive` (helper B's generator) in LOAD_DATABASE_URL
(default postgres://postgres@127.0.0.1:5432/archive_bench_load, LOAD_WORKS works).

Each client is a guest on a keep-alive connection that loops until the time is up, choosing:
reading a work page, a listing page, a search, leaving kudos, or posting a guest comment
(with the CSRF token of the page it read and the spam fields a browser sends). Rate limits
stay ON (the shared Redis cache), with ARCHIVE_TRUSTED_PROXIES=1 and an X-Forwarded-For per
simulated reader, as behind a load balancer; every write comes from its own address, so no
write is refused as a duplicate.

Pass/fail: no 5xx, no connection errors, no unexpected status, and no lost writes: the rows
and counters in the database grew by exactly the kudos and comments the server accepted.
Throughput and p50/p95/p99 latency per kind of request go to tests/bench/LOAD.md.
"""

from __future__ import annotations

import argparse
import base64
import http.client
import itertools
import os
import platform
import random
import re
import secrets
import subprocess
import sys
import threading
import time
import zlib
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))
import run as bench  # noqa: E402  (helper B's bench: database, generator, gunicorn)

ROOT = bench.ROOT
REPORT = Path(__file__).resolve().parent / "LOAD.md"
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/archive_bench_load"
SECRET_KEY = secrets.token_urlsafe(50)
# Every run differs (seeds, guest names, addresses), so no write repeats an earlier run's and
# none is refused as a duplicate of a row already in the database.
RUN = secrets.token_hex(4)
ADDRESS_BASE = secrets.randbelow(1 << 24)
MIX = [("read", 45), ("listing", 20), ("search", 15), ("kudos", 10), ("comment", 10)]
SEARCH_WORDS = ["lantern", "harbour", "night", "river", "letters", "winter", "garden", "storm"]
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def log(message: str) -> None:
    print(message, flush=True)


def percentile(values: list[float], fraction: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def messages_said(set_cookie: str) -> str:
    """The text of Django's messages cookie (signed base64 JSON, maybe zlib-compressed)."""
    if not set_cookie.startswith("messages="):
        return ""
    payload = set_cookie.split("=", 1)[1].split(";", 1)[0].strip('"').split(":", 1)[0]
    compressed = payload.startswith(".")
    raw = base64.urlsafe_b64decode(payload.lstrip(".") + "=" * (-len(payload.lstrip(".")) % 4))
    return (zlib.decompress(raw) if compressed else raw).decode(errors="replace")


class LoadServer(bench.Server):
    """helper B's gunicorn runner, with rate limits on, Redis, and a known secret key."""

    def env(self) -> dict:
        env = super().env()
        env.update(
            DJANGO_SECRET_KEY=SECRET_KEY,
            ARCHIVE_RATE_LIMITS_ENABLED="1",
            ARCHIVE_TRUSTED_PROXIES="1",
            REDIS_URL=os.environ.get("LOAD_REDIS_URL", "redis://127.0.0.1:6379/7"),
        )
        return env


def spam_token() -> str:
    """What the comment form's signed timestamp holds, shown a minute ago."""
    from django.conf import settings

    if not settings.configured:
        settings.configure(SECRET_KEY=SECRET_KEY)
    sys.path.insert(0, str(ROOT))
    from django.core import signing

    from archive.spam import SIGNER_SALT

    return signing.dumps(f"{time.time() - 60:.3f}", salt=SIGNER_SALT)


def targets(url: str, limit: int = 400) -> list[tuple[int, int]]:
    """(work id, first chapter id) of public works guests may comment on, outside collections."""
    with bench._connect(url) as conn:
        rows = conn.execute(
            "SELECT w.id, (SELECT c.id FROM works_chapter c WHERE c.work_id = w.id AND c.posted"
            "   ORDER BY c.position LIMIT 1)"
            " FROM works_work w WHERE w.posted AND NOT w.restricted AND NOT w.hidden_by_moderator"
            " AND w.comment_permission = 'everyone' AND NOT w.moderate_comments"
            " AND NOT EXISTS (SELECT 1 FROM works_collectionitem i WHERE i.work_id = w.id)"
            " ORDER BY w.id LIMIT %s",
            [limit],
        ).fetchall()
    return [(work, chapter) for work, chapter in rows if chapter]


def counts(url: str) -> dict:
    with bench._connect(url) as conn:

        def one(sql):
            return conn.execute(sql).fetchone()[0] or 0

        return {
            "kudos rows": one("SELECT count(*) FROM works_kudos"),
            "kudos counters": one("SELECT sum(kudos) FROM works_workstats"),
            "comment rows": one("SELECT count(*) FROM works_comment"),
            "comment counters": one("SELECT sum(comments) FROM works_workstats"),
        }


class Client(threading.Thread):
    addresses = itertools.count(1)
    lock = threading.Lock()

    def __init__(self, port, works, deadline, results, seed):
        super().__init__(daemon=True)
        self.port, self.works, self.deadline, self.results = port, works, deadline, results
        self.random = random.Random(f"{RUN}-{seed}")
        self.conn = None
        self.cookie = ""
        self.csrf = ""
        self.last_cookies = []
        self.token = spam_token()

    def address(self) -> str:
        with self.lock:
            n = next(self.addresses)
        n = (ADDRESS_BASE + n) % (1 << 24)
        return f"10.{(n >> 16) & 255}.{(n >> 8) & 255}.{n & 255}"

    def request(self, kind, method, path, body=None, *, address=None):
        headers = {"X-Forwarded-For": address or self.address(), "Host": "127.0.0.1"}
        if self.cookie:
            headers["Cookie"] = self.cookie
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            body = urlencode(body)
        started = time.perf_counter()
        try:
            if self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
            data = response.read()
        except (OSError, http.client.HTTPException) as error:
            self.conn = None
            self.results.error(kind, f"{type(error).__name__}: {error}")
            return None, b""
        self.results.record(kind, response.status, time.perf_counter() - started)
        self.last_cookies = [v for h, v in response.getheaders() if h.lower() == "set-cookie"]
        # Which app server answered, when nginx says (LOAD_MODE=cluster; tests/bench/stack.py).
        self.served_by = response.getheader("X-Archive-Upstream", "")
        if response.status not in self.results.EXPECTED[kind]:
            errors = [
                re.sub(r"<[^>]+>", " ", error).strip()
                for error in re.findall(
                    r'class="[^"]*error[^"]*"[^>]*>(.*?)</(?:div|span|p)>',
                    data.decode(errors="replace"),
                    re.S,
                )
            ]
            self.results.note(kind, f"HTTP {response.status}: {errors[:2] or data[:200]!r}")
        for header, value in response.getheaders():
            if header.lower() == "set-cookie" and value.startswith("csrftoken="):
                self.cookie = value.split(";", 1)[0]
        return response.status, data

    def read(self, kind="read"):
        work, _chapter = self.random.choice(self.works)
        status, data = self.request(kind, "GET", f"/works/{work}?view_adult=true")
        match = CSRF_INPUT.search(data.decode(errors="replace")) if data else None
        if match:
            self.csrf = match.group(1)
        return status

    def run(self):
        kinds = [kind for kind, weight in MIX for _ in range(weight)]
        self.read()
        n = 0
        while time.monotonic() < self.deadline:
            n += 1
            kind = self.random.choice(kinds)
            if kind == "read":
                self.read()
            elif kind == "listing":
                self.request(kind, "GET", f"/works?page={self.random.randint(1, 20)}")
            elif kind == "search":
                word = self.random.choice(SEARCH_WORDS)
                self.request(kind, "GET", f"/works/search?work_search%5Bquery%5D={word}")
            elif not self.csrf:
                self.read()
            elif kind == "kudos":
                work, _chapter = self.random.choice(self.works)
                status, _ = self.request(
                    kind, "POST", f"/works/{work}/kudos", {"csrfmiddlewaretoken": self.csrf}
                )
                if status == 302:
                    said = " ".join(messages_said(c) for c in self.last_cookies)
                    if "Thank you" in said:
                        self.results.accepted("kudos")
                    else:
                        self.results.note(kind, f"302 without new kudos: {said!r}")
            elif kind == "comment":
                work, chapter = self.random.choice(self.works)
                body = {
                    "csrfmiddlewaretoken": self.csrf,
                    "name": f"Load Reader {RUN} {self.name}",
                    "email": "load@example.org",
                    "content": f"Load comment {RUN}-{self.name}-{n}: the pacing works.",
                    "website": "",
                    "form_started": self.token,
                }
                status, _ = self.request(
                    kind, "POST", f"/works/{work}/chapters/{chapter}/comments", body
                )
                if status == 302:
                    self.results.accepted("comment")


class Results:
    EXPECTED = {
        "read": {200},
        "listing": {200},
        "search": {200},
        "kudos": {302},
        "comment": {302},
    }

    def __init__(self):
        self.lock = threading.Lock()
        self.latency = defaultdict(list)
        self.statuses = defaultdict(lambda: defaultdict(int))
        self.errors = defaultdict(list)
        self.writes = defaultdict(int)
        self.notes = defaultdict(list)

    def record(self, kind, status, seconds):
        with self.lock:
            self.latency[kind].append(seconds)
            self.statuses[kind][status] += 1

    def error(self, kind, message):
        with self.lock:
            self.errors[kind].append(message)

    def note(self, kind, message):
        with self.lock:
            if len(self.notes[kind]) < 5:
                self.notes[kind].append(message)

    def accepted(self, kind):
        with self.lock:
            self.writes[kind] += 1


def run_load(port, works, *, seconds, clients) -> tuple[Results, float]:
    results = Results()
    deadline = time.monotonic() + seconds
    started = time.monotonic()
    threads = [Client(port, works, deadline, results, seed=n) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + 120)
    return results, time.monotonic() - started


def write_section(heading: str, text: str) -> None:
    """Put `text` in LOAD.md in place of the section under `heading` (or at the end): the
    single-server run, the pool run and the cluster run each keep their own latest report."""
    old = REPORT.read_text() if REPORT.exists() else ""
    start = old.find(heading + "\n")
    if start < 0:
        REPORT.write_text(old.rstrip("\n") + "\n\n" + text.rstrip("\n") + "\n")
        return
    end = old.find("\n## ", start + len(heading))
    rest = old[end + 1 :] if end >= 0 else ""
    REPORT.write_text(old[:start] + text.rstrip("\n") + "\n\n" + rest)


def write_single(text: str) -> None:
    """The single-server report is the top of LOAD.md; the sections below it stay."""
    old = REPORT.read_text() if REPORT.exists() else ""
    below = old.find("\n## ")
    REPORT.write_text(text.rstrip("\n") + "\n" + (old[below:] if below >= 0 else ""))


def commit() -> str:
    out = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True)
    return out.stdout.decode().strip() or "unknown"


def report(args, facts, results, elapsed, before, after, problems) -> str:
    total = sum(len(v) for v in results.latency.values())
    lines = [
        "# Load test",
        "",
        "Made by `make loadtest` (tests/bench/load.py): guests reading, listing, searching, "
        "leaving kudos and posting comments against gunicorn + PostgreSQL + Redis on loopback, "
        "rate limits on, for a bounded time. Latest run:",
        "",
        f"- date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, commit {commit()}",
        f"- machine: {platform.node()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, "
        f"PostgreSQL {facts.get('postgres')}",
        f"- archive: {facts.get('works'):,} works, {facts.get('chapters'):,} chapters "
        f"({facts.get('db_size')})",
        f"- load: {args.clients} clients on keep-alive connections, gunicorn {args.workers} "
        f"sync workers, {elapsed:.0f} s (asked: {args.seconds} s)",
        f"- result: **{'PASS' if not problems else 'FAIL'}**; {total:,} requests, "
        f"{total / elapsed:.1f} requests/s overall",
        "",
        *request_table(results, [kind for kind, _weight in MIX], elapsed),
        "",
        "Writes accepted by the server and what the database holds afterwards:",
        "",
        *write_table(results, before, after),
        "",
        *problems_and_samples(results, problems),
    ]
    return "\n".join(lines)


def request_table(results: Results, kinds: list[str], elapsed: float) -> list[str]:
    """The report's table of requests: count, rate, latency and statuses of each kind."""
    lines = [
        "| request | count | req/s | p50 ms | p95 ms | p99 ms | statuses |",
        "| --- | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for kind in kinds:
        values = results.latency.get(kind, [])
        statuses = ", ".join(f"{s}: {n}" for s, n in sorted(results.statuses[kind].items()))
        lines.append(
            f"| {kind} | {len(values):,} | {len(values) / elapsed:.1f} | "
            f"{percentile(values, 0.50) * 1000:.0f} | {percentile(values, 0.95) * 1000:.0f} | "
            f"{percentile(values, 0.99) * 1000:.0f} | {statuses} |"
        )
    return lines


def write_table(results: Results, before: dict, after: dict) -> list[str]:
    """Writes the servers accepted beside the rows and counters the database gained."""
    lines = [
        "| write | accepted (302) | rows added | counters added |",
        "| --- | ---: | ---: | ---: |",
    ]
    for label, kind in (("kudos", "kudos"), ("comments", "comment")):
        lines.append(
            f"| {label} | {results.writes[kind]:,} | "
            f"{after[f'{kind} rows'] - before[f'{kind} rows']:,} | "
            f"{after[f'{kind} counters'] - before[f'{kind} counters']:,} |"
        )
    return lines


def problems_and_samples(results: Results, problems: list[str]) -> list[str]:
    lines = []
    if problems:
        lines += ["Problems:", ""] + [f"- {p}" for p in problems] + [""]
    for kind, notes in results.notes.items():
        shown = [re.sub(r"\s+", " ", n)[:300] for n in notes]
        lines += [f"Sample answers ({kind}):", ""] + [f"- `{n}`" for n in shown] + [""]
    return lines


def find_problems(results: Results, before: dict, after: dict) -> list[str]:
    """Any 5xx, unexpected status or connection error, and any write accepted but not in the
    database (or in it but not accepted)."""
    problems = []
    for kind, statuses in results.statuses.items():
        for status, n in statuses.items():
            if status >= 500:
                problems.append(f"{n} × HTTP {status} on {kind}")
            elif status not in results.EXPECTED[kind]:
                problems.append(f"{n} × unexpected HTTP {status} on {kind}")
    for kind, messages in results.errors.items():
        problems.append(f"{len(messages)} connection errors on {kind}: {messages[0]}")
    for label, kind in (("kudos", "kudos"), ("comment", "comment")):
        sent = results.writes[kind]
        for measure in (f"{label} rows", f"{label} counters"):
            added = after[measure] - before[measure]
            if added != sent:
                problems.append(f"lost or extra writes: {measure} grew by {added}, {sent} accepted")
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=int, default=int(os.environ.get("LOAD_SECONDS", 300)))
    parser.add_argument("--clients", type=int, default=int(os.environ.get("LOAD_CLIENTS", 8)))
    parser.add_argument("--workers", type=int, default=int(os.environ.get("LOAD_WORKERS", 2)))
    parser.add_argument("--works", type=int, default=int(os.environ.get("LOAD_WORKS", 10000)))
    parser.add_argument(
        "--database-url", default=os.environ.get("LOAD_DATABASE_URL", DEFAULT_DATABASE_URL)
    )
    parser.add_argument(
        "--mode",
        choices=["single", "pool", "cluster"],
        default=os.environ.get("LOAD_MODE") or "single",
        help="single: one gunicorn (this file); pool: tests/bench/pool.py; cluster: two "
        "gunicorns behind nginx, PgBouncer, Redis and a replica (tests/bench/cluster_load.py)",
    )
    args = parser.parse_args()
    if args.seconds > 3600:
        sys.exit("--seconds is bounded to one hour")
    if args.mode == "pool":
        import pool

        sys.argv[1:] = []
        return pool.main()
    if args.mode == "cluster":
        # Imports this file again as the module `load`, whose classes it builds on.
        import cluster_load

        return cluster_load.main(args)

    bench.ensure_archive(args.database_url, args.works)
    facts = bench.archive_facts(args.database_url)
    works = targets(args.database_url)
    if not works:
        sys.exit("no public work to load")
    before = counts(args.database_url)
    log(f"Load: {args.clients} clients, {args.workers} workers, {args.seconds} s ...")
    with LoadServer(args.database_url, args.workers) as server:
        results, elapsed = run_load(server.port, works, seconds=args.seconds, clients=args.clients)
    after = counts(args.database_url)

    problems = find_problems(results, before, after)
    text = report(args, facts, results, elapsed, before, after, problems)
    write_single(text)
    log(text)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
