"""Generated daily statistics for a demo work, so a new creator sees a stats page with
something on it (/works/<id>/stats): deterministic hits from the day the work was posted to
today, each chapter read from the day it was posted by fewer readers than the one before.
Only hits: the demo's kudos, comments, bookmarks and subscriptions are real ones, left
through the services (load_demo), which count them on the day they were left."""

import datetime

from works.models import DailyStat


def demo_history(work, *, today: datetime.date, total_hits: int) -> None:
    start = work.published_at
    days = [start + datetime.timedelta(days=n) for n in range((today - start).days + 1)]
    # A launch, then a weekly rhythm (Sunday updates) over a slow decline.
    weights = [
        3 + (n * 5) % 7 + (12 if n < 3 else 0) + (6 if day.weekday() == 6 else 0)
        for n, day in enumerate(days)
    ]
    scale = total_hits / sum(weights)
    hits = [int(weight * scale) for weight in weights]
    for n in range(total_hits - sum(hits)):  # the work's hit count, exactly (less than a
        hits[n] += 1  # hit a day was rounded away: back to the first days)
    chapters = list(work.chapters.posted().order_by("position"))
    rows = []
    for day, count in zip(days, hits, strict=True):
        rows.append(
            DailyStat(
                work=work,
                day=day,
                hits=count,
            )
        )
        readers = count
        for position, chapter in enumerate(chapters):
            if chapter.published_at and chapter.published_at > day:
                break
            if position:
                readers = readers * 4 // 5
            if readers:
                rows.append(
                    DailyStat(
                        work=work,
                        chapter=chapter,
                        day=day,
                        hits=readers,
                    )
                )
    DailyStat.objects.bulk_create(rows)
