"""A work's statistics page for its creators (/works/<id>/stats): the context, in a fixed
number of queries (the work's chapters, its own daily and weekly rows, its chapters' totals).

Ranges: the last 30 days (a bar a day), a year (a bar a week: the Monday's week) and all time
(a bar a month; a rolled-up week counts in the month of its Monday). Readers per chapter are
the chapter's distinct readers of each day, summed, as a share of the first chapter's: the
drop-off curve. Kudos by source: from each chapter's page, the rest from the entire work's
view (or a tool that gives no chapter).
"""

import datetime
from collections import defaultdict

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from works.stats import daily
from works.stats.charts import Chart, bar_chart

RANGES = ("30", "year", "all")


def _range_labels():
    return {"30": _("Last 30 days"), "year": _("Last year"), "all": _("All time")}


def _metric_names():
    return {
        "hits": _("Hits"),
        "kudos": _("Kudos"),
        "comments": _("Comments"),
        "bookmarks": _("Bookmarks"),
        "subscriptions": _("Subscriptions"),
    }


def _month(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def buckets(rows, range_name: str, today: datetime.date) -> tuple[list, dict]:
    """The range's bucket days (oldest first) and {field: [count per bucket]}."""
    if range_name == "30":
        keys = [today - datetime.timedelta(days=n) for n in range(29, -1, -1)]
        key_of = lambda day: day  # noqa: E731
    elif range_name == "year":
        first = daily.monday(today - datetime.timedelta(days=364))
        keys = [first + datetime.timedelta(weeks=n) for n in range((today - first).days // 7 + 1)]
        key_of = daily.monday
    else:
        start = _month(rows[0].day) if rows else _month(today)
        keys, month = [], start
        while month <= today:
            keys.append(month)
            month = (month + datetime.timedelta(days=32)).replace(day=1)
        key_of = _month
    index = {key: n for n, key in enumerate(keys)}
    counts = {f: [0] * len(keys) for f in daily.FIELDS}
    for row in rows:
        n = index.get(key_of(row.day))
        if n is not None:
            for f in daily.FIELDS:
                counts[f][n] += getattr(row, f)
    return keys, counts


def _label(key: datetime.date, range_name: str) -> str:
    if range_name == "all":
        return formats.date_format(key, "YEAR_MONTH_FORMAT")
    if range_name == "year":
        return _("week of %(day)s") % {"day": formats.date_format(key, "SHORT_DATE_FORMAT")}
    return formats.date_format(key, "SHORT_DATE_FORMAT")


def over_time_charts(rows, range_name: str, today: datetime.date) -> list:
    keys, counts = buckets(rows, range_name, today)
    labels = [_label(key, range_name) for key in keys]
    range_label = _range_labels()[range_name]
    period = {"30": _("Day"), "year": _("Week"), "all": _("Month")}[range_name]
    charts = []
    for f, name in _metric_names().items():
        values = counts[f]
        total = sum(values)
        peak = max(values, default=0)
        charts.append(
            bar_chart(
                Chart(
                    slug=f"chart-{f}",
                    title=f"{name}: {range_label}",
                    description=_(
                        "%(name)s, %(total)s in all over %(count)s bars from %(first)s to "
                        "%(last)s; the highest bar is %(peak)s."
                    )
                    % {
                        "name": name,
                        "total": total,
                        "count": len(values),
                        "first": labels[0],
                        "last": labels[-1],
                        "peak": peak,
                    },
                    labels=labels,
                    values=values,
                    column=name,
                    label_column=period,
                    classes=[f"chart-{f}"],
                )
            )
        )
    return charts


def chapter_charts(chapters, totals: dict, work_kudos: int) -> list:
    labels = [chapter.full_title for chapter in chapters]
    readers = [totals.get(chapter.pk, {}).get("hits", 0) for chapter in chapters]
    first = readers[0] if readers else 0
    shares = [f"{round(100 * n / first)}%" if first else "–" for n in readers]
    last_share = shares[-1] if shares else "–"
    readers_chart = bar_chart(
        Chart(
            slug="chart-readers",
            title=_("Readers per chapter"),
            description=_(
                "How many of the readers who started the work reached each chapter: "
                "%(first)s read chapter 1, %(last)s of them the last chapter."
            )
            % {"first": first, "last": last_share},
            labels=labels,
            values=readers,
            column=_("Readers"),
            label_column=_("Chapter"),
            extra=shares,
            extra_column=_("Of chapter 1's readers"),
            classes=["chart-readers"],
        )
    )
    from_chapters = [totals.get(chapter.pk, {}).get("kudos", 0) for chapter in chapters]
    entire = max(work_kudos - sum(from_chapters), 0)
    kudos_chart = bar_chart(
        Chart(
            slug="chart-kudos-source",
            title=_("Where kudos came from"),
            description=_(
                "%(entire)s kudos were left from the entire work, %(chapters)s from a chapter's "
                "page."
            )
            % {"entire": entire, "chapters": sum(from_chapters)},
            labels=[_("Entire work"), *labels],
            values=[entire, *from_chapters],
            column=_("Kudos"),
            label_column=_("Where"),
            classes=["chart-kudos-source"],
        )
    )
    return [readers_chart, kudos_chart]


def work_stats_context(work, chapters, range_name: str, today=None) -> dict:
    today = today or timezone.localdate()
    if range_name not in RANGES:
        range_name = "30"
    rows = daily.work_rows(work.pk)
    totals = daily.chapter_totals(work.pk)
    all_time = defaultdict(int)
    for row in rows:
        for f in daily.FIELDS:
            all_time[f] += getattr(row, f)
    return {
        "work": work,
        "range": range_name,
        "ranges": [(name, label) for name, label in _range_labels().items()],
        "totals": [(name, all_time[f]) for f, name in _metric_names().items()],
        "charts": over_time_charts(rows, range_name, today),
        "chapter_charts": chapter_charts(chapters, totals, all_time["kudos"]),
    }
