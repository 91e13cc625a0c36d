"""A story as FanFiction.Net-era writers keep it, in plain text or HTML, read into a
ParsedWork: its first lines are the title (and perhaps "by Author"), then the summary, often
with an author's note run into it ("A/N: first fic, be nice! R&R!", "Disclaimer: ..."); its
chapters start at headings such as "Chapter 3", "Chapter 3: The Storm", "Ch. 3", "Chapter
Three", "Prologue" or "Epilogue".

None of that is marked up, so much of it is guessed. Every guess is listed in
`ParsedWork.guesses` ("The summary was guessed from line 2.") and every problem in
`warnings`, for the review form (works/forms/import_review.py) where the author checks and
fixes what was understood before anything is posted. Text fields hold HTML paragraphs
(`<p>`), which the posting services render and sanitise (works/rendering.py).

`parse_story(text, html_input=None)` is the entry point; works/importing/text_blocks.py cuts
the text into paragraphs first.
"""

from __future__ import annotations

import datetime
import html
import re

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from works.importing.chapter_headings import chapter_heading
from works.importing.parsed import ParsedChapter, ParsedWork
from works.importing.text_blocks import Block, blocks
from works.languages import LANGUAGES

LABEL = re.compile(
    r"^[\[(]?\s*(title|author|written by|by|summary|rating|rated|disclaimer|a/n|an(?=\s*:)|"
    r"author'?s notes?|authors? notes?|notes?|warnings?|fandoms?|characters?|pairings?|genres?)"
    r"\s*[:\-–—]\s*(.*?)[\])]?$",
    re.I | re.S,
)
BYLINE = re.compile(r"^(?:written\s+)?by\s+(\S.{0,80})$", re.I)
NOTE_LABELS = {"disclaimer", "a/n", "an", "note", "notes", "warning", "warnings"}
NOTE_IN_TEXT = re.compile(r"[\[(]?\s*\b(A/N|Author'?s Note|Authors? Notes?|Disclaimer)\s*:", re.I)
REVIEW_PLEA = re.compile(
    r"\b(R\s*(&amp;|&|and)\s*R|read (and|&amp;|&) review|please review)\b", re.I
)
FFN_RATINGS = {
    "k": "General Audiences",
    "k+": "General Audiences",
    "t": "Teen And Up Audiences",
    "m": "Mature",
    "ma": "Explicit",
}
AO3_RATINGS = ["General Audiences", "Teen And Up Audiences", "Mature", "Explicit", "Not Rated"]
# Languages by the names FanFiction.Net and this archive give them.
LANGUAGE_CODES = {name.casefold(): code for code, name in LANGUAGES} | {
    "english": "en",
    "spanish": "es",
    "french": "fr",
    "german": "de",
    "italian": "it",
    "portuguese": "pt-BR",
    "dutch": "nl",
    "russian": "ru",
    "polish": "pl",
    "japanese": "ja",
    "chinese": "zh",
}
TITLE_MAX = 200
SUMMARY_GUESS_MAX = 1000


def parse_story(text: str, *, html_input: bool | None = None) -> ParsedWork:
    found, noticed = blocks(text, html_input=html_input)
    work = ParsedWork(title="", chapters=[])
    if noticed.get("joined"):
        work.guesses.append(_("Lines wrapped at a fixed width were joined into paragraphs."))
    headings = [i for i, block in enumerate(found) if chapter_heading(block) is not None]
    headings = _without_contents_list(found, headings, work)
    header = found[: headings[0]] if headings else found
    body_start = _read_header(header, work, has_headings=bool(headings))
    if not work.title and noticed.get("title"):
        work.title = noticed["title"][:TITLE_MAX]
        work.guesses.append(_("The title was taken from the page's title."))
    if not work.title:
        work.warnings.append(_("No title was found: please enter one."))
    if headings:
        prologue = header[body_start:]
        if prologue:
            work.chapters.append(_chapter(prologue, title=""))
            work.guesses.append(
                _("The text before the first chapter heading became a chapter of its own.")
            )
        ends = headings[1:] + [len(found)]
        for start, end in zip(headings, ends, strict=True):
            _number, title = chapter_heading(found[start])
            work.chapters.append(_chapter(found[start + 1 : end], title=title))
        work.guesses.append(
            ngettext(
                "%(count)d chapter was found by its heading.",
                "%(count)d chapters were found by their headings.",
                len(headings),
            )
            % {"count": len(headings)}
        )
        _check_numbers([chapter_heading(found[i])[0] for i in headings], work)
    else:
        work.chapters.append(_chapter(header[body_start:], title=""))
        if work.chapters[0].body:
            work.guesses.append(_("No chapter headings were found: the text is one chapter."))
        chapter = work.chapters[0]  # a one-shot's notes are the work's
        work.notes = _join(work.notes, chapter.notes)
        work.endnotes, chapter.notes, chapter.endnotes = chapter.endnotes, "", ""
    for position, chapter in enumerate(work.chapters, start=1):
        if not chapter.body:
            work.warnings.append(_("Chapter %(number)d has no text.") % {"number": position})
    if any(c.notes or c.endnotes for c in work.chapters) or work.endnotes:
        work.guesses.append(_("Author's notes at the start or end of a chapter became its notes."))
    return work


# --- the header: title, author, summary, notes ------------------------------------------------


def _read_header(header: list[Block], work: ParsedWork, *, has_headings: bool) -> int:
    """Read title, author, rating, summary and notes from the first blocks; return the index
    of the first block that is the story's text."""
    i, summary_line, title_run = 0, None, -1
    notes: list[str] = []
    while i < len(header):
        block = header[i]
        label = (
            LABEL.match(block.text) if block.kind != "element" or len(block.text) < 300 else None
        )
        byline = BYLINE.match(block.text) if work.title and not work.creators else None
        if block.kind == "break":
            i += 1
            if work.title:  # a scene break after the header's lines ends the header
                break
            continue
        if label:
            name, value = label.group(1).lower(), label.group(2).strip()
            if not _read_label(name, value, block, work, notes):
                break
        elif byline and len(block.text) <= 100:
            work.creators = [byline.group(1).strip()]
        elif not work.title and len(block.text) <= TITLE_MAX:
            work.title, title_run = block.text, block.run
            work.guesses.append(_("The title was taken from line %(line)d.") % {"line": block.line})
        elif (
            work.title
            and not (work.summary or notes)
            and _may_be_summary(header, i, has_headings, title_run)
        ):
            work.summary = block.html
            summary_line = block.line
        elif has_headings and work.title and _short_header(header, i):
            notes.append(block.html)
            work.guesses.append(_("Line %(line)d was put in the notes.") % {"line": block.line})
        else:
            break
        i += 1
    if summary_line is not None:
        work.guesses.append(
            _("The summary was guessed from line %(line)d.") % {"line": summary_line}
        )
    _split_summary(work, notes)
    work.notes = _join(work.notes, *notes)
    return i


def _read_label(name: str, value: str, block: Block, work: ParsedWork, notes: list) -> bool:
    """Use one labelled line; False when it is not header material after all."""
    value_html = _after_label(block, name)
    if name == "title" and not work.title:
        work.title = value[:TITLE_MAX]
    elif name in ("author", "by", "written by"):
        work.creators = [value] if value else work.creators
    elif name == "summary":
        work.summary = _join(work.summary, value_html)
    elif name in ("rating", "rated"):
        _read_rating(value, work)
    elif name in NOTE_LABELS or name.startswith(("author", "authors")):
        notes.append(block.html)
    elif name.startswith("fandom"):
        work.tags["fandom"] = _names(value, ",")
    elif name.startswith("character"):
        work.tags["character"] = _names(value, ",")
    elif name.startswith("pairing"):
        work.tags["relationship"] = _names(value, ",")
    elif name.startswith("genre"):
        work.tags["freeform"] = _names(value, "/,")
    else:
        return False
    return True


def _read_rating(value: str, work: ParsedWork) -> None:
    """ "Rated: T", or FanFiction.Net's whole line of details: "Rated: Fiction T - English -
    Drama - Chapters: 3 - Words: 5,120 - Updated: 5/1/2015 - Published: 1/2/2014 - Status:
    Complete"."""
    first, *details = [part.strip() for part in value.split(" - ")]
    words = first.split()
    code = words[-1].strip(".,;").lower() if words else ""
    rating = FFN_RATINGS.get(code) or next(
        (name for name in AO3_RATINGS if name.lower() == first.lower()), ""
    )
    if rating:
        work.tags["rating"] = [rating]
        if rating.lower() != first.lower():
            work.guesses.append(
                _("The rating “%(rating)s” was read as %(ao3)s.")
                % {"rating": words[-1], "ao3": rating}
            )
    else:
        work.warnings.append(
            _("The rating “%(rating)s” is not one the archive knows: choose one.")
            % {"rating": first}
        )
    chapters = None
    for part in details:
        name, _colon, detail = part.partition(":")
        name, detail = name.strip().lower(), detail.strip()
        if not _colon and name.casefold() in LANGUAGE_CODES:
            work.language = LANGUAGE_CODES[name.casefold()]
        elif name == "chapters" and detail.isdigit():
            chapters = int(detail)
        elif name == "words" and detail.replace(",", "").isdigit():
            work.words = int(detail.replace(",", ""))
        elif name in ("published", "updated"):
            setattr(work, name, _us_date(detail))
        elif name == "status":
            work.complete = detail.lower() == "complete"
    if work.complete and chapters:
        work.expected_chapters = chapters


def _us_date(value: str) -> datetime.date | None:
    """FanFiction.Net's month/day/year ("5/1/2015"); None for anything else ("3h ago")."""
    month, _slash, rest = value.partition("/")
    day, _slash, year = rest.partition("/")
    try:
        return datetime.date(int(year), int(month), int(day))
    except ValueError:
        return None


def _may_be_summary(header: list[Block], i: int, has_headings: bool, title_run: int) -> bool:
    """Whether an unlabelled block after the title is the summary. Before a chapter heading,
    yes; in a one-shot only when the header's lines stand apart from the story: the block is
    followed by a scene break, or it shares the title's lines and a blank line follows them."""
    block = header[i]
    if len(block.text) > SUMMARY_GUESS_MAX:
        return False
    if has_headings:
        return True
    after = [b for b in header[i + 1 :] if not LABEL.match(b.text)]
    if after and after[0].kind == "break":
        return True
    same_run = [b for b in header[i + 1 :] if b.run == block.run]
    return (
        block.run == title_run
        and all(LABEL.match(b.text) for b in same_run)
        and any(b.run != block.run for b in after)
    )


def _short_header(header: list[Block], i: int) -> bool:
    """Left-over lines before the first heading are notes when few, else a prologue."""
    rest = header[i:]
    return len(rest) <= 3 and sum(len(b.text) for b in rest) <= 1500


def _split_summary(work: ParsedWork, notes: list) -> None:
    """An author's note run into the summary goes to the notes."""
    if not work.summary:
        return
    inner = _unwrap(work.summary)
    match = NOTE_IN_TEXT.search(inner)
    if match is None:
        plea = REVIEW_PLEA.search(inner)
        if plea is None:
            return
        # The last sentence with the plea ("Please R&R!") is a note.
        starts = [m.end() for m in re.finditer(r"[.!?]\s+", inner[: plea.start()])]
        cut = starts[-1] if starts else 0
        if cut == 0:
            return
    else:
        cut = match.start()
    summary, note = inner[:cut].strip(), inner[cut:].strip()
    if not summary:
        return
    work.summary = f"<p>{summary}</p>"
    notes.insert(0, f"<p>{note}</p>")
    start = html.unescape(re.sub(r"<[^>]*>", "", note))[:30]
    work.guesses.append(
        _("An author's note in the summary (from “%(start)s”) was moved to the notes.")
        % {"start": start}
    )


# --- chapters --------------------------------------------------------------------------------


def _without_contents_list(found: list[Block], headings: list[int], work: ParsedWork):
    """Headings listed one after another at the top, repeated later, are a list of contents."""
    dropped = 0
    while len(headings) > 1 and headings[1] == headings[0] + 1:
        if chapter_heading(found[headings[0]]) not in [
            chapter_heading(found[i]) for i in headings[1:]
        ]:
            break
        del found[headings[0]]
        headings = [i - 1 for i in headings[1:]]
        dropped += 1
    if dropped:
        work.guesses.append(_("A list of chapters at the top was left out."))
    return headings


def _chapter(body: list[Block], *, title: str) -> ParsedChapter:
    body = list(body)
    while body and body[0].kind == "break":
        body.pop(0)
    while body and body[-1].kind == "break":
        body.pop()
    notes, endnotes = [], []
    while len(body) > 1 and _is_note(body[0]):
        notes.append(body.pop(0).html)
    while len(body) > 1 and _is_note(body[-1]):
        endnotes.insert(0, body.pop().html)
    while body and body[-1].kind == "break":
        body.pop()
    while body and body[0].kind == "break":
        body.pop(0)
    return ParsedChapter(
        body="\n\n".join(block.html for block in body),
        title=title,
        notes=_join(*notes),
        endnotes=_join(*endnotes),
    )


def _is_note(block: Block) -> bool:
    label = LABEL.match(block.text)
    if label is None:
        return False
    name = label.group(1).lower()
    return name in NOTE_LABELS or name.startswith(("author's", "authors", "author note"))


def _check_numbers(numbers: list, work: ParsedWork) -> None:
    counted = [n for n in numbers if n is not None]
    for before, after in zip(counted, counted[1:], strict=False):
        if after != before + 1:
            work.warnings.append(
                _("The chapter headings go from %(before)d to %(after)d: is a chapter missing?")
                % {"before": before, "after": after}
            )


# --- small helpers ---------------------------------------------------------------------------


def _after_label(block: Block, label: str) -> str:
    """A labelled block's HTML without its label ("Summary: ", "<b>Summary:</b> ")."""
    inner = _unwrap(block.html)
    match = re.match(
        r"^\s*(?:<(?!/)[^>]*>\s*)*[\[(]?\s*" + re.escape(label) + r"\s*[:\-–—]\s*(?:</[^>]+>\s*)*",
        inner,
        re.I,
    )
    rest = inner[match.end() :] if match else inner
    return f"<p>{rest.strip()}</p>" if rest.strip() else ""


def _unwrap(markup: str) -> str:
    """The inside of a single paragraph's HTML (`<p ...>inside</p>`), else the HTML itself."""
    match = re.fullmatch(r"<p\b[^>]*>(.*)</p>", markup, re.S)
    if match and "<p" not in match.group(1):
        return match.group(1)
    return markup


def _names(value: str, separators: str) -> list[str]:
    names = re.split("[" + re.escape(separators) + "]", value)
    return [" ".join(name.split()) for name in names if name.strip()]


def _join(*parts: str) -> str:
    return "\n\n".join(part for part in parts if part)
