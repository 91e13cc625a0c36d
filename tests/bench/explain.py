#!/usr/bin/env python3
"""EXPLAIN ANALYZE the slowest queries of archive pages, on the benchmark data.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/archive_bench \\
        .venv/bin/python tests/bench/explain.py /works "/works/1?view_adult=true" [--top 3]

Each page is requested once through Django's test client as a guest (warm-up), then again
while its queries are captured; the slowest ones are run again under
EXPLAIN (ANALYZE, BUFFERS) and printed with their time. Use it to choose indexes (docs/design.md
section 9): it reads, never writes.
"""

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archive.settings")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="EXPLAIN ANALYZE the slowest queries of pages")
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--top", type=int, default=3, help="queries per page (default 3)")
    args = parser.parse_args(argv)

    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    if connection.vendor != "postgresql":
        sys.exit("Set DATABASE_URL to the PostgreSQL benchmark database.")
    client = Client()
    for path in args.paths:
        client.get(path)
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(path)
            elapsed = time.perf_counter() - started
        queries = captured.captured_queries
        status = response.status_code
        print(f"# {path}: HTTP {status}, {elapsed * 1000:.0f} ms, {len(queries)} queries")
        slowest = sorted(queries, key=lambda q: -float(q["time"]))[: args.top]
        with connection.cursor() as cursor:
            for query in slowest:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + query["sql"])
                print(f"\n## {float(query['time']) * 1000:.1f} ms\n{query['sql']}\n")
                print("\n".join(row[0] for row in cursor.fetchall()))
        print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
