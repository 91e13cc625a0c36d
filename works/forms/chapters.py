"""A chapter's form, and the form that puts a work's chapters in order."""

from django import forms
from django.utils.translation import gettext_lazy as _

from archive.params import IdMultipleChoiceField, NumberField
from works.forms.fields import (
    AuthorTextField,
    ExpectedChaptersField,
    PostingForm,
    expected_chapters_error,
)
from works.models import (
    CHAPTER_MAX_LENGTH,
    NOTES_MAX_LENGTH,
    SUMMARY_MAX_LENGTH,
    TITLE_MAX_LENGTH,
)


def chapter_text_field() -> AuthorTextField:
    """A chapter's text, as the chapter form and the import review ask for it."""
    return AuthorTextField(
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


class ChapterForm(PostingForm):
    """A chapter: its title, summary, notes and text, and the work's expected total."""

    title = AuthorTextField(
        label=_("Chapter Title"),
        limit=TITLE_MAX_LENGTH,
        limit_message=_(
            "A chapter title must be at most %(limit_value)s characters; it has %(show_value)s."
        ),
    )
    expected_chapters = ExpectedChaptersField(label=_("Chapter 1 of"))
    summary = AuthorTextField(
        label=_("Chapter Summary"),
        limit=SUMMARY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        limit_message=_(
            "The summary must be at most %(limit_value)s characters; it has %(show_value)s."
        ),
    )
    notes = AuthorTextField(
        label=_("Chapter Notes"),
        limit=NOTES_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Shown at the beginning of the chapter."),
        limit_message=_(
            "Notes must be at most %(limit_value)s characters; they have %(show_value)s."
        ),
    )
    endnotes = AuthorTextField(
        label=_("Chapter End Notes"),
        limit=NOTES_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Shown at the end of the chapter."),
        limit_message=_(
            "End notes must be at most %(limit_value)s characters; they have %(show_value)s."
        ),
    )
    body = chapter_text_field()

    CHAPTER_FIELDS = ("title", "summary", "notes", "endnotes", "body")

    def __init__(self, data=None, *args, work, chapter=None, **kwargs):
        self.work = work
        self.chapter = chapter
        self.chapter_total = work.chapters.count()
        if "initial" not in kwargs:
            expected = work.expected_chapters
            if chapter is None and expected is not None and expected <= self.chapter_total:
                # A new chapter beyond the expected total: "Chapter 2 of 2", not an error.
                expected = self.chapter_total + 1
            initial = {"expected_chapters": expected}
            if chapter is not None:
                initial.update({name: getattr(chapter, name) for name in self.CHAPTER_FIELDS})
            kwargs["initial"] = initial
        super().__init__(data, *args, **kwargs)
        self.position = chapter.position if chapter else self.chapter_total + 1
        self.fields["expected_chapters"].label = _("Chapter %(position)d of") % {
            "position": self.position
        }
        creatorships = work.work_creators.select_related("pseud__user")
        if len(creatorships) > 1:  # AO3's chapter co-creators, among the work's creators
            self.fields["creatorships"] = IdMultipleChoiceField(
                label=_("Chapter by"),
                queryset=creatorships,
                required=False,
                widget=forms.CheckboxSelectMultiple,
                help_text=_("Leave all unticked when the chapter is by all the work's creators."),
            )
            self.fields["creatorships"].label_from_instance = lambda c: c.pseud.byline
            if chapter is not None and not self.is_bound:
                self.initial["creatorships"] = [c.pk for c in chapter.creatorships.all()]

    def add_prefix(self, field_name):
        # AO3's name for a chapter's pseuds.
        if field_name == "creatorships":
            return "chapter[author_attributes][ids][]"
        return super().add_prefix(field_name)

    def clean_body(self):
        body = self.cleaned_data["body"]
        if not body.strip():
            raise forms.ValidationError(
                _("Please enter the text of this chapter."), code="required"
            )
        return body

    def clean_expected_chapters(self):
        expected = self.cleaned_data["expected_chapters"]
        total = self.chapter_total if self.chapter is not None else self.chapter_total + 1
        problem = expected_chapters_error(expected, total)
        if problem:
            raise forms.ValidationError(problem, code="too_few")
        return expected

    def chapter_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.CHAPTER_FIELDS}


class ChapterOrderForm(PostingForm):
    """One number per chapter: the chapters are put in the order of their numbers."""

    def __init__(self, *args, chapters, **kwargs):
        super().__init__(*args, **kwargs)
        self.chapters = list(chapters)
        for chapter in self.chapters:
            self.fields[f"position_{chapter.pk}"] = NumberField(
                label=_("Position of %(chapter)s") % {"chapter": chapter.full_title},
                min_value=1,
                initial=chapter.position,
                error_messages={
                    "required": _("Give this chapter a number."),
                    "invalid": _("Enter a whole number."),
                    "min_value": _("Enter a number of 1 or more."),
                },
                widget=forms.NumberInput(attrs={"size": 4}),
            )

    def chapter_ids(self) -> list[int]:
        """Chapter ids in their new order (ties keep the old order)."""
        data = self.cleaned_data
        return [
            c.pk
            for c in sorted(self.chapters, key=lambda c: (data[f"position_{c.pk}"], c.position))
        ]
