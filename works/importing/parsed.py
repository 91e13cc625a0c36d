"""What an importer understood of one work, before anything is saved.

Every source (an AO3 HTML or EPUB download, a work page fetched by URL, FanFiction.Net-style
text, an eFiction dump) is read into these plain objects; the import service
(works/services/imports.py) turns them into a work through the posting services, so an
imported work is rendered and sanitised exactly like a typed one. Text fields hold what the
posting form would hold: Markdown or HTML, never pre-rendered output.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field


@dataclass
class ParsedChapter:
    body: str
    title: str = ""
    summary: str = ""
    notes: str = ""
    endnotes: str = ""
    published: datetime.date | None = None


@dataclass
class ParsedSeries:
    title: str
    position: int | None = None
    url: str = ""


@dataclass
class ParsedWork:
    title: str
    chapters: list[ParsedChapter]
    summary: str = ""
    notes: str = ""
    endnotes: str = ""
    # Tag names by tags.types.TagType value ("rating", "warning", "category", "fandom",
    # "relationship", "character", "freeform"), in the source's order.
    tags: dict[str, list[str]] = field(default_factory=dict)
    # A language code of works/languages.py ("es") or the language's name as the source
    # shows it ("Español", "Spanish"); the import service maps it (languages.language_code).
    language: str = ""
    # The creators' names as the source credits them, in order.
    creators: list[str] = field(default_factory=list)
    recipients: list[str] = field(default_factory=list)
    series: list[ParsedSeries] = field(default_factory=list)
    collections: list[str] = field(default_factory=list)
    published: datetime.date | None = None
    updated: datetime.date | None = None
    # Chapters the source says the work will have ("3/10" gives 10; None when "?").
    expected_chapters: int | None = None
    complete: bool | None = None
    # The word count the source states (the archive counts its own when posting).
    words: int | None = None
    source_url: str = ""
    # What the importer could not keep as it was, shown to the person importing
    # ("tag 'a,b' renamed 'a b'", "no rating given: Not Rated").
    warnings: list[str] = field(default_factory=list)
    # What the importer guessed rather than read from a labelled place ("summary taken from
    # line 2"), shown so the person importing can check it before posting.
    guesses: list[str] = field(default_factory=list)


class SourceUnreadable(ValueError):
    """A file or page no importer can read (not an EPUB, no work in it, too large once
    unpacked). Its message is shown to the person importing, next to the file's name."""
