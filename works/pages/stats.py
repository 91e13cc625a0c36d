"""/users/<login>/stats (AO3's statistics page, for its owner only): the totals, a year to
narrow them to, and one row per work.

As on AO3, the years offered are those in which one of the person's posted chapters was
published; `?year=` names one of them or anything else (ao3-api sends `All Years`), which
means every year. For a year, the works are those with a chapter published in it and a
work's word count is the words of those chapters; its other counters (hits, kudos, comment
threads, bookmarks, subscriptions) are the work's own. The totals add up the rows; "User
Subscriptions" counts the people subscribed to the person, whatever the year.
"""

from collections import Counter
from dataclasses import dataclass

from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from works.models import Chapter, Comment, Subscription, Work

# AO3's labels, in AO3's order; ao3-api turns each into a key (`word_count`, `hits`, …).
LABELS = {
    "user_subscriptions": _("User Subscriptions"),
    "kudos": _("Kudos"),
    "comment_threads": _("Comment Threads"),
    "bookmarks": _("Bookmarks"),
    "subscriptions": _("Subscriptions"),
    "word_count": _("Word Count"),
    "hits": _("Hits"),
}
# The per-work counters, summed into the totals.
WORK_COUNTERS = ("kudos", "comment_threads", "bookmarks", "subscriptions", "word_count", "hits")


@dataclass
class WorkRow:
    work: Work
    counters: dict


@dataclass
class UserStats:
    years: list  # the years offered, oldest first
    year: int | None  # the chosen one, None for all years
    totals: list  # (key, label, total), AO3's order
    rows: list  # WorkRow, most hits first (AO3's default order)


def _posted_works(person):
    return Work.objects.filter(work_creators__user=person).posted().distinct()


def _posted_chapters(person):
    works = _posted_works(person).values("pk")
    return Chapter.objects.filter(work__in=works).posted().exclude(published_at=None)


def stat_years(person) -> list[int]:
    return [day.year for day in _posted_chapters(person).dates("published_at", "year")]


def chosen_year(years: list[int], value: str | None) -> int | None:
    """The year `?year=` names if the person published in it, else None (all years)."""
    try:
        year = int((value or "").strip())
    except ValueError:
        return None
    return year if year in years else None


def user_stats(person, year_param: str | None = None) -> UserStats:
    years = stat_years(person)
    year = chosen_year(years, year_param)
    works = _posted_works(person)
    if year is not None:
        in_year = _posted_chapters(person).filter(published_at__year=year)
        words = dict(
            in_year.values("work_id")
            .annotate(words=Sum("word_count"))
            .values_list("work_id", "words")
        )
        works = works.filter(pk__in=list(words))
    works = list(works.select_related("stats"))
    ids = [work.pk for work in works]
    if year is None:
        words = {work.pk: work.word_count for work in works}
    threads = Counter(
        Comment.objects.visible_to(person)
        .filter(work__in=ids, parent=None, is_deleted=False)
        .values_list("work_id", flat=True)
    )
    subscribers = Counter(
        Subscription.objects.filter(work__in=ids).values_list("work_id", flat=True)
    )
    rows = []
    for work in works:
        stats = getattr(work, "stats", None)
        counters = {
            "kudos": stats.kudos if stats else 0,
            "comment_threads": threads[work.pk],
            "bookmarks": stats.bookmarks if stats else 0,
            "subscriptions": subscribers[work.pk],
            "word_count": words.get(work.pk) or 0,
            "hits": stats.hits if stats else 0,
        }
        rows.append(WorkRow(work=work, counters=counters))
    rows.sort(key=lambda row: (-row.counters["hits"], row.work.pk))
    totals = {key: sum(row.counters[key] for row in rows) for key in WORK_COUNTERS}
    totals["user_subscriptions"] = Subscription.objects.filter(author=person).count()
    return UserStats(
        years=years,
        year=year,
        totals=[(key, label, totals[key]) for key, label in LABELS.items()],
        rows=rows,
    )
