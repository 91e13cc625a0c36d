"""The daily statistics table (works.models.DailyStat): writes, the weekly rollup, reads.

Writes are upserts, one statement each (INSERT ... ON CONFLICT DO UPDATE, spoken alike by
PostgreSQL and SQLite 3.24+), adding to the counts of the day's row:
- the hit flush (works/hits.py) adds a work's hits of a day and a chapter's readers of a day
  from the cache buffer, never a reader's request;
- the feedback services (works/services/feedback.py) add the kudos, comment, bookmark or
  subscription inside the transaction that creates it.
Counts are events of the day: a kudos or comment deleted later stays in the day it was left
(the work's running totals in WorkStats go down; history is not rewritten).
"""

import datetime
from collections import defaultdict

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Sum
from django.utils import timezone

from archive.queue import job
from works.models import Chapter, DailyStat, Period, Work

FIELDS = ("hits", "kudos", "comments", "bookmarks", "subscriptions")
ROLLUP_AFTER_DAYS = 365
ROLLUP_BATCH = 500  # works per transaction


def monday(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def _upsert_sql(chapter: bool) -> str:
    """One row's upsert. The row is selected from the work (or the chapter of that work), so
    counts for a work or chapter deleted since they were buffered insert nothing."""
    table = DailyStat._meta.db_table
    columns = ", ".join(FIELDS)
    updates = ", ".join(f"{f} = {table}.{f} + excluded.{f}" for f in FIELDS)
    counts = ", ".join(["%s"] * len(FIELDS))
    if chapter:
        source = f"SELECT work_id, id, %s, %s, {counts} FROM {Chapter._meta.db_table} "
        source += "WHERE id = %s AND work_id = %s"
        target = "(work_id, chapter_id, period, day) WHERE chapter_id IS NOT NULL"
    else:
        source = f"SELECT id, NULL, %s, %s, {counts} FROM {Work._meta.db_table} WHERE id = %s"
        target = "(work_id, period, day) WHERE chapter_id IS NULL"
    return (
        f"INSERT INTO {table} (work_id, chapter_id, period, day, {columns}) "
        f"{source} ON CONFLICT {target} DO UPDATE SET {updates}"
    )


def _params(work_id, chapter_id, period, day, counts: dict) -> list:
    params = [str(period), day, *(counts.get(f, 0) for f in FIELDS)]
    return params + ([chapter_id, work_id] if chapter_id is not None else [work_id])


def add(
    work_id: int,
    *,
    chapter_id: int | None = None,
    day: datetime.date | None = None,
    period: str = Period.DAY,
    **counts: int,
) -> None:
    """Add `counts` (hits=…, kudos=…) to the row of `work_id` (or its chapter) for `day`."""
    unknown = set(counts) - set(FIELDS)
    if unknown:
        raise ValueError(f"not a daily count: {sorted(unknown)}")
    day = day or timezone.localdate()
    with connection.cursor() as cursor:
        cursor.execute(
            _upsert_sql(chapter_id is not None), _params(work_id, chapter_id, period, day, counts)
        )


def add_many(rows: dict[tuple[int, int | None, datetime.date], dict[str, int]]) -> None:
    """Several rows at once: {(work_id, chapter_id, day): {field: count}} (the hit flush)."""
    by_kind: dict[bool, list] = defaultdict(list)
    for (work_id, chapter_id, day), counts in rows.items():
        by_kind[chapter_id is not None].append(
            _params(work_id, chapter_id, Period.DAY, day, counts)
        )
    with connection.cursor() as cursor:
        for chapter, params in by_kind.items():
            cursor.executemany(_upsert_sql(chapter), params)


# The weekly rollup ------------------------------------------------------------------------


def rollup(today: datetime.date | None = None) -> int:
    """Merge day rows older than a year into week rows (the Monday's), a batch of works per
    transaction. Only whole weeks before the cutoff (a Monday) are merged, and each day row
    is deleted in the transaction that adds it to its week, so a rerun (or a run that
    crashed halfway) never counts a day twice. Returns the day rows merged."""
    today = today or timezone.localdate()
    cutoff = monday(today - datetime.timedelta(days=ROLLUP_AFTER_DAYS))
    old = DailyStat.objects.filter(period=Period.DAY, day__lt=cutoff)
    merged = 0
    while True:
        work_ids = list(old.values_list("work_id", flat=True).distinct()[:ROLLUP_BATCH])
        if not work_ids:
            return merged
        with transaction.atomic():
            rows = list(
                old.filter(work_id__in=work_ids)
                .select_for_update()
                .values_list("pk", "work_id", "chapter_id", "day", *FIELDS)
            )
            weeks: dict[tuple, dict[str, int]] = defaultdict(lambda: dict.fromkeys(FIELDS, 0))
            for _pk, work_id, chapter_id, day, *counts in rows:
                week = weeks[(work_id, chapter_id, monday(day))]
                for field, count in zip(FIELDS, counts, strict=True):
                    week[field] += count
            for (work_id, chapter_id, week_day), counts in weeks.items():
                add(work_id, chapter_id=chapter_id, day=week_day, period=Period.WEEK, **counts)
            DailyStat.objects.filter(pk__in=[row[0] for row in rows]).delete()
            merged += len(rows)


# Reads ---------------------------------------------------------------------------------


def work_rows(work_id: int) -> list[DailyStat]:
    """The work's own rows (days and rolled-up weeks), oldest first: one query."""
    return list(
        DailyStat.objects.filter(work_id=work_id, chapter__isnull=True)
        .only("day", "period", *FIELDS)
        .order_by("day")
    )


def chapter_totals(work_id: int) -> dict[int, dict[str, int]]:
    """{chapter_id: {"hits": readers, "kudos": kudos given from its page, "comments": …}}
    over all time: one query."""
    totals = (
        DailyStat.objects.filter(work_id=work_id, chapter__isnull=False)
        .values("chapter_id")
        .annotate(hits=Sum("hits"), kudos=Sum("kudos"), comments=Sum("comments"))
    )
    return {
        row["chapter_id"]: {f: row[f] or 0 for f in ("hits", "kudos", "comments")} for row in totals
    }


def user_days(user_id: int, since: datetime.date) -> list[dict]:
    """The daily totals of every work `user_id` created, from `since`: one query (for an
    author's overview; the benchmark times it for 500 works)."""
    return list(
        DailyStat.objects.filter(
            work__work_creators__user_id=user_id, chapter__isnull=True, day__gte=since
        )
        .values("day")
        .annotate(**{f: Sum(f) for f in FIELDS})
        .order_by("day")
    )


@job(max_attempts=1)  # tomorrow's run merges what this one left
def rollup_task() -> int:
    """In settings.TASKS_EVERY_MINUTE; does its work once a day (the first tick that claims
    the day's key)."""
    if not cache.add(f"stats:rollup:{timezone.localdate().isoformat()}", 1, 2 * 86400):
        return 0
    return rollup()
