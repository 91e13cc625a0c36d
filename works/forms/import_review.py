"""The review step of an import: what the importer understood of a story, shown as a form the
author corrects before anything is posted (issue 18).

`ImportReview(parsed=...)` fills the work's title, summary, notes and end notes and one
chapter form per chapter (title, summary, notes, end notes, text) from a ParsedWork; bound to
the posted data (`ImportReview(request.POST, parsed=...)`) it validates like the posting form
(the same limits and messages) and `to_parsed()` gives back a ParsedWork with the author's
corrections, keeping from the original what the form does not show (tags, language, series,
dates...). The importer's guesses and warnings (`review.guesses`, `review.warnings`) are for
the page to show above the form. Chapters can be removed (DELETE) but not fewer than one.

Between the two requests the review lives in the form itself, never in the session: what the
author edits is the form and formset, and what the form does not show (tags, language,
dates, the guesses and warnings) travels in one hidden field, `state`, signed so that only
what this archive wrote comes back (`dump_state()` / `load_state()`).
"""

from __future__ import annotations

import dataclasses
import datetime

from django import forms
from django.core import signing
from django.utils.translation import gettext_lazy as _

from archive.params import NumberField
from works.forms.chapters import chapter_text_field
from works.forms.fields import AuthorTextField
from works.forms.works import work_title_field
from works.importing.parsed import ParsedChapter, ParsedSeries, ParsedWork
from works.models import NOTES_MAX_LENGTH, SUMMARY_MAX_LENGTH, TITLE_MAX_LENGTH

CHAPTERS_PREFIX = "chapters"
# Each chapter sends seven fields; Django refuses a request of more than
# DATA_UPLOAD_MAX_NUMBER_FIELDS (2,000) fields, so a review holds at most this many chapters.
MAX_CHAPTERS = 250
STATE_SALT = "works.import_review.state"
# A review left open longer than this is started again (the text is still in the form).
STATE_MAX_AGE = 7 * 24 * 60 * 60


def _summary_field(label):
    return AuthorTextField(
        label=label,
        limit=SUMMARY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        limit_message=_(
            "The summary must be at most %(limit_value)s characters; it has %(show_value)s."
        ),
    )


def _notes_field(label, help_text, message):
    return AuthorTextField(
        label=label,
        limit=NOTES_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=help_text,
        limit_message=message,
    )


NOTES_MESSAGE = _("Notes must be at most %(limit_value)s characters; they have %(show_value)s.")
ENDNOTES_MESSAGE = _(
    "End notes must be at most %(limit_value)s characters; they have %(show_value)s."
)


class ImportReviewForm(forms.Form):
    """The work's own text fields, as the importer read them."""

    title = work_title_field()
    summary = _summary_field(_("Summary"))
    notes = _notes_field(_("Notes"), _("Shown at the beginning of the work."), NOTES_MESSAGE)
    endnotes = _notes_field(_("End Notes"), _("Shown at the end of the work."), ENDNOTES_MESSAGE)


class ImportedChapterForm(forms.Form):
    """One chapter as the importer cut it."""

    title = AuthorTextField(
        label=_("Chapter Title"),
        limit=TITLE_MAX_LENGTH,
        limit_message=_(
            "A chapter title must be at most %(limit_value)s characters; it has %(show_value)s."
        ),
    )
    summary = _summary_field(_("Chapter Summary"))
    notes = _notes_field(
        _("Chapter Notes"), _("Shown at the beginning of the chapter."), NOTES_MESSAGE
    )
    endnotes = _notes_field(
        _("Chapter End Notes"), _("Shown at the end of the chapter."), ENDNOTES_MESSAGE
    )
    body = chapter_text_field()
    # Which chapter of the import this form was made from, to keep what it does not show.
    source = NumberField(widget=forms.HiddenInput, required=False, min_value=0)


class BaseImportedChapterFormSet(forms.BaseFormSet):
    default_error_messages = {
        "too_few_forms": _("A work needs at least one chapter: keep one."),
        "too_many_forms": _("A work can be imported with at most %(num)d chapters at once."),
    }


ImportedChapterFormSet = forms.formset_factory(
    ImportedChapterForm,
    formset=BaseImportedChapterFormSet,
    extra=0,
    can_delete=True,
    min_num=1,
    validate_min=True,
    max_num=MAX_CHAPTERS,
    validate_max=True,
)


class ImportReview:
    """The work form and its chapters' formset, filled from and turned back into a ParsedWork."""

    def __init__(self, data=None, *, parsed: ParsedWork):
        self.parsed = parsed
        self.guesses = list(parsed.guesses)
        self.warnings = list(parsed.warnings)
        work_initial = {
            "title": parsed.title,
            "summary": parsed.summary,
            "notes": parsed.notes,
            "endnotes": parsed.endnotes,
        }
        chapters_initial = [
            {
                "title": chapter.title,
                "summary": chapter.summary,
                "notes": chapter.notes,
                "endnotes": chapter.endnotes,
                "body": chapter.body,
                "source": index,
            }
            for index, chapter in enumerate(parsed.chapters[:MAX_CHAPTERS])
        ]
        if len(parsed.chapters) > MAX_CHAPTERS:
            self.warnings.append(
                _("Only the first %(count)d chapters can be imported at once.")
                % {"count": MAX_CHAPTERS}
            )
        self.form = ImportReviewForm(data, initial=work_initial)
        self.chapters = ImportedChapterFormSet(
            data, initial=chapters_initial or None, prefix=CHAPTERS_PREFIX
        )

    def is_valid(self) -> bool:
        form_valid = self.form.is_valid()
        return self.chapters.is_valid() and form_valid

    def to_parsed(self) -> ParsedWork:
        """The ParsedWork as the author corrected it (call after is_valid())."""
        data = self.form.cleaned_data
        chapters = []
        for form in self.chapters.forms:
            if form in self.chapters.deleted_forms or (not form.has_changed() and not form.initial):
                continue
            fields = form.cleaned_data
            original = self._original(fields.get("source"))
            chapters.append(
                ParsedChapter(
                    body=fields["body"],
                    title=fields["title"].strip(),
                    summary=fields["summary"],
                    notes=fields["notes"],
                    endnotes=fields["endnotes"],
                    published=original.published if original else None,
                )
            )
        return dataclasses.replace(
            self.parsed,
            title=data["title"].strip(),
            summary=data["summary"],
            notes=data["notes"],
            endnotes=data["endnotes"],
            chapters=chapters,
            tags={kind: list(names) for kind, names in self.parsed.tags.items()},
            warnings=[],
            guesses=[],
        )

    def _original(self, index) -> ParsedChapter | None:
        if index is None or not 0 <= index < len(self.parsed.chapters):
            return None
        return self.parsed.chapters[index]


# --- the hidden state -------------------------------------------------------------------------


def _day(value: datetime.date | None) -> str | None:
    return value.isoformat() if value else None


def _from_day(value) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value) if value else None
    except (TypeError, ValueError):
        return None


def dump_state(parsed: ParsedWork) -> str:
    """What the review form does not show of `parsed`, signed for a hidden field. The text
    fields (title, summary, notes, chapters' text) are left out: the form carries them."""
    data = {
        "tags": parsed.tags,
        "language": parsed.language,
        "creators": parsed.creators,
        "recipients": parsed.recipients,
        "series": [[s.title, s.position, s.url] for s in parsed.series],
        "collections": parsed.collections,
        "published": _day(parsed.published),
        "updated": _day(parsed.updated),
        "expected_chapters": parsed.expected_chapters,
        "complete": parsed.complete,
        "words": parsed.words,
        "source_url": parsed.source_url,
        "warnings": [str(w) for w in parsed.warnings],
        "guesses": [str(g) for g in parsed.guesses],
        "chapters": [_day(c.published) for c in parsed.chapters[:MAX_CHAPTERS]],
    }
    return signing.dumps(data, salt=STATE_SALT, compress=True)


def load_state(value: str) -> ParsedWork | None:
    """The ParsedWork of a hidden `state` (with empty text fields), or None when the value
    is not one this archive signed or is too old."""
    try:
        data = signing.loads(value or "", salt=STATE_SALT, max_age=STATE_MAX_AGE)
    except signing.BadSignature:
        return None
    return ParsedWork(
        title="",
        chapters=[ParsedChapter(body="", published=_from_day(day)) for day in data["chapters"]],
        tags={kind: list(names) for kind, names in data["tags"].items()},
        language=data["language"],
        creators=list(data["creators"]),
        recipients=list(data["recipients"]),
        series=[ParsedSeries(title, position, url) for title, position, url in data["series"]],
        collections=list(data["collections"]),
        published=_from_day(data["published"]),
        updated=_from_day(data["updated"]),
        expected_chapters=data["expected_chapters"],
        complete=data["complete"],
        words=data["words"],
        source_url=data["source_url"],
        warnings=list(data["warnings"]),
        guesses=list(data["guesses"]),
    )
