"""The review step of an import: what the importer understood of a story, shown as a form the
author corrects before anything is posted (issue 18).

`ImportReview(parsed=...)` fills the work's title, summary, notes and end notes and one
chapter form per chapter (title, summary, notes, end notes, text) from a ParsedWork; bound to
the posted data (`ImportReview(request.POST, parsed=...)`) it validates like the posting form
(the same limits and messages) and `to_parsed()` gives back a ParsedWork with the author's
corrections, keeping from the original what the form does not show (tags, language, series,
dates...). The importer's guesses and warnings (`review.guesses`, `review.warnings`) are for
the page to show above the form. Chapters can be removed (DELETE) but not fewer than one.
"""

from __future__ import annotations

import dataclasses

from django import forms
from django.utils.translation import gettext_lazy as _

from archive.params import NumberField
from works.forms.fields import AuthorTextField
from works.importing.parsed import ParsedChapter, ParsedWork
from works.models import CHAPTER_MAX_LENGTH, NOTES_MAX_LENGTH, SUMMARY_MAX_LENGTH, TITLE_MAX_LENGTH

CHAPTERS_PREFIX = "chapters"
# Each chapter sends seven fields; Django refuses a request of more than
# DATA_UPLOAD_MAX_NUMBER_FIELDS (2,000) fields, so a review holds at most this many chapters.
MAX_CHAPTERS = 250


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

    title = AuthorTextField(
        label=_("Work Title"),
        limit=TITLE_MAX_LENGTH,
        required=True,
        error_messages={"required": _("Please enter a title.")},
        limit_message=_(
            "The title must be at most %(limit_value)s characters; it has %(show_value)s."
        ),
    )
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
    body = AuthorTextField(
        label=_("Chapter Text"),
        limit=CHAPTER_MAX_LENGTH,
        required=True,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 20}),
        help_text=_("Markdown or plain HTML. Up to 510,000 characters."),
        error_messages={"required": _("Please enter the text of this chapter.")},
        limit_message=_(
            "The text must be at most %(limit_value)s characters; it has %(show_value)s. "
            "Split it into chapters."
        ),
    )
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
