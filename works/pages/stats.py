"""/users/<login>/stats (AO3's statistics page, for its owner only): the totals, the years to
narrow them to, and one row per work, grouped by fandom or in one flat list, sorted by a
column.

The works are the posted works the person is an accepted creator of (WorkCreator): shared
works too, works in anonymous or unrevealed collections (they are the person's own) and
works hidden by a moderator (as on AO3, a creator keeps seeing them); never drafts.

As on AO3, the years offered are those in which one of the person's posted chapters was
published; `?year=` names one of them or anything else (ao3-api sends `All Years`), which
means every year. For a year, the works are those with a chapter published in it, a work's
word count is the words of those chapters and its date the last of them; its other counters
(hits, kudos, comment threads, bookmarks, subscriptions) are the work's own. The totals add
up each work once (a work with two fandoms shows in both groups); "User Subscriptions"
counts the people subscribed to the person, whatever the year.

`?sort_column=` takes AO3's names (`hits`, the default, `date`, `kudos.count`,
`comment_thread_count`, `bookmarks.count`, `subscriptions.count`, `word_count`) and
`?sort_direction=` `ASC` or `DESC` (the default); `?flat_view=true` lists every work under
"All Fandoms". A fixed number of queries whatever the number of works: the years, the works
with their counters, their fandoms and the person's subscribers.
"""

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import Count, IntegerField, Max, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tags.types import TagType
from works.models import Chapter, Comment, Subscription, TaggedWork, Work

ALL_YEARS = "All Years"

# AO3's totals, in AO3's order: (key, class, label). ao3-api turns each label into its key
# (`user_subscriptions`, `comment_threads`, `word_count`, …); the classes are AO3's.
TOTALS = (
    ("user_subscriptions", "user subscriptions", _("User Subscriptions")),
    ("kudos", "kudos", _("Kudos")),
    ("comment_threads", "comment thread count", _("Comment Threads")),
    ("bookmarks", "bookmarks", _("Bookmarks")),
    ("subscriptions", "subscriptions", _("Subscriptions")),
    ("word_count", "words", _("Word Count")),
    ("hits", "hits", _("Hits")),
)
# The per-work counters, summed into the totals.
WORK_COUNTERS = ("kudos", "comment_threads", "bookmarks", "subscriptions", "word_count", "hits")

# AO3's sort_column values, their counter, their label and whether a first click sorts the
# most first (every column but the date).
SORT_COLUMNS = {
    "date": ("date", _("Date"), False),
    "hits": ("hits", _("Hits"), True),
    "kudos.count": ("kudos", _("Kudos"), True),
    "comment_thread_count": ("comment_threads", _("Comment Threads"), True),
    "bookmarks.count": ("bookmarks", _("Bookmarks"), True),
    "subscriptions.count": ("subscriptions", _("Subscriptions"), True),
    "word_count": ("word_count", _("Word Count"), True),
}
DEFAULT_SORT = "hits"
ASC, DESC = "ASC", "DESC"


@dataclass
class WorkRow:
    work: Work
    counters: dict
    date: object  # a date: the work's last update, or its last chapter of the chosen year
    fandoms: list = field(default_factory=list)


@dataclass
class Choice:
    label: str
    url: str
    current: bool
    direction: str = ""


@dataclass
class UserStats:
    years: list  # Choice per year, "All Years" first
    year: int | None  # the chosen one, None for all years
    totals: list  # (key, class, label, total), AO3's order
    rows: list  # WorkRow, in the chosen order, each work once
    groups: list  # (heading, rows): fandoms by name, or one "All Fandoms"
    sorting: list  # Choice per column
    views: list  # Choice: by fandom, flat
    flat: bool


@dataclass
class Options:
    year: int | None
    column: str
    direction: str
    flat: bool

    def params(self, **changes) -> dict:
        values = {
            "year": self.year or ALL_YEARS,
            "sort_column": self.column,
            "sort_direction": self.direction,
            "flat_view": "true" if self.flat else "",
            **changes,
        }
        return {key: value for key, value in values.items() if value}

    def url(self, **changes) -> str:
        return "?" + urlencode(self.params(**changes))


def _posted_works(person):
    return Work.objects.posted().filter(work_creators__user=person)


def _posted_chapters(person):
    return Chapter.objects.posted().filter(
        work__in=_posted_works(person).values("pk"), published_at__isnull=False
    )


def stat_years(person) -> list[int]:
    return [day.year for day in _posted_chapters(person).dates("published_at", "year")]


def chosen_year(years: list[int], value: str | None) -> int | None:
    """The year `?year=` names if the person published in it, else None (all years)."""
    try:
        year = int((value or "").strip())
    except ValueError:
        return None
    return year if year in years else None


def chosen_options(years: list[int], query) -> Options:
    column = query.get("sort_column")
    if column not in SORT_COLUMNS:
        column = DEFAULT_SORT
    return Options(
        year=chosen_year(years, query.get("year")),
        column=column,
        direction=ASC if query.get("sort_direction") == ASC else DESC,
        flat=bool(query.get("flat_view")),
    )


def _count(queryset):
    """A per-work count of `queryset` as a subquery (0 when there is none)."""
    counted = (
        queryset.filter(work=OuterRef("pk"))
        .order_by()
        .values("work")
        .annotate(total=Count("pk"))
        .values("total")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def _works(person, year):
    """The works with every counter, in one query."""
    works = (
        _posted_works(person)
        .select_related("stats")
        .only(
            "pk",
            "title",
            "word_count",
            "revised_at",
            "published_at",
            "stats__hits",
            "stats__kudos",
            "stats__bookmarks",
            "stats__subscriptions",
        )
        .annotate(
            comment_threads=_count(Comment.objects.approved().filter(parent=None, is_deleted=False))
        )
        .order_by()
    )
    if year is None:
        return works
    chapters = (
        Chapter.objects.posted()
        .filter(work=OuterRef("pk"), published_at__year=year)
        .order_by()
        .values("work")
    )
    return works.annotate(
        year_words=Subquery(
            chapters.annotate(total=Sum("word_count")).values("total"),
            output_field=IntegerField(),
        ),
        year_date=Subquery(chapters.annotate(last=Max("published_at")).values("last")),
    ).filter(year_date__isnull=False)


def _fandoms(person) -> dict:
    """Each posted work's fandom names, by work id."""
    taggings = (
        TaggedWork.objects.filter(
            content_object__in=_posted_works(person).values("pk"), tag__type=TagType.FANDOM
        )
        .order_by("tag__name")
        .values_list("content_object_id", "tag__name")
    )
    fandoms = {}
    for work_id, name in taggings:
        fandoms.setdefault(work_id, []).append(name)
    return fandoms


def _row(work, year) -> WorkRow:
    stats = getattr(work, "stats", None)
    if year is None:
        words = work.word_count
        revised = work.revised_at
        date = timezone.localtime(revised).date() if revised else work.published_at
    else:
        words, date = work.year_words or 0, work.year_date
    counters = {
        "kudos": stats.kudos if stats else 0,
        "comment_threads": work.comment_threads,
        "bookmarks": stats.bookmarks if stats else 0,
        "subscriptions": stats.subscriptions if stats else 0,
        "word_count": words,
        "hits": stats.hits if stats else 0,
    }
    return WorkRow(work=work, counters=counters, date=date)


def _sorted(rows, options):
    counter = SORT_COLUMNS[options.column][0]

    def value(row):
        if counter == "date":
            return row.date.toordinal() if row.date else 0
        return row.counters[counter]

    # Ties keep the oldest work first either way, so the order is stable.
    if options.direction == ASC:
        return sorted(rows, key=lambda row: (value(row), row.work.pk))
    return sorted(rows, key=lambda row: (-value(row), row.work.pk))


def _groups(rows, flat):
    if flat:
        return [(_("All Fandoms"), rows)] if rows else []
    groups = {}
    for row in rows:
        for fandom in row.fandoms or [_("No Fandom")]:
            groups.setdefault(str(fandom), []).append(row)
    return sorted(groups.items(), key=lambda item: (item[0].casefold(), item[0]))


def _sorting(options):
    choices = []
    for column, (_counter, label, most_first) in SORT_COLUMNS.items():
        current = column == options.column
        if current:
            direction = ASC if options.direction == DESC else DESC
        else:
            direction = DESC if most_first else ASC
        url = options.url(sort_column=column, sort_direction=direction)
        choices.append(Choice(label, url, current, options.direction.lower() if current else ""))
    return choices


def user_stats(person, query) -> UserStats:
    """The page for `person`, from the request's GET parameters `query`."""
    years = stat_years(person)
    options = chosen_options(years, query)
    rows = [_row(work, options.year) for work in _works(person, options.year)]
    fandoms = _fandoms(person)
    for row in rows:
        row.fandoms = fandoms.get(row.work.pk, [])
    rows = _sorted(rows, options)
    totals = {key: sum(row.counters[key] for row in rows) for key in WORK_COUNTERS}
    totals["user_subscriptions"] = Subscription.objects.filter(
        kind=Subscription.Kind.AUTHOR, author=person
    ).count()
    year_choices = [Choice(_("All Years"), options.url(year=ALL_YEARS), options.year is None)]
    year_choices += [
        Choice(str(year), options.url(year=year), year == options.year) for year in years
    ]
    return UserStats(
        years=year_choices,
        year=options.year,
        totals=[(key, css, label, totals[key]) for key, css, label in TOTALS],
        rows=rows,
        groups=_groups(rows, options.flat),
        sorting=_sorting(options),
        views=[
            Choice(_("Fandoms View"), options.url(flat_view=""), not options.flat),
            Choice(_("Flat View"), options.url(flat_view="true"), options.flat),
        ],
        flat=options.flat,
    )
