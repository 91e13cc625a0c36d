"""An eFiction 3.5 archive read from its MySQL dump (works/importing/sqldump.py).

`read_archive(text, prefix=, stories_dir=)` answers an `EfictionArchive`: the authors (pen
name and email), the stories in id order, each read into a `ParsedWork` (parsed.py) with its
tags, and the series with their parts. Nothing is saved here; works/services/archive_imports.py
posts the stories through the posting services.

The tables read (with the archive's table prefix, "fanfiction_" by default): stories,
chapters, authors, coauthors, categories, characters, classes, classtypes, ratings, series,
inseries. How eFiction's fields become ours (docs/decisions.md, "Importing an eFiction
archive"):

- a story's categories → fandom tags; its characters → character tags;
- its classes (genres, warnings and any other class type the archive made) → additional
  (freeform) tags, except a class whose name is one of our archive warnings or categories
  ("Major Character Death", "F/M"), which becomes that warning or category;
- its rating → our rating of the same name; any other rating name → Not Rated and an
  additional tag "Rating: <name>", with a note;
- the archive warning is "Creator Chose Not To Use Archive Warnings" unless a class named
  one of ours: the old archive's authors never chose among AO3's warnings;
- chapters in their `inorder`, text from `storytext` or from `<stories_dir>/<uid>/<chapid>.txt`
  (eFiction's "files" storage); stories or chapters not validated on the old archive are
  left out (the report says so).

Tag names our archive refuses (too long, or holding , ^ * < > { } = ` \\ %) are made legal by
`legal_tag_name` and the change noted in the work's `warnings`, never dropped in silence.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from pathlib import Path

from tags.fixed import CATEGORIES, RATINGS, WARNINGS
from tags.models import TAG_NAME_FORBIDDEN, TAG_NAME_MAX_LENGTH, TagType
from works.importing.parsed import ParsedChapter, ParsedSeries, ParsedWork
from works.importing.sqldump import read_tables

DEFAULT_PREFIX = "fanfiction_"
TABLES = (
    "stories",
    "chapters",
    "authors",
    "coauthors",
    "categories",
    "characters",
    "classes",
    "classtypes",
    "ratings",
    "series",
    "inseries",
)
NO_WARNINGS_CHOSEN = "Creator Chose Not To Use Archive Warnings"
NOT_RATED = "Not Rated"
_FORBIDDEN = re.compile("[" + re.escape(TAG_NAME_FORBIDDEN) + "]")
_SPACES = re.compile(r"\s+")


@dataclass
class EfictionAuthor:
    uid: int
    penname: str
    email: str = ""


@dataclass
class EfictionStory:
    sid: int
    uid: int
    work: ParsedWork
    coauthor_uids: list[int] = field(default_factory=list)
    # Why it cannot be imported ("not validated on the old archive"), or "".
    skip_reason: str = ""
    # The old archive's Updated stamp with its time (ParsedWork keeps the date alone).
    updated_at: datetime.datetime | None = None


@dataclass
class EfictionSeries:
    seriesid: int
    title: str
    summary: str
    uid: int
    # Story ids in the series' order.
    parts: list[int] = field(default_factory=list)


@dataclass
class EfictionArchive:
    authors: dict[int, EfictionAuthor]
    stories: list[EfictionStory]
    series: dict[int, EfictionSeries]

    def story_ids(self) -> list[int]:
        return [story.sid for story in self.stories]


def legal_tag_name(name: str) -> tuple[str, str]:
    """(a name our tags accept, a note saying what changed or ""). Forbidden characters
    become spaces, runs of space one, and a name too long is cut at a word. A name left
    empty answers ("", note): the caller drops it, and the note says so."""
    original = _SPACES.sub(" ", name or "").strip()
    legal = _SPACES.sub(" ", _FORBIDDEN.sub(" ", original)).strip()
    if len(legal) > TAG_NAME_MAX_LENGTH:
        cut = legal[: TAG_NAME_MAX_LENGTH + 1].rsplit(" ", 1)[0]
        legal = (cut if len(cut) > TAG_NAME_MAX_LENGTH // 2 else legal)[:TAG_NAME_MAX_LENGTH]
        legal = legal.strip()
    if legal == original:
        return legal, ""
    if not legal:
        return "", f"tag {original!r} has no character a tag may hold: left out"
    return legal, f"tag {original!r} renamed {legal!r}"


def _ids(value) -> list[int]:
    """eFiction's comma-separated id lists ("3,10,16"), as ints in their order."""
    found = []
    for part in str(value if value is not None else "").split(","):
        part = part.strip()
        if part.lstrip("-").isdigit() and int(part) > 0 and int(part) not in found:
            found.append(int(part))
    return found


def _text(value) -> str:
    """A text column as the posting form would hold it: Unix line ends, no NUL characters
    (the archive's request middleware takes them out of typed text too), stripped."""
    if value is None:
        return ""
    return str(value).replace("\x00", "").replace("\r\n", "\n").strip()


def _datetime(value) -> datetime.datetime | None:
    """A MySQL DATETIME ("2006-02-09 22:21:35"; the zero date is None), read as UTC."""
    text = _text(value)
    if not text or text.startswith("0000"):
        return None
    try:
        moment = datetime.datetime.fromisoformat(text[:19])
    except ValueError:
        return None
    return moment.replace(tzinfo=datetime.UTC)


def _flag(value) -> bool:
    return _text(value) == "1"


class _Lookups:
    """The archive's names: categories, characters, classes by type, ratings."""

    def __init__(self, tables: dict[str, list[dict]]):
        self.categories = {row["catid"]: _text(row.get("category")) for row in tables["categories"]}
        self.characters = {
            row["charid"]: _text(row.get("charname")) for row in tables["characters"]
        }
        self.classtypes = {
            row["classtype_id"]: _text(row.get("classtype_name") or row.get("classtype_title"))
            for row in tables["classtypes"]
        }
        self.classes = {
            row["class_id"]: (_text(row.get("class_name")), row.get("class_type"))
            for row in tables["classes"]
        }
        self.ratings = {row["rid"]: _text(row.get("rating")) for row in tables["ratings"]}


def _add(tags: dict[str, list[str]], tag_type: str, name: str, warnings: list[str]) -> None:
    legal, note = legal_tag_name(name)
    if note:
        warnings.append(note)
    names = tags.setdefault(tag_type, [])
    if legal and legal.lower() not in {n.lower() for n in names}:
        names.append(legal)


def _match(name: str, fixed: list[str]) -> str | None:
    lowered = name.strip().lower()
    return next((option for option in fixed if option.lower() == lowered), None)


def _story_tags(row: dict, lookups: _Lookups, warnings: list[str]) -> dict[str, list[str]]:
    tags: dict[str, list[str]] = {}
    rating_ids = _ids(row.get("rid"))
    rating_name = lookups.ratings.get(rating_ids[0], "") if rating_ids else ""
    ours = _match(rating_name, RATINGS) if rating_name else None
    if ours:
        tags[TagType.RATING] = [ours]
    else:
        tags[TagType.RATING] = [NOT_RATED]
        if rating_name:
            _add(tags, TagType.FREEFORM, f"Rating: {rating_name}", warnings)
            warnings.append(
                f"rating {rating_name!r} is not one of ours: Not Rated, "
                f"tagged 'Rating: {rating_name}'"
            )
        else:
            warnings.append("no rating given: Not Rated")
    for catid in _ids(row.get("catid")):
        if catid in lookups.categories:
            _add(tags, TagType.FANDOM, lookups.categories[catid], warnings)
    for charid in _ids(row.get("charid")):
        if charid in lookups.characters:
            _add(tags, TagType.CHARACTER, lookups.characters[charid], warnings)
    for class_id in _ids(row.get("classes")):
        if class_id not in lookups.classes:
            continue
        name, _type = lookups.classes[class_id]
        warning = _match(name, WARNINGS)
        category = _match(name, CATEGORIES)
        if warning:
            tags.setdefault(TagType.WARNING, []).append(warning)
        elif category:
            tags.setdefault(TagType.CATEGORY, []).append(category)
        else:
            _add(tags, TagType.FREEFORM, name, warnings)
    if not tags.get(TagType.WARNING):
        tags[TagType.WARNING] = [NO_WARNINGS_CHOSEN]
    if not tags.get(TagType.FANDOM):
        warnings.append("no category on the old archive: no fandom tag")
    return tags


def _chapter_text(row: dict, stories_dir: Path | None) -> str | None:
    text = _text(row.get("storytext"))
    if text:
        return text
    if stories_dir is None:
        return None
    path = stories_dir / str(row.get("uid")) / f"{row.get('chapid')}.txt"
    if not path.is_file():
        return None
    data = path.read_bytes()
    try:
        return _text(data.decode("utf-8"))
    except UnicodeDecodeError:
        return _text(data.decode("cp1252", errors="replace"))


def _chapters(rows: list[dict], stories_dir: Path | None, warnings: list[str]):
    """The validated chapters in order, and why the story cannot be imported (or "")."""
    chapters = []
    ordered = sorted(rows, key=lambda r: (r.get("inorder") or 0, r.get("chapid") or 0))
    for row in ordered:
        if "validated" in row and not _flag(row.get("validated")):
            warnings.append(f"chapter {_text(row.get('title'))!r} not validated: left out")
            continue
        text = _chapter_text(row, stories_dir)
        if text is None:
            return [], f"the text of chapter {row.get('chapid')} was not found"
        chapters.append(
            ParsedChapter(
                body=text,
                title=_text(row.get("title")),
                notes=_text(row.get("notes")),
                endnotes=_text(row.get("endnotes")),
            )
        )
    if not chapters:
        return [], "no validated chapter"
    return chapters, ""


def _coauthors(row: dict, coauthor_rows: dict[int, list[int]]) -> list[int]:
    uids = list(coauthor_rows.get(row["sid"], []))
    # Older eFiction versions kept the co-authors' ids in the story row itself.
    if not uids and _text(row.get("coauthors")) not in ("", "0", "1"):
        uids = _ids(row.get("coauthors"))
    return [uid for uid in uids if uid != row.get("uid")]


def read_archive(
    text: str, *, prefix: str = DEFAULT_PREFIX, stories_dir: str | Path | None = None
) -> EfictionArchive:
    """Everything an import needs from the dump `text` (see the module's docstring)."""
    names = {f"{prefix}{table}": table for table in TABLES}
    raw = read_tables(text, names)
    tables = {table: raw[name] for name, table in names.items()}
    directory = Path(stories_dir) if stories_dir else None
    lookups = _Lookups(tables)
    authors = {
        row["uid"]: EfictionAuthor(
            uid=row["uid"], penname=_text(row.get("penname")), email=_text(row.get("email"))
        )
        for row in tables["authors"]
    }
    chapters_of: dict[int, list[dict]] = {}
    for row in tables["chapters"]:
        chapters_of.setdefault(row.get("sid"), []).append(row)
    coauthor_rows: dict[int, list[int]] = {}
    for row in tables["coauthors"]:
        coauthor_rows.setdefault(row.get("sid"), []).append(row.get("uid"))
    series = {
        row["seriesid"]: EfictionSeries(
            seriesid=row["seriesid"],
            title=_text(row.get("title")),
            summary=_text(row.get("summary")),
            uid=row.get("uid") or 0,
        )
        for row in tables["series"]
    }
    places: dict[int, list[tuple[int, int]]] = {}
    for row in sorted(tables["inseries"], key=lambda r: (r.get("inorder") or 0, r.get("sid"))):
        if row.get("seriesid") in series and row.get("sid"):
            series[row["seriesid"]].parts.append(row["sid"])
            places.setdefault(row["sid"], []).append((row["seriesid"], row.get("inorder") or 0))
    stories = []
    for row in sorted(tables["stories"], key=lambda r: r["sid"]):
        stories.append(
            _story(row, lookups, authors, chapters_of, coauthor_rows, series, places, directory)
        )
    return EfictionArchive(authors=authors, stories=stories, series=series)


def _story(row, lookups, authors, chapters_of, coauthor_rows, series, places, directory):
    warnings: list[str] = []
    tags = _story_tags(row, lookups, warnings)
    chapters, skip = _chapters(chapters_of.get(row["sid"], []), directory, warnings)
    if "validated" in row and not _flag(row.get("validated")):
        skip = "not validated on the old archive"
    coauthors = _coauthors(row, coauthor_rows)
    published = _datetime(row.get("date"))
    updated = _datetime(row.get("updated")) or published
    complete = _flag(row.get("completed"))
    work = ParsedWork(
        title=_text(row.get("title")) or f"Story {row['sid']}",
        chapters=chapters,
        summary=_text(row.get("summary")),
        notes=_text(row.get("storynotes")),
        tags=tags,
        creators=[authors[uid].penname for uid in [row.get("uid"), *coauthors] if uid in authors],
        series=[
            ParsedSeries(title=series[seriesid].title, position=position)
            for seriesid, position in places.get(row["sid"], [])
        ],
        published=published.date() if published else None,
        updated=updated.date() if updated else None,
        expected_chapters=len(chapters) if complete and chapters else None,
        complete=complete,
        warnings=warnings,
    )
    if row.get("uid") not in authors:
        skip = skip or f"its author (uid {row.get('uid')}) is not in the authors table"
    return EfictionStory(
        sid=row["sid"],
        uid=row.get("uid"),
        work=work,
        coauthor_uids=[uid for uid in coauthors if uid in authors],
        skip_reason=skip,
        updated_at=updated,
    )
