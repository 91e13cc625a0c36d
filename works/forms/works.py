"""The one form to post a work (with its first chapter) and to edit it."""

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from archive.params import IdChoiceField, IdMultipleChoiceField
from tags.services import tags_parse
from works.forms.fields import (
    AuthorTextField,
    ExpectedChaptersField,
    RecipientsField,
    expected_chapters_error,
)
from works.forms.pseuds import cocreators_clean, cocreators_field, pseud_choice
from works.forms.work_tags import WorkTagsForm
from works.languages import LANGUAGES
from works.models import (
    CHAPTER_MAX_LENGTH,
    NOTES_MAX_LENGTH,
    SUMMARY_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    Collection,
    CollectionPrompt,
    CommentPermission,
    Series,
    Work,
)
from works.models.gifts import gift_names


def work_title_field() -> AuthorTextField:
    """A work's title, as the posting form and the import review ask for it."""
    return AuthorTextField(
        label=_("Work Title"),
        limit=TITLE_MAX_LENGTH,
        required=True,
        error_messages={"required": _("Please enter a title.")},
        limit_message=_(
            "The title must be at most %(limit_value)s characters; it has %(show_value)s."
        ),
    )


class WorkForm(WorkTagsForm):
    """The one form to post a work (with its first chapter) and to edit it.

    `work` is the work being edited (None for a new one). When it has more than one chapter
    the chapter fields are left out: its chapters are edited one by one.
    """

    title = work_title_field()
    summary = AuthorTextField(
        label=_("Summary"),
        limit=SUMMARY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        limit_message=_(
            "The summary must be at most %(limit_value)s characters; it has %(show_value)s."
        ),
    )
    notes = AuthorTextField(
        label=_("Notes"),
        limit=NOTES_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Shown at the beginning of the work."),
        limit_message=_(
            "Notes must be at most %(limit_value)s characters; they have %(show_value)s."
        ),
    )
    endnotes = AuthorTextField(
        label=_("End Notes"),
        limit=NOTES_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Shown at the end of the work."),
        limit_message=_(
            "End notes must be at most %(limit_value)s characters; they have %(show_value)s."
        ),
    )
    language = forms.ChoiceField(
        label=_("Language"),
        choices=[("", _("Please select a language"))] + list(LANGUAGES),
        initial="en",
        error_messages={"required": _("Choose the language the work is written in.")},
    )
    series = IdChoiceField(
        label=_("Series"),
        queryset=Series.objects.none(),
        required=False,
        empty_label=_("None"),
        help_text=_("Add this work to one of your series."),
    )
    series_remove = IdMultipleChoiceField(
        label=_("Remove from series"),
        queryset=Series.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The work stays in its other series."),
    )
    series_title = AuthorTextField(
        label=_("Or create and use a new one"),
        limit=TITLE_MAX_LENGTH,
        help_text=_("The title of a new series that starts with this work."),
        limit_message=_(
            "A series title must be at most %(limit_value)s characters; it has %(show_value)s."
        ),
    )
    collections = forms.CharField(
        label=_("Collections"),
        required=False,
        help_text=_("Collection names (as in /collections/<name>), separated by commas."),
    )
    collection_prompts = IdMultipleChoiceField(
        label=_("Prompts of these collections"),
        queryset=CollectionPrompt.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The prompts this work answers."),
    )
    recipients = RecipientsField(
        label=_("Gift this work to"),
        help_text=_(
            "Pseuds or logins, or the names of people without an account, separated by commas."
        ),
    )
    multichapter = forms.BooleanField(label=_("This work has multiple chapters"), required=False)
    expected_chapters = ExpectedChaptersField(label=_("Chapter 1 of"))
    chapter_title = AuthorTextField(
        label=_("Chapter Title"),
        limit=TITLE_MAX_LENGTH,
        limit_message=_(
            "A chapter title must be at most %(limit_value)s characters; it has %(show_value)s."
        ),
    )
    body = AuthorTextField(
        label=_("Work Text"),
        limit=CHAPTER_MAX_LENGTH,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 20}),
        help_text=_("Markdown or plain HTML. Up to 510,000 characters."),
        limit_message=_(
            "The text must be at most %(limit_value)s characters; it has %(show_value)s. "
            "Split it into chapters."
        ),
    )
    restricted = forms.BooleanField(
        label=_("Only show your work to registered users"), required=False
    )
    comment_permission = forms.ChoiceField(
        label=_("Who can comment on this work"),
        choices=CommentPermission.choices,
        initial=CommentPermission.EVERYONE,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose who can comment on this work.")},
    )
    moderate_comments = forms.BooleanField(
        label=_("Enable comment moderation"),
        required=False,
        help_text=_("Comments appear only after you approve them."),
    )
    published_at = forms.DateField(
        label=_("Published date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Set a different publication date (backdate). Leave blank for today."),
        error_messages={"invalid": _("Enter a date as YYYY-MM-DD.")},
    )

    # What goes to work_create(fields=...) / work_update(fields=...).
    WORK_FIELDS = (
        "title",
        "summary",
        "notes",
        "endnotes",
        "language",
        "restricted",
        "comment_permission",
        "moderate_comments",
    )

    def __init__(self, data=None, *args, user, work=None, **kwargs):
        self.user = user
        self.work = work
        self.chapter_total = work.chapters.count() if work else 0
        if work is not None and "initial" not in kwargs:
            kwargs["initial"] = self.initial_from_work(work)
        super().__init__(data, *args, **kwargs)
        self.fields["series"].queryset = Series.objects.filter(creators=user).order_by("title")
        current = None
        if work is not None:
            creatorship = work.work_creators.filter(user=user).select_related("pseud").first()
            current = creatorship.pseud if creatorship else None
        self.fields["pseud"] = pseud_choice(user, label=_("Creator/Pseud(s)"), initial=current)
        self.fields["cocreators"] = cocreators_field()
        self._set_up_series_and_prompts()
        if work is not None:
            self.fields["expected_chapters"].label = _("Chapter %(count)d of") % {
                "count": max(self.chapter_total, 1)
            }
        if self.chapter_total > 1:
            # A chaptered work's text is edited chapter by chapter.
            del self.fields["chapter_title"]
            del self.fields["body"]
        else:
            self.fields["body"].required = True
            self.fields["body"].error_messages["required"] = _(
                "Please enter the text of your work."
            )

    def add_prefix(self, field_name):
        # AO3's name for the pseuds a work is posted under.
        if field_name == "pseud":
            return "work[author_attributes][ids][]"
        if field_name == "recipients":
            return "work[recipients]"  # AO3's name for "Gift this work to"
        if field_name == "cocreators":
            return "pseud[byline]"
        return super().add_prefix(field_name)

    def _set_up_series_and_prompts(self):
        """A work in series can leave each of them ("Remove from series"); the "Series" choice
        adds one more. The prompts of the collections named in the form are offered as
        checkboxes (typed prompt names are still accepted)."""
        if self.work is not None:
            current = Series.objects.filter(series_works__work=self.work).order_by("title")
            self.current_series = list(current)
        else:
            self.current_series = []
        if self.current_series:
            self.fields["series_remove"].queryset = current
        else:
            del self.fields["series_remove"]
        names = self.data.get("collections") if self.is_bound else None
        if names is None:
            names = self.initial.get("collections") or ""
        query = Q()
        for name in tags_parse(names or ""):
            query |= Q(collection__name__iexact=name)
        prompts = CollectionPrompt.objects.none()
        if query:
            prompts = CollectionPrompt.objects.filter(query).select_related("tag", "collection")
        self.prompt_choices = list(prompts.order_by("collection__title", "position"))
        if not self.prompt_choices:
            del self.fields["collection_prompts"]
            return
        field = self.fields["collection_prompts"]
        field.queryset = prompts
        field.label_from_instance = lambda prompt: prompt.tag.name
        chosen_names = {p.tag.name.lower() for p in self.prompt_choices}
        if not self.is_bound:
            typed = tags_parse(self.initial.get("prompts") or "")
            self.initial["collection_prompts"] = [
                p.pk
                for p in self.prompt_choices
                if p.tag.name.lower() in {n.lower() for n in typed}
            ]
            self.initial["prompts"] = ", ".join(n for n in typed if n.lower() not in chosen_names)
        self.prompt_tag_names = chosen_names

    @classmethod
    def initial_from_work(cls, work: Work) -> dict:
        initial = {name: getattr(work, name) for name in cls.WORK_FIELDS}
        initial.update(cls.initial_for(work))
        initial["series"] = None  # the work's series are listed under "Remove from series"
        initial["collections"] = ", ".join(
            item.collection.name for item in work.collection_items.select_related("collection")
        )
        initial["recipients"] = gift_names(work)
        initial["multichapter"] = work.expected_chapters != 1 or work.chapters.count() > 1
        initial["expected_chapters"] = work.expected_chapters
        initial["published_at"] = work.published_at
        first = work.chapters.order_by("position", "id").first()
        if first is not None:
            initial["chapter_title"] = first.title
            initial["body"] = first.body
        return initial

    @property
    def has_chapter_fields(self):
        return "body" in self.fields

    def clean_body(self):
        body = self.cleaned_data["body"]
        if self.fields["body"].required and not body.strip():
            raise forms.ValidationError(_("Please enter the text of your work."), code="required")
        return body

    def clean_cocreators(self):
        return cocreators_clean(self.cleaned_data["cocreators"])

    def clean_published_at(self):
        date = self.cleaned_data["published_at"]
        if date and date > timezone.localdate():
            raise forms.ValidationError(
                _("The publication date cannot be in the future."), code="future"
            )
        return date

    def clean_collections(self):
        names = tags_parse(self.cleaned_data["collections"])
        if not names:
            return []
        # Collection names are slugs; what was typed is matched case-insensitively.
        query = Q()
        for name in names:
            query |= Q(name__iexact=name)
        found = {c.name.lower(): c for c in Collection.objects.filter(query)}
        current = set()
        if self.work is not None:
            current = set(self.work.collection_items.values_list("collection_id", flat=True))
        errors, collections = [], []
        for name in names:
            collection = found.get(name.lower())
            if collection is None:
                errors.append(
                    forms.ValidationError(
                        _("There is no collection called “%(name)s”."),
                        code="unknown",
                        params={"name": name},
                    )
                )
            elif collection.is_closed and collection.pk not in current:
                errors.append(
                    forms.ValidationError(
                        _("“%(title)s” is closed to new works."),
                        code="closed",
                        params={"title": collection.title},
                    )
                )
            elif collection not in collections:
                collections.append(collection)
        if errors:
            raise forms.ValidationError(errors)
        return collections

    def clean(self):
        cleaned = super().clean()
        if "collection_prompts" in self.fields and "prompts" in cleaned:
            # The ticked prompts of the collections, and the prompts typed (the typed field
            # leaves out the collections' prompts, so unticking one removes it).
            typed = list(cleaned["prompts"])
            ticked = [p.tag.name for p in cleaned.get("collection_prompts") or ()]
            cleaned["prompts"] = typed + [n for n in ticked if n not in typed]
        # Series: one of mine, or a new title (an existing title of mine is reused).
        series, title = cleaned.get("series"), (cleaned.get("series_title") or "").strip()
        if series and title:
            self.add_error(
                "series_title",
                _("Choose one of your series or type a new series title, not both."),
            )
        elif title:
            own = self.fields["series"].queryset.filter(title__iexact=title).first()
            if own is not None:
                cleaned["series"], cleaned["series_title"] = own, ""
        # Chapters: one chapter unless the box is ticked; then a total, or blank for "?".
        if "expected_chapters" in cleaned:
            if cleaned.get("multichapter"):
                expected = cleaned.get("expected_chapters")
            else:
                expected = 1
                if self.chapter_total > 1:
                    self.add_error(
                        "multichapter",
                        ngettext(
                            "This work has %(count)d chapter; keep this box ticked.",
                            "This work has %(count)d chapters; keep this box ticked.",
                            self.chapter_total,
                        )
                        % {"count": self.chapter_total},
                    )
            problem = expected_chapters_error(expected, self.chapter_total)
            if problem and cleaned.get("multichapter"):
                self.add_error("expected_chapters", problem)
            cleaned["expected_chapters"] = expected
        return cleaned

    # What the services take -------------------------------------------------------------------

    def work_fields(self) -> dict:
        data = self.cleaned_data
        fields = {name: data[name] for name in self.WORK_FIELDS}
        fields["expected_chapters"] = data["expected_chapters"]
        if data.get("published_at"):
            fields["published_at"] = data["published_at"]
        return fields

    def chapter_fields(self) -> dict | None:
        if not self.has_chapter_fields:
            return None
        return {"title": self.cleaned_data["chapter_title"], "body": self.cleaned_data["body"]}

    def series_choice(self) -> tuple[list[Series], str]:
        """(every existing series to be in, new series title or ""): the work's series but the
        ones it leaves, and the one chosen."""
        removed = {s.pk for s in self.cleaned_data.get("series_remove") or ()}
        kept = [s for s in self.current_series if s.pk not in removed]
        series = self.cleaned_data.get("series")
        if series and series.pk not in {s.pk for s in kept}:
            kept.append(series)
        return kept, self.cleaned_data.get("series_title") or ""
