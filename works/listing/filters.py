"""The one filter form and the one queryset builder behind every work listing and search.

`WorkFilter.from_query(request.GET)` reads AO3's parameter names (`work_search[sort_column]`,
`include_work_search[fandom_ids][]`, `exclude_work_search[freeform_ids][]`,
`work_search[words_from]`, `work_search[query]`...) into a validated filter: anything that
does not make sense (unknown tag ids, letters in a number, impossible dates, negative
numbers, a huge value) is dropped with a notice for the reader, never an error.

`filter_works(works, work_filter)` (works.listing.querying) narrows a Work queryset with it
in ONE query: tag filters are EXISTS / NOT EXISTS over the materialised filter rows
(works.FilterTagging), so a canonical tag includes its synonyms and sub tags.
`facet_counts()` (works.listing.facets) answers the sidebar's "top 10 tags of each type in
the current result" with one grouped query.

Crossover: a work is a crossover when it is found under two or more *root* fandoms: fandom
filter tags that are not a synonym of another tag and have no meta tag. Sub fandoms of the
same meta fandom therefore make no crossover (their common meta tag is the only root), while
two unrelated fandoms do.

Its choices and limits live in works.listing.options; the queryset it builds in
works.listing.querying; counts and facets in works.listing.counting and works.listing.facets.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from django.db.models import Q
from django.db.models.functions import Lower
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _

from archive.params import MAX_ID, parse_int, parse_ints
from tags.models import Tag
from works.listing.options import (
    DEFAULT_SORT,
    EXCLUDE,
    EXCLUDED_NAMES,
    INCLUDE,
    LANGUAGE_CODES,
    MAX_NUMBER,
    MAX_QUERY_STRING,
    MAX_TAGS,
    MAX_TEXT,
    NAME_FIELDS,
    QUERY_RANGE_ALIASES,
    RANGE_PARAMS,
    SEARCH,
    SORT_ALIASES,
    SORTS,
    TAG_FILTER_TYPES,
)

_RELATIVE_TIME = re.compile(
    r"^\s*(?P<op>[<>]?)\s*(?P<low>\d{1,5})\s*(?:-\s*(?P<high>\d{1,5})\s*)?"
    r"(?P<unit>hour|day|week|month|year)s?(?:\s+ago)?\s*$",
    re.IGNORECASE,
)
_FAR_PAST = dt.datetime(1, 1, 2, tzinfo=dt.UTC)


def _moved(moment: dt.datetime, unit: str, amount: int) -> dt.datetime:
    """`moment` moved `amount` units into the past (months and years keep the day of the
    month where it exists, else the month's last day); the far past when out of range."""
    try:
        if unit in ("hour", "day", "week"):
            return moment - dt.timedelta(**{f"{unit}s": amount})
        months = moment.year * 12 + moment.month - 1 - amount * (12 if unit == "year" else 1)
        year, month = divmod(months, 12)
        day = moment.day
        while True:
            try:
                return moment.replace(year=year, month=month + 1, day=day)
            except ValueError:
                if day <= 28:
                    raise
                day -= 1
    except (ValueError, OverflowError):
        return _FAR_PAST


def _period(moment: dt.datetime, unit: str) -> tuple[dt.datetime, dt.datetime]:
    """The calendar hour, day, week (from Monday), month or year holding `moment`."""
    start = moment.replace(minute=0, second=0, microsecond=0)
    if unit != "hour":
        start = start.replace(hour=0)
    if unit == "week":
        start -= dt.timedelta(days=start.weekday())
    elif unit == "month":
        start = start.replace(day=1)
    elif unit == "year":
        start = start.replace(month=1, day=1)
    if unit in ("hour", "day", "week"):
        end = start + dt.timedelta(**{f"{unit}s": 1})
    elif unit == "month":
        end = _moved(start, "month", -1)
    else:
        end = _moved(start, "year", -1)
    return start, end - dt.timedelta(microseconds=1)


def relative_time_bounds(text: str, now: dt.datetime):
    """(after, before) for AO3's relative dates, both inclusive, None for either open end:
    "< 2 weeks" is within the last two weeks, "> 2 weeks" longer ago, "1-3 months" between
    three and one months ago, "2 weeks ago" the calendar week two weeks back. None when the
    text is not such a time."""
    match = _RELATIVE_TIME.match(text.replace("&gt;", ">").replace("&lt;", "<"))
    if match is None:
        return None
    unit, low = match["unit"].lower(), int(match["low"])
    now = timezone.localtime(now)
    if match["high"] is not None:
        high = int(match["high"])
        return _moved(now, unit, max(low, high)), _moved(now, unit, min(low, high))
    if match["op"] == "<":
        return _moved(now, unit, low), None
    if match["op"] == ">":
        return None, _moved(now, unit, low)
    return _period(_moved(now, unit, low), unit)


_RANGE_TEXT = re.compile(
    r"^\s*(<=|>=|<|>|=)?\s*([0-9]{1,12})\s*(?:-\s*([0-9]{1,12}))?\s*$", re.ASCII
)
_QUERY_OPERATOR = re.compile(
    r"(?<![\w-])(?P<name>[a-z_]+)\s*(?P<op><=|>=|<|>|=|:)\s*"
    r"(?P<value>[0-9]{1,12}(?:\s*-\s*[0-9]{1,12})?|[a-z_]+(?::(?:asc|desc))?)(?![\w-])",
    re.IGNORECASE,
)


def _param(name: str) -> str:
    return f"{SEARCH}[{name}]"


@dataclass
class WorkFilter:
    """A validated filter. `values` keeps what the reader typed (capped) for the form;
    `notices` and `errors` (per field) explain what was ignored."""

    sort_column: str = DEFAULT_SORT
    sort_direction: str = ""  # "asc", "desc" or "" (the column's default)
    sort_given: bool = False
    include: dict[str, list[int]] = field(default_factory=dict)  # key -> tag ids
    exclude: dict[str, list[int]] = field(default_factory=dict)
    include_names: list[str] = field(default_factory=list)
    exclude_names: list[str] = field(default_factory=list)
    crossover: str = ""  # "" any, "T" only crossovers, "F" no crossovers
    complete: str = ""  # "" any, "T" complete, "F" in progress
    single_chapter: bool = False
    ranges: dict[str, list[int | None]] = field(default_factory=dict)  # name -> [low, high]
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    # AO3's "Date updated" (work_search[revised_at]: "< 2 weeks", "1-3 months", "1 year ago"):
    # inclusive bounds on the update time.
    revised_after: dt.datetime | None = None
    revised_before: dt.datetime | None = None
    language: str = ""
    query: str = ""  # free text left after the operators
    title: str = ""
    creators: str = ""
    values: dict[str, str] = field(default_factory=dict)
    notices: list[str] = field(default_factory=list)
    errors: dict[str, str] = field(default_factory=dict)
    ignored: bool = False  # the whole query string was too long

    # Tags resolved by resolve_tags(): id -> Tag, plus the ids behind typed names.
    tags: dict[int, Tag] = field(default_factory=dict)
    include_name_ids: list[int] = field(default_factory=list)
    exclude_name_ids: list[int] = field(default_factory=list)
    # The listing's own tag (/tags/<tag>/works): included like a ticked tag, not shown.
    within_ids: list[int] = field(default_factory=list)

    @classmethod
    def from_query(cls, query: QueryDict, *, query_string: str = "") -> WorkFilter:
        f = cls()
        if len(query_string) > MAX_QUERY_STRING:
            f.ignored = True
            f.notices.append(
                _("Your filter options were too long and have been ignored. Please try again.")
            )
            return f
        f._read_sort(query)
        f._read_tag_ids(query)
        f._read_names(query)
        f._read_choices(query)
        f._read_numbers(query)
        f._read_dates(query)
        f._read_text(query)
        return f

    # Reading each part of the query -----------------------------------------------------

    def _text(self, query: QueryDict, name: str) -> str:
        value = query.get(_param(name), "")
        if not isinstance(value, str):
            return ""
        if len(value) > MAX_TEXT:
            self.errors[name] = _("This field is limited to %(max)s characters.") % {
                "max": MAX_TEXT
            }
            value = value[:MAX_TEXT]
        self.values[name] = value
        return value.strip()

    def _read_sort(self, query):
        column = self._text(query, "sort_column")
        if column:
            if column in SORTS:
                self.sort_column, self.sort_given = column, True
            else:
                self.errors["sort_column"] = _("Unknown sort order; sorted by date updated.")
        direction = self._text(query, "sort_direction").lower()
        if direction in ("asc", "desc"):
            self.sort_direction = direction
        elif direction:
            self.errors["sort_direction"] = _("Unknown sort direction; ignored.")

    def _read_tag_ids(self, query):
        bad = False
        for prefix, target in ((INCLUDE, self.include), (EXCLUDE, self.exclude)):
            for tag_filter in TAG_FILTER_TYPES:
                raw = query.getlist(f"{prefix}[{tag_filter.key}][]")
                raw += query.getlist(f"{prefix}[{tag_filter.key}]")
                ids, bad_ids = parse_ints(
                    (value.strip() for value in raw[: MAX_TAGS * 2]), minimum=1, maximum=MAX_NUMBER
                )
                bad = bad or bad_ids
                if len(raw) > MAX_TAGS * 2 or len(ids) > MAX_TAGS:
                    bad = True
                if ids:
                    target[tag_filter.key] = ids[:MAX_TAGS]
        # AO3's advanced search sends a single rating id.
        rating = self._text(query, "rating_ids")
        if rating:
            rating_id = parse_int(rating, minimum=1, maximum=MAX_NUMBER)
            if rating_id is not None:
                self.include.setdefault("rating_ids", []).append(rating_id)
            else:
                bad = True
        if bad:
            self.notices.append(_("Some tag filters were not valid and have been ignored."))

    def _split_names(self, name: str, value: str) -> list[str]:
        names = [n.strip() for n in value.split(",") if n.strip()]
        if len(names) > MAX_TAGS:
            self.errors[name] = _("Please enter at most %(max)s tags.") % {"max": MAX_TAGS}
            names = names[:MAX_TAGS]
        return names

    def _read_names(self, query):
        for name in NAME_FIELDS:
            self.include_names += self._split_names(name, self._text(query, name))
        self.exclude_names = self._split_names(EXCLUDED_NAMES, self._text(query, EXCLUDED_NAMES))

    def _read_choices(self, query):
        for name in ("crossover", "complete"):
            value = self._text(query, name).upper()
            if value in ("T", "F", ""):
                setattr(self, name, value)
            elif value in ("TRUE", "1", "YES"):
                setattr(self, name, "T")
            elif value in ("FALSE", "0", "NO"):
                setattr(self, name, "F")
            else:
                self.errors[name] = _("Unknown choice; ignored.")
        single = self._text(query, "single_chapter")
        self.single_chapter = single in ("1", "true", "T")
        language = self._text(query, "language_id")
        if language in LANGUAGE_CODES:
            self.language = language
        elif language:
            self.errors["language_id"] = _("Unknown language; ignored.")

    def _set_range(self, name: str, op: str, low: int, high: int | None, field_name: str):
        bounds = self.ranges.setdefault(name, [None, None])
        if high is not None:
            bounds[0], bounds[1] = min(low, high), max(low, high)
        elif op in (">", ">="):
            bounds[0] = low + 1 if op == ">" else low
        elif op in ("<", "<="):
            if op == "<" and low == 0:
                self.errors[field_name] = _("Nothing is smaller than 0; ignored.")
                return
            bounds[1] = low - 1 if op == "<" else low
        else:
            bounds[0] = bounds[1] = low

    def _number(self, name: str, value: str) -> int | None:
        value = value.replace(",", "").strip()
        if not value:
            return None
        number = parse_int(value, maximum=MAX_NUMBER)
        if number is None:
            self.errors[name] = _("Please enter a whole number of 0 or more.")
        return number

    def _read_numbers(self, query):
        for name in ("words_from", "words_to"):
            number = self._number(name, self._text(query, name))
            if number is not None:
                bounds = self.ranges.setdefault("words", [None, None])
                bounds[0 if name == "words_from" else 1] = number
        for param, range_name in RANGE_PARAMS.items():
            value = self._text(query, param)
            if not value:
                continue
            match = _RANGE_TEXT.match(value.replace(",", ""))
            op, low, high = match.groups() if match else (None, None, None)
            low, high = parse_int(low, maximum=MAX_NUMBER), parse_int(high, maximum=MAX_NUMBER)
            if low is None or (match[3] and high is None):
                self.errors[param] = _('Please enter a number or a range such as "1000-5000".')
                continue
            self._set_range(range_name, op or "=", low, high, param)

    def _date(self, name: str) -> dt.date | None:
        value = self.values.get(name, "").strip()
        if not value:
            return None
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            self.errors[name] = _("Please enter a date as YYYY-MM-DD.")
            return None

    def _read_dates(self, query):
        self._text(query, "date_from")
        self._text(query, "date_to")
        self.date_from, self.date_to = self._date("date_from"), self._date("date_to")
        if self.date_from and self.date_to and self.date_from > self.date_to:
            self.date_from, self.date_to = self.date_to, self.date_from
        text = self._text(query, "revised_at")
        if text:
            bounds = relative_time_bounds(text, timezone.now())
            if bounds is None:
                self.errors["revised_at"] = _(
                    'Please enter a time such as "< 2 weeks", "1-3 months" or "1 year ago".'
                )
            else:
                self.revised_after, self.revised_before = bounds

    def _read_text(self, query):
        self.title = self._text(query, "title")
        self.creators = self._text(query, "creators")
        text = self._text(query, "query")
        self.query = self._read_operators(text)

    def _read_operators(self, text: str) -> str:
        """Take `words>1000`, `kudos>=10`, `hits<500`, `words:1000-5000` and `sort:kudos`
        out of the query box; what is left is free text."""
        if not text:
            return ""

        def take(match):
            name, op, value = match["name"].lower(), match["op"], match["value"].lower()
            if name == "sort" and op == ":":
                column, _sep, direction = value.partition(":")
                if column in SORT_ALIASES:
                    self.sort_column, self.sort_given = SORT_ALIASES[column], True
                    if direction:
                        self.sort_direction = direction
                    return " "
                return match[0]
            low_text, _sep, high_text = value.replace(" ", "").partition("-")
            low = parse_int(low_text, maximum=MAX_ID)
            if name in QUERY_RANGE_ALIASES and low is not None:
                high = parse_int(high_text, maximum=MAX_NUMBER) if high_text else None
                if low > MAX_NUMBER or (high_text and high is None):
                    self.errors["query"] = _("Numbers in the query are too large; ignored.")
                    return " "
                self._set_range(
                    QUERY_RANGE_ALIASES[name], "=" if op == ":" else op, low, high, "query"
                )
                return " "
            return match[0]

        return " ".join(_QUERY_OPERATOR.sub(take, text).split())

    # Tags -----------------------------------------------------------------------------

    def tag_ids(self) -> set[int]:
        return {i for ids in (*self.include.values(), *self.exclude.values()) for i in ids}

    def resolve_tags(self) -> None:
        """One query: the tags behind the ids and names. Unknown ids and names are dropped
        with a notice; a synonym stands for its canonical tag."""
        ids, names = self.tag_ids(), {n.lower() for n in self.include_names + self.exclude_names}
        if not ids and not names:
            return
        found = Tag.objects.annotate(name_lower=Lower("name")).filter(
            Q(pk__in=ids) | Q(name_lower__in=names)
        )
        by_lower = {}
        for tag in found.select_related("merger"):
            self.tags[tag.pk] = tag
            by_lower[tag.name.lower()] = tag
        for target in (self.include, self.exclude):
            for key in list(target):
                known = [i for i in target[key] if i in self.tags]
                if len(known) < len(target[key]):
                    self.notices.append(_("Some tags you filtered on do not exist; ignored."))
                target[key] = known
        for names_in, ids_out, field_name in (
            (self.include_names, self.include_name_ids, "other_tag_names"),
            (self.exclude_names, self.exclude_name_ids, EXCLUDED_NAMES),
        ):
            unknown = []
            for name in names_in:
                tag = by_lower.get(name.lower())
                if tag is None:
                    unknown.append(name)
                    continue
                canonical = tag.merger if tag.merger_id else tag
                self.tags.setdefault(canonical.pk, canonical)
                ids_out.append(canonical.pk)
            if unknown:
                self.errors.setdefault(
                    field_name,
                    _("No tag named %(names)s; ignored.") % {"names": ", ".join(unknown)[:200]},
                )

    def included_ids(self) -> list[int]:
        ids = [i for key_ids in self.include.values() for i in key_ids] + self.include_name_ids
        return list(dict.fromkeys(self._canonical(i) for i in ids))

    def required_ids(self) -> list[int]:
        """Tags every listed work is found under: the listing's own tag and those included."""
        return list(dict.fromkeys([*self.within_ids, *self.included_ids()]))

    def excluded_ids(self) -> list[int]:
        ids = [i for key_ids in self.exclude.values() for i in key_ids] + self.exclude_name_ids
        return list(dict.fromkeys(self._canonical(i) for i in ids))

    def _canonical(self, tag_id: int) -> int:
        tag = self.tags.get(tag_id)
        return tag.merger_id if tag is not None and tag.merger_id else tag_id

    # For the form -----------------------------------------------------------------------

    @property
    def all_notices(self) -> list[str]:
        return list(dict.fromkeys([*self.notices, *self.errors.values()]))

    @property
    def is_filtered(self) -> bool:
        return bool(
            self.tag_ids()
            or self.include_names
            or self.exclude_names
            or self.crossover
            or self.complete
            or self.single_chapter
            or self.ranges
            or self.date_from
            or self.date_to
            or self.revised_after
            or self.revised_before
            or self.language
            or self.query
            or self.title
            or self.creators
            or self.sort_given
        )

    def descending(self) -> bool:
        if self.sort_direction:
            return self.sort_direction == "desc"
        return SORTS[self.sort_column].descending
