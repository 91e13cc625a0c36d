#!/usr/bin/env python3
"""PgBouncer holding many clients on few server connections (`make loadtest LOAD_MODE=pool`).

    .venv/bin/python tests/bench/pool.py [--clients 200] [--pool-size 20] [--seconds 60]

Starts a private PgBouncer (tests/bench/stack.py: deploy/pgbouncer.ini on a free loopback port,
transaction mode, default_pool_size and max_db_connections = --pool-size, max_client_conn 250)
in front of the load test's database (LOAD_DATABASE_URL, made by tests/bench/run.py's
`ensure_archive`), then --clients Django threads, spread over --processes processes, each with
its own database connection through PgBouncer (DATABASE_POOLER=transaction, CONN_MAX_AGE as in
production). Every thread first opens its connection and waits for all the others, so all of
them are connected at once; then each asks the archive for listing pages, searches and work
pages (Django's test client: the real views, templates and queries, no HTTP) until the time
is up.

Measured: the most client and server connections PgBouncer's SHOW POOLS reported at once, the
most backends PostgreSQL itself ran for the database (pg_stat_activity), SHOW STATS totals,
PgBouncer's logged errors, and every request's status. Pass: every client connected at once,
at most --pool-size server connections, no error anywhere. Written to tests/bench/LOAD.md.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import random
import secrets
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))
import load  # noqa: E402  (the load test: its database and its LOAD.md)
import run as bench  # noqa: E402
import stack  # noqa: E402

HEADING = "## PgBouncer: many clients on few server connections"


def client_thread(barrier, deadline_at, works, results, seed):
    """One reader with its own database connection (Django's connections are per thread)."""
    from django.db import connection
    from django.test import Client

    rng = random.Random(seed)
    client = Client()
    try:
        connection.ensure_connection()
    except Exception as error:  # noqa: BLE001 (reported, never hidden)
        results.append(("connect", 0, f"{type(error).__name__}: {error}"))
        barrier.abort()
        return
    barrier.wait(timeout=300)
    while time.time() < deadline_at.value:
        kind = rng.choice(["listing", "listing", "search", "read"])
        path = {
            "listing": f"/works?page={rng.randint(1, 20)}",
            "search": f"/works/search?work_search%5Bquery%5D={rng.choice(load.SEARCH_WORDS)}",
            "read": f"/works/{rng.choice(works)[0]}?view_adult=true",
        }[kind]
        started = time.perf_counter()
        try:
            status = client.get(path).status_code
            results.append((kind, status, time.perf_counter() - started))
        except Exception as error:  # noqa: BLE001
            results.append((kind, 0, f"{type(error).__name__}: {error}"))
    connection.close()


def client_process(threads, first_seed, barrier, deadline_at, works, queue):
    import django

    django.setup()
    results: list = []
    pool = [
        threading.Thread(
            target=client_thread, args=(barrier, deadline_at, works, results, first_seed + n)
        )
        for n in range(threads)
    ]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    queue.put(results)


def backends(url: str, dbname: str) -> int:
    with bench._connect(url, "postgres") as conn:
        return conn.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = %s"
            " AND backend_type = 'client backend'",
            [dbname],
        ).fetchone()[0]


def run_pool(args) -> tuple[list[str], str]:
    url, dbname = args.database_url, bench._dbname(args.database_url)
    host, port = urlsplit(url).hostname, urlsplit(url).port or 5432
    works = load.targets(url)
    conn = f"host={host} port={port} dbname={dbname} timezone=UTC"
    with stack.PgBouncer(
        pool_size=args.pool_size, max_client_conn=250, databases={dbname: conn}
    ) as bouncer:
        os.environ.update(
            DATABASE_URL=bouncer.url(dbname),
            DATABASE_POOLER="transaction",
            DJANGO_SETTINGS_MODULE="tests.bench.settings",
            DJANGO_DEBUG="0",
            DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
            DJANGO_ALLOWED_HOSTS="testserver",
            DJANGO_SECURE_SSL_REDIRECT="0",
            DJANGO_LOG_LEVEL="CRITICAL",
        )
        os.environ.pop("REDIS_URL", None)
        # Production settings render static URLs from the collected manifest.
        subprocess.run(
            [str(bench.VENV_BIN / "python"), "manage.py", "collectstatic", "--noinput", "-v0"],
            cwd=bench.ROOT,
            check=True,
        )
        context = multiprocessing.get_context("fork")
        barrier = context.Barrier(args.clients + 1)
        deadline_at = context.Value("d", time.time() + 3600)
        queue = context.Queue()
        per_process = [args.clients // args.processes] * args.processes
        per_process[0] += args.clients - sum(per_process)
        processes = [
            context.Process(
                target=client_process,
                args=(n, sum(per_process[:i]), barrier, deadline_at, works, queue),
            )
            for i, n in enumerate(per_process)
        ]
        for process in processes:
            process.start()
        barrier.wait(timeout=300)  # every client is connected to PgBouncer now
        connected = stack.PoolWatch(bouncer)
        connected.sample()
        deadline_at.value = time.time() + args.seconds
        max_backends = 0
        with stack.PoolWatch(bouncer) as watch:
            while time.time() < deadline_at.value:
                max_backends = max(max_backends, backends(url, dbname))
                time.sleep(0.2)
            results = [row for _ in processes for row in queue.get(timeout=300)]
        for process in processes:
            process.join(timeout=60)
        stats = stack.pool_stats(bouncer)
        logged = bouncer.errors()

    failures = [r for r in results if r[1] != 200]
    timings = [r[2] for r in results if r[1] == 200]
    problems = []
    if connected.max_clients < args.clients:
        problems.append(f"only {connected.max_clients} of {args.clients} clients were connected")
    if max(watch.max_servers, max_backends) > args.pool_size:
        problems.append(f"more than {args.pool_size} server connections")
    if failures:
        problems.append(f"{len(failures)} failed requests, e.g. {failures[0]!r}")
    if logged:
        problems.append(f"PgBouncer logged {len(logged)} errors, e.g. {logged[0]}")
    lines = [
        HEADING,
        "",
        "Made by `make loadtest LOAD_MODE=pool` (tests/bench/pool.py): Django threads with a "
        "database connection each, all connected at once through one PgBouncer in transaction "
        "mode (deploy/pgbouncer.ini on loopback), asking for listing pages, searches and work "
        "pages until the time is up. Latest run:",
        "",
        f"- date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, commit {load.commit()}, "
        f"{os.cpu_count()} CPUs",
        f"- load: {args.clients} clients in {args.processes} processes, pool_size "
        f"{args.pool_size}, max_client_conn 250, {args.seconds} s",
        f"- result: **{'PASS' if not problems else 'FAIL'}**",
        "",
        "| measure | value |",
        "| --- | ---: |",
        f"| clients connected at once (SHOW POOLS cl_active + cl_waiting) | "
        f"{connected.max_clients} |",
        f"| most clients at once during the run | {watch.max_clients} |",
        f"| most clients waiting for a server connection | {watch.max_waiting} |",
        f"| most server connections (SHOW POOLS sv_*) | {watch.max_servers} |",
        f"| most PostgreSQL backends for the database (pg_stat_activity) | {max_backends} |",
        f"| transactions / queries (SHOW STATS) | {stats['transactions']:,} / "
        f"{stats['queries']:,} |",
        f"| total client wait for a server connection (SHOW STATS) | "
        f"{stats['wait_ms'] / 1000:.1f} s |",
        f"| requests (200 / other) | {len(timings):,} / {len(failures):,} |",
        f"| requests/s, p50, p95 | {len(timings) / args.seconds:.1f}, "
        f"{load.percentile(timings, 0.5) * 1000:.0f} ms, "
        f"{load.percentile(timings, 0.95) * 1000:.0f} ms |",
        f"| PgBouncer errors logged | {len(logged)} |",
        f"| PgBouncer pool samples taken | {watch.samples} |",
        "",
    ]
    if problems:
        lines += ["Problems:", ""] + [f"- {p}" for p in problems] + [""]
    return problems, "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--processes", type=int, default=4)
    parser.add_argument("--pool-size", type=int, default=20)
    parser.add_argument("--seconds", type=int, default=int(os.environ.get("POOL_SECONDS", 60)))
    parser.add_argument("--works", type=int, default=int(os.environ.get("LOAD_WORKS", 10000)))
    parser.add_argument(
        "--database-url", default=os.environ.get("LOAD_DATABASE_URL", load.DEFAULT_DATABASE_URL)
    )
    args = parser.parse_args()
    bench.ensure_archive(args.database_url, args.works)
    problems, text = run_pool(args)
    load.write_section(HEADING, text)
    print(text, flush=True)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
