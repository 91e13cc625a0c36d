"""Importing a work: a ParsedWork (works/importing/parsed.py), read from any source, becomes a
work through the posting services, so it is rendered, sanitised, counted and tagged exactly
like a typed one.

Everything happens in one transaction: a refusal (a title that is too long, a chapter with no
text) leaves nothing behind. What the archive could not keep as the source had it (a tag name
with a forbidden character, an unknown rating) is changed and said, never dropped silently:
each note is appended to `parsed.warnings`, which the returned work also carries as
`work.import_warnings`.

The source's dates are kept: the work's published and updated dates, and the chapters'
published dates (a chapter without one gets the work's published date; the last chapter of
a work updated later gets the updated date, the only other date a download gives).
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from archive.errors import Refused
from archive.models import Pseud
from tags.services import squash_spaces
from works.importing.parsed import ParsedChapter, ParsedSeries, ParsedWork, SourceUnreadable
from works.importing.sources import parse_upload
from works.importing.tag_names import import_tag_names
from works.importing.url import import_from_url
from works.languages import language_code, language_name
from works.models import (
    CHAPTER_MAX_LENGTH,
    NOTES_MAX_LENGTH,
    SUMMARY_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    Chapter,
    Collection,
    Series,
    SeriesWork,
    Work,
)
from works.services import posting
from works.services.gifts import work_set_gifts

UNTITLED = "Untitled Imported Work"  # AO3's title for an import that has none


def _check_length(value: str, limit: int, message: str, code: str) -> None:
    if len(value) > limit:
        raise Refused(message % {"limit": limit, "length": len(value)}, code=code)


def validate(parsed: ParsedWork) -> str:
    """Refuse what the posting form would refuse; returns the title to post."""
    title = squash_spaces(parsed.title)
    if not title:
        parsed.warnings.append(
            _("No title given: the work is called “%(title)s”.") % {"title": UNTITLED}
        )
        title = UNTITLED
    _check_length(
        title,
        TITLE_MAX_LENGTH,
        _("The title is %(length)d characters long; a title can be at most %(limit)d."),
        "title_too_long",
    )
    _check_length(
        parsed.summary,
        SUMMARY_MAX_LENGTH,
        _("The summary is %(length)d characters long; a summary can be at most %(limit)d."),
        "summary_too_long",
    )
    for text in (parsed.notes, parsed.endnotes):
        _check_length(
            text,
            NOTES_MAX_LENGTH,
            _("The notes are %(length)d characters long; notes can be at most %(limit)d."),
            "notes_too_long",
        )
    if not parsed.chapters:
        raise Refused(_("No chapter text was found."), code="no_chapters")
    for number, chapter in enumerate(parsed.chapters, start=1):
        if not chapter.body.strip():
            raise Refused(
                _("Chapter %(number)d has no text.") % {"number": number}, code="empty_chapter"
            )
        checks = (
            (
                squash_spaces(chapter.title),
                TITLE_MAX_LENGTH,
                _(
                    "The title of chapter %(number)d is %(length)d characters long; it can be "
                    "at most %(limit)d."
                ),
            ),
            (
                chapter.summary,
                SUMMARY_MAX_LENGTH,
                _(
                    "The summary of chapter %(number)d is %(length)d characters long; it can be "
                    "at most %(limit)d."
                ),
            ),
            (
                chapter.notes,
                NOTES_MAX_LENGTH,
                _(
                    "The notes of chapter %(number)d are %(length)d characters long; they can be "
                    "at most %(limit)d."
                ),
            ),
            (
                chapter.endnotes,
                NOTES_MAX_LENGTH,
                _(
                    "The end notes of chapter %(number)d are %(length)d characters long; they "
                    "can be at most %(limit)d."
                ),
            ),
            (
                chapter.body,
                CHAPTER_MAX_LENGTH,
                _(
                    "Chapter %(number)d is %(length)d characters long; a chapter can be at most "
                    "%(limit)d."
                ),
            ),
        )
        for value, limit, message in checks:
            if len(value) > limit:
                raise Refused(
                    message % {"number": number, "length": len(value), "limit": limit},
                    code="chapter_too_long",
                )
    return title


def _language(parsed: ParsedWork) -> str:
    if not parsed.language:
        return "en"
    code = language_code(parsed.language)
    if code is None:
        parsed.warnings.append(
            _("The language “%(language)s” is not one this archive has: set to %(default)s.")
            % {"language": parsed.language, "default": language_name("en")}
        )
        return "en"
    return code


def _chapter_fields(chapter: ParsedChapter) -> dict:
    return {
        "title": squash_spaces(chapter.title),
        "summary": chapter.summary.strip(),
        "notes": chapter.notes.strip(),
        "endnotes": chapter.endnotes.strip(),
        "body": chapter.body.strip(),
    }


def _collections(parsed: ParsedWork, user) -> list[Collection]:
    """The named collections the user may add to (closed ones refuse new works)."""
    found = []
    for name in parsed.collections:
        collection = (
            Collection.objects.filter(name__iexact=name).first()
            or Collection.objects.filter(title__iexact=name).first()
        )
        if collection is None:
            parsed.warnings.append(
                _("There is no collection “%(name)s” here: the work was not added to it.")
                % {"name": name}
            )
        elif collection.is_closed:
            parsed.warnings.append(
                _("The collection “%(title)s” is closed: the work was not added to it.")
                % {"title": collection.title}
            )
        elif collection not in found:
            found.append(collection)
    return found


def _place_in_series(work: Work, user, entries: list[ParsedSeries], warnings: list) -> None:
    """Put the work in the user's series of that title (a new one when they have none) at
    the position the source gave, or at the end when that place is taken."""
    for entry in entries:
        title = squash_spaces(entry.title)[:TITLE_MAX_LENGTH]
        if not title:
            continue
        series = Series.objects.filter(creators=user, title__iexact=title).first()
        if series is None:
            series = posting.series_create(creator=user, title=title)
        if SeriesWork.objects.filter(series=series, work=work).exists():
            continue
        taken = SeriesWork.objects.filter(series=series, position=entry.position).exists()
        if entry.position and not taken:
            SeriesWork.objects.create(series=series, work=work, position=entry.position)
            continue
        posting.work_set_series(
            work=work, series=[*Series.objects.filter(series_works__work=work), series]
        )
        if entry.position:
            placed = SeriesWork.objects.get(series=series, work=work).position
            warnings.append(
                _("Part %(wanted)d of “%(title)s” is taken: the work is part %(placed)d.")
                % {"wanted": entry.position, "title": title, "placed": placed}
            )


def _at_date(day: datetime.date | None) -> datetime.datetime | None:
    if day is None:
        return None
    if day >= timezone.localdate():
        return timezone.now()
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12, 0)))


def _keep_dates(work: Work, parsed: ParsedWork, chapters: list[Chapter], post: bool) -> None:
    """The source's dates on the work and its chapters (never later than today)."""
    today = timezone.localdate()
    published = min(parsed.published or today, today)
    updated = min(max(parsed.updated or published, published), today)
    last = len(chapters) - 1
    for index, (chapter, source) in enumerate(zip(chapters, parsed.chapters, strict=True)):
        day = source.published
        if day is None:
            day = updated if index == last and index > 0 else published
        if chapter.posted:
            Chapter.objects.filter(pk=chapter.pk).update(published_at=min(day, today))
    fields = {"published_at": published}
    if post:
        fields["revised_at"] = _at_date(updated)
    Work.objects.filter(pk=work.pk).update(**fields)
    for name, value in fields.items():
        setattr(work, name, value)


@transaction.atomic
def import_work(
    parsed: ParsedWork,
    *,
    user,
    pseud: Pseud | None = None,
    post: bool,
    as_imported: bool,
) -> Work:
    """Make `parsed` a work of `user` (under `pseud`, default their default pseud).

    `post=False` saves a draft (its chapters go live with it when it is posted);
    `as_imported=True` credits the original creator and links the source on the work page
    (Work.imported_creator, Work.imported_from_url) instead of presenting it as the
    user's own writing. Refuses (archive.errors.Refused) what the posting form would.
    """
    title = validate(parsed)
    tag_names = import_tag_names(parsed)
    fields = {
        "title": title,
        "summary": parsed.summary.strip(),
        "notes": parsed.notes.strip(),
        "endnotes": parsed.endnotes.strip(),
        "language": _language(parsed),
        "published_at": parsed.published,
        "expected_chapters": _expected_chapters(parsed),
    }
    if as_imported:
        fields["imported_from_url"] = _source_url(parsed)
        fields["imported_creator"] = squash_spaces(", ".join(parsed.creators))[:TITLE_MAX_LENGTH]
    work = posting.work_create(
        creator=user,
        pseud=pseud,
        fields=fields,
        tag_names=tag_names,
        chapter=_chapter_fields(parsed.chapters[0]),
        collections=_collections(parsed, user),
        post=post,
    )
    chapters = [work.chapters.get()]
    for source in parsed.chapters[1:]:
        # Posted even in a draft: posting the draft then posts the whole work at once.
        chapters.append(posting.chapter_add(work=work, fields=_chapter_fields(source), post=True))
    _note_kept_apart(work, tag_names, parsed.warnings)
    _place_in_series(work, user, parsed.series, parsed.warnings)
    _gifts(work, parsed, user, as_imported)
    _keep_dates(work, parsed, chapters, post)
    posting.work_refresh(work)
    work.import_warnings = list(parsed.warnings)
    return work


def _note_kept_apart(work: Work, tag_names: dict, warnings: list) -> None:
    """Say which names became "Name (Type)" because another type of tag has the name
    (tags.services.tag_resolve: names are unique across types, as on AO3)."""
    have = {(tag.type, tag.name.casefold()) for tag in work.tags.all()}
    for tag_type, names in tag_names.items():
        for name in names:
            if (tag_type, name.casefold()) in have:
                continue
            kept = next(
                (n for t, n in have if t == tag_type and n.startswith(name.casefold() + " (")),
                None,
            )
            if kept is not None:
                warnings.append(
                    _("“%(name)s” is another kind of tag here: this work's tag is “%(kept)s”.")
                    % {"name": name, "kept": _tag_name(work, tag_type, kept)}
                )


def _tag_name(work: Work, tag_type: str, folded: str) -> str:
    return next(
        t.name for t in work.tags.all() if t.type == tag_type and t.name.casefold() == folded
    )


def _source_url(parsed: ParsedWork) -> str:
    """The source's address when it is a web address (the work page links it)."""
    url = parsed.source_url.strip()
    if not url:
        return ""
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        parsed.warnings.append(
            _("“%(url)s” is not a web address: the work does not link to its source.")
            % {"url": url[:100]}
        )
        return ""
    return url


def _expected_chapters(parsed: ParsedWork) -> int | None:
    count = len(parsed.chapters)
    if parsed.expected_chapters is not None:
        return max(parsed.expected_chapters, count)
    if parsed.complete:
        return count
    return None


def _gifts(work: Work, parsed: ParsedWork, user, as_imported: bool) -> None:
    names = [squash_spaces(name) for name in parsed.recipients if squash_spaces(name)]
    if not names:
        return
    if as_imported:
        # The names belong to the source site; someone here may have the same name.
        parsed.warnings.append(
            _("The original was a gift for %(names)s: not given to anyone here.")
            % {"names": ", ".join(names)}
        )
        return
    try:
        with transaction.atomic():
            work_set_gifts(work=work, names=names, giver=user)
    except Refused as refused:
        parsed.warnings.append(
            _("The work was not given to %(names)s: %(reason)s")
            % {"names": ", ".join(names), "reason": refused.message}
        )


@dataclass
class ImportOutcome:
    """What became of one source: its work and what changed, or why it was not imported."""

    name: str
    work: Work | None = None
    warnings: list[str] = field(default_factory=list)
    error: str = ""


def import_uploads(
    sources: Iterable[tuple[str, bytes]],
    *,
    user,
    pseud: Pseud | None = None,
    post: bool,
    as_imported: bool,
) -> list[ImportOutcome]:
    """Import each (file name, content) on its own: one that fails (unreadable, refused)
    leaves the others imported, and nothing of itself."""
    outcomes = []
    for name, data in sources:
        try:
            parsed = parse_upload(name, data)
            work = import_work(parsed, user=user, pseud=pseud, post=post, as_imported=as_imported)
        except (SourceUnreadable, Refused) as problem:
            outcomes.append(ImportOutcome(name=name, error=_message(problem)))
        else:
            outcomes.append(ImportOutcome(name=name, work=work, warnings=work.import_warnings))
    return outcomes


def import_urls(
    urls: Iterable[str],
    *,
    user,
    pseud: Pseud | None = None,
    post: bool,
    as_imported: bool,
) -> list[ImportOutcome]:
    """Fetch and import the work at each address on its own (works/importing/url.py): one
    that is refused (not a work's address, not public, unreachable) leaves the others."""
    outcomes = []
    for url in urls:
        try:
            parsed = import_from_url(url)
            work = import_work(parsed, user=user, pseud=pseud, post=post, as_imported=as_imported)
        except (SourceUnreadable, Refused) as problem:
            outcomes.append(ImportOutcome(name=url, error=_message(problem)))
        else:
            outcomes.append(ImportOutcome(name=url, work=work, warnings=work.import_warnings))
    return outcomes


def _message(problem: Exception) -> str:
    return problem.message if isinstance(problem, Refused) else str(problem)
