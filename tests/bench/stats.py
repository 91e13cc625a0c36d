"""The daily statistics table (works.models.DailyStat): its size for 1M works, and the time
to draw a stats page (issue 19).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/<yours> \\
    nice -n 19 .venv/bin/python -m tests.bench.stats [--sample 300] [--model 20000] [--seed 1]

It works in a scratch database of its own (`<database>_statsbench`, made and dropped like a
test database), never in the one named: no bench archive is touched. Three measurements:

1. Size. Building the table of 1M works (hundreds of millions of rows) would take hours, so
   it is extrapolated: an activity model (below) gives the expected rows of `--model` works
   drawn at random, and `--sample` of them have their rows really written, so PostgreSQL
   says what a row costs (table and indexes, pg_total_relation_size). The report: rows per
   work, bytes per row, and rows and gigabytes for 1,000,000 works.
2. A work with 5 years of history and 20 chapters, active every day (the worst case: every
   day has a row for the work and for its chapters), rolled up as the daily task does: the
   time of the rollup, then of /works/<id>/stats (each range) and of its CSV.
3. An author with 500 works with a year of activity: /users/<login>/stats and the author's
   daily totals over a year across the 500 works (works.stats.daily.user_days, one query)
   drawn as a chart.

The activity model (a guess written down, not a measurement of AO3): a work's popularity is
log-normal (sigma 1.6, median 0.5 readers a day when new), so a few works have thousands of
times the median's readers; its readers decay to a tenth over about two months after posting
(lambda(t) = p * (0.1 + 0.9 exp(-t / 60))); half the works are one-shots, the rest have
2 + geometric(0.2) chapters (at most 100), chapter k keeping 0.8^(k-1) of the readers; the
works' ages are uniform over 0-10 years. A day has a row when its Poisson count of readers
is not zero (kudos, comments, bookmarks and subscriptions come on days with readers), and
days older than a year are weeks.
"""

from __future__ import annotations

import argparse
import datetime
import math
import random
import statistics
import sys
import time

from tests.bench.scratch import bench_environment, in_scratch_database

WORKS_TARGET = 1_000_000
YEAR_DAYS = 365


def _work_shape(rng: random.Random) -> tuple[float, int, int]:
    popularity = 0.5 * math.exp(rng.gauss(0, 1.6))
    chapters = (
        1 if rng.random() < 0.5 else min(2 + int(math.log(1 - rng.random()) / math.log(0.8)), 100)
    )
    age = rng.randrange(0, 10 * YEAR_DAYS)
    return popularity, chapters, age


def _rate(popularity: float, days_since_posting: int) -> float:
    return popularity * (0.1 + 0.9 * math.exp(-days_since_posting / 60))


def expected_rows(popularity: float, chapters: int, age: int) -> float:
    """Expected rows (work and chapters, days of the last year, weeks before) of one work."""
    total = 0.0
    for back in range(min(age, YEAR_DAYS)):  # days of the last year
        rate = _rate(popularity, age - back)
        for k in range(chapters + 1):  # k = 0: the work's own row
            share = 1.0 if k == 0 else 0.8 ** (k - 1)
            total += 1 - math.exp(-rate * share)
    for week in range(max(age - YEAR_DAYS, 0) // 7):  # older: weeks
        rate = 7 * _rate(popularity, max(age - YEAR_DAYS - 7 * week, 0))
        for k in range(chapters + 1):
            share = 1.0 if k == 0 else 0.8 ** (k - 1)
            total += 1 - math.exp(-rate * share)
    return total


def _drawn_rows(rng, work_id, chapter_ids, popularity, age, today):
    """One work's rows, drawn from the model, as DailyStat objects."""
    from works.models import DailyStat, Period
    from works.stats.daily import monday

    rows = []

    def emit(day, period, rate):
        for k, chapter_id in enumerate([None, *chapter_ids]):
            share = 1.0 if k == 0 else 0.8 ** (k - 1)
            readers = _poisson(rng, rate * share)
            if readers:
                rows.append(
                    DailyStat(
                        work_id=work_id,
                        chapter_id=chapter_id,
                        day=day,
                        period=period,
                        hits=readers,
                        kudos=_poisson(rng, readers * 0.08),
                        comments=_poisson(rng, readers * 0.01),
                        bookmarks=_poisson(rng, readers * 0.01) if k == 0 else 0,
                        subscriptions=_poisson(rng, readers * 0.005) if k == 0 else 0,
                    )
                )

    for back in range(min(age, YEAR_DAYS)):
        emit(today - datetime.timedelta(days=back), Period.DAY, _rate(popularity, age - back))
    start = monday(today - datetime.timedelta(days=YEAR_DAYS))
    for week in range(max(age - YEAR_DAYS, 0) // 7):
        day = start - datetime.timedelta(weeks=week + 1)
        emit(day, Period.WEEK, 7 * _rate(popularity, max(age - YEAR_DAYS - 7 * week, 0)))
    return rows


def _poisson(rng: random.Random, mean: float) -> int:
    if mean > 50:  # normal approximation
        return max(int(round(rng.gauss(mean, math.sqrt(mean)))), 0)
    limit, k, product = math.exp(-mean), 0, rng.random()
    while product > limit:
        k += 1
        product *= rng.random()
    return k


def _timed(action, runs: int = 7) -> float:
    action()  # warm
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def _bare_works(author, count: int, chapters: int):
    """`count` posted works of `author` with `chapters` chapters each, written in bulk."""
    from django.utils import timezone

    from works.models import Chapter, Work, WorkCreator, WorkStats

    now = timezone.now()
    works = Work.objects.bulk_create(
        [
            Work(
                title=f"Bench work {n}",
                posted=True,
                published_at=now.date(),
                revised_at=now,
                expected_chapters=chapters,
            )
            for n in range(count)
        ]
    )
    pseud = author.pseuds.first()
    WorkCreator.objects.bulk_create(
        [WorkCreator(work=work, user=author, pseud=pseud) for work in works]
    )
    WorkStats.objects.bulk_create([WorkStats(work=work) for work in works])
    Chapter.objects.bulk_create(
        [
            Chapter(
                work=work,
                position=k + 1,
                body="<p>Bench.</p>",
                posted=True,
                published_at=now.date(),
            )
            for work in works
            for k in range(chapters)
        ]
    )
    return works


def measure(args) -> None:
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from tests.factories import make_user
    from works.models import DailyStat
    from works.stats import charts, daily

    rng = random.Random(args.seed)
    today = timezone.localdate()
    out = sys.stdout.write

    # 1. Size ---------------------------------------------------------------------------
    shapes = [_work_shape(rng) for _ in range(args.model)]
    expected = [expected_rows(*shape) for shape in shapes]
    mean_rows = statistics.fmean(expected)
    ordered = sorted(expected)
    median, top = ordered[len(ordered) // 2], ordered[int(len(ordered) * 0.99)]
    out(f"activity model: {args.model:,} works drawn; expected rows per work: ")
    out(f"mean {mean_rows:.1f}, median {median:.1f}, 99th percentile {top:.0f}, ")
    out(f"largest {ordered[-1]:.0f}\n")
    owner = make_user(username="bench_sample")
    written = 0
    for popularity, chapters, age in shapes[: args.sample]:
        (work,) = _bare_works(owner, 1, chapters)
        chapter_ids = list(work.chapters.order_by("position").values_list("pk", flat=True))
        rows = _drawn_rows(rng, work.pk, chapter_ids, popularity, age, today)
        DailyStat.objects.bulk_create(rows, batch_size=5000)
        written += len(rows)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE works_dailystat")
        cursor.execute(
            "SELECT pg_total_relation_size('works_dailystat'), pg_relation_size('works_dailystat')"
        )
        total_bytes, heap_bytes = cursor.fetchone()
    per_row = total_bytes / max(written, 1)
    rows_1m = mean_rows * WORKS_TARGET
    out(f"sample written: {args.sample:,} works, {written:,} rows, {total_bytes / 1e6:.1f} MB ")
    out(f"({heap_bytes / 1e6:.1f} MB table, the rest indexes): {per_row:.0f} bytes a row\n")
    out(f"1,000,000 works (extrapolated): {rows_1m / 1e6:,.0f} million rows, ")
    out(f"{rows_1m * per_row / 1e9:,.1f} GB with indexes\n")
    DailyStat.objects.all().delete()

    # 2. A work with 5 years of history -----------------------------------------------------
    author = make_user(username="bench_author")
    (work,) = _bare_works(author, 1, 20)
    chapter_ids = list(work.chapters.order_by("position").values_list("pk", flat=True))
    rows = []
    for back in range(5 * YEAR_DAYS):
        day = today - datetime.timedelta(days=back)
        rows.append(DailyStat(work_id=work.pk, day=day, hits=200, kudos=9, comments=2, bookmarks=3))
        rows += [
            DailyStat(work_id=work.pk, chapter_id=chapter_id, day=day, hits=200 - 8 * k, kudos=1)
            for k, chapter_id in enumerate(chapter_ids)
        ]
    DailyStat.objects.bulk_create(rows, batch_size=5000)
    start = time.perf_counter()
    merged = daily.rollup(today)
    rollup_ms = (time.perf_counter() - start) * 1000
    remaining = DailyStat.objects.filter(work=work).count()
    out(f"work with 5 years and 20 chapters: {len(rows):,} day rows; rollup merged {merged:,} ")
    out(f"in {rollup_ms:,.0f} ms, leaving {remaining:,} rows\n")
    client = Client()
    client.force_login(author)
    for name in ("30", "year", "all"):
        url = f"/works/{work.pk}/stats?range={name}"
        assert client.get(url).status_code == 200
        took = _timed(lambda url=url: client.get(url))
        out(f"  /works/<id>/stats?range={name}: {took:.1f} ms (median)\n")
    csv_url = f"/works/{work.pk}/stats.csv"
    out(f"  /works/<id>/stats.csv: {_timed(lambda: client.get(csv_url)):.1f} ms (median)\n")

    # 3. An author with 500 works -----------------------------------------------------------
    prolific = make_user(username="bench_prolific")
    works = _bare_works(prolific, 500, 3)
    rows = []
    for work in works:
        popularity = 0.5 * math.exp(rng.gauss(0, 1.6))
        for back in range(YEAR_DAYS):
            readers = _poisson(rng, popularity)
            if readers:
                rows.append(
                    DailyStat(
                        work_id=work.pk, day=today - datetime.timedelta(days=back), hits=readers
                    )
                )
    DailyStat.objects.bulk_create(rows, batch_size=5000)
    out(f"author with 500 works: {len(rows):,} day rows over a year\n")
    client.force_login(prolific)
    url = f"/users/{prolific.username}/stats"
    assert client.get(url).status_code == 200
    out(f"  /users/<login>/stats: {_timed(lambda: client.get(url)):.1f} ms (median)\n")
    since = today - datetime.timedelta(days=YEAR_DAYS - 1)

    def author_chart():
        days = daily.user_days(prolific.pk, since)
        charts.bar_chart(
            charts.Chart(
                slug="author-hits",
                title="Hits",
                description="",
                labels=[row["day"].isoformat() for row in days],
                values=[row["hits"] for row in days],
                column="Hits",
                label_column="Day",
            )
        )

    took = _timed(author_chart)
    out(f"  the author's daily hits over a year, 500 works, as a chart: {took:.1f} ms (median)\n")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sample", type=int, default=300, help="works whose rows are written")
    parser.add_argument("--model", type=int, default=20000, help="works drawn for the row count")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    bench_environment("stats")
    in_scratch_database(
        "statsbench",
        lambda: measure(args),
        postgres_only="tests/bench/stats.py measures PostgreSQL: set DATABASE_URL",
    )


if __name__ == "__main__":
    main()
