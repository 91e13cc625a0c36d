"""Forms an author fills in to post and edit works and chapters.

Forms only validate: they read what they need (the author's series, collections, existing tag
names) but never write. The views hand `cleaned_data` to works.services.posting, which writes
everything in one transaction. No ModelForm: a work is never saved with `form.save()`.
"""

from django import forms
from django.core.validators import MaxLengthValidator
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from archive.params import IdChoiceField, IdMultipleChoiceField, NumberField
from tags.fixed import CATEGORIES, RATINGS, WARNINGS
from tags.models import TAG_NAME_MAX_LENGTH, USER_TAG_TYPES, Tag, TagType
from tags.services import tag_name_problem, tags_parse
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

# AO3's limit on fandom, relationship, character and additional tags together.
MAX_USER_TAGS = 75

# The submit buttons of the posting forms (their `name`s). A form with none of them is
# treated as a preview: it keeps the text and publishes nothing.
POST, PREVIEW, SAVE, EDIT = "post_button", "preview_button", "save_button", "edit_button"


def form_action(data) -> str:
    """Which button submitted the form."""
    for name in (POST, SAVE, EDIT, PREVIEW):
        if name in data:
            return name
    return PREVIEW


# ---------------------------------------------------------------------------------------------
# Fields


class AuthorTextField(forms.CharField):
    """Author text (title, summary, notes, chapter text).

    No `maxlength` attribute: a browser would silently cut pasted text, and an author must
    never lose text. The limit is checked here and reported next to the field instead.
    Line breaks are normalised, so a limit counts characters as the author sees them.
    """

    default_limit_message = _(
        "This is limited to %(limit_value)s characters; it has %(show_value)s."
    )

    def __init__(self, *, limit, limit_message=None, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.limit = limit
        self.validators.append(
            MaxLengthValidator(limit, message=limit_message or self.default_limit_message)
        )

    def to_python(self, value):
        value = super().to_python(value)
        return value.replace("\r\n", "\n").replace("\r", "\n")


class TagNamesField(forms.CharField):
    """Comma-separated tag names of one type; cleans to a list of names.

    The widget keeps the raw text typed, so a refused name stays in the field to be fixed.
    """

    AUTOCOMPLETE = {
        TagType.FANDOM: "fandom",
        TagType.RELATIONSHIP: "relationship",
        TagType.CHARACTER: "character",
        TagType.FREEFORM: "freeform",
    }

    def __init__(self, *, tag_type, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", _("Separate tags with commas."))
        super().__init__(**kwargs)
        self.tag_type = TagType(tag_type)
        if self.tag_type in self.AUTOCOMPLETE:
            self.widget.attrs["data-autocomplete-type"] = self.AUTOCOMPLETE[self.tag_type]
        self.widget.attrs.setdefault("autocomplete", "off")

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return ", ".join(value)
        return value

    def to_python(self, value):
        if isinstance(value, list | tuple):
            return list(value)
        return tags_parse(super().to_python(value))

    def validate(self, value):
        if self.required and not value:
            raise forms.ValidationError(self.error_messages["required"], code="required")

    def run_validators(self, value):
        problems = []
        long_names = [name for name in value if len(name) > TAG_NAME_MAX_LENGTH]
        # A tag kept apart by its type ("A long name (Relationship)") may be longer than what
        # an author may type; it is fine when it is the tag this work already has.
        existing = set()
        if long_names:
            existing = set(
                Tag.objects.filter(name__in=long_names, type=self.tag_type).values_list(
                    "name", flat=True
                )
            )
        for name in value:
            if name in existing:
                continue
            problem = tag_name_problem(name)
            if problem:
                problems.append(forms.ValidationError(problem, code="tag_name"))
        if problems:
            raise forms.ValidationError(problems)


class ExpectedChaptersField(NumberField):
    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", 99999)
        kwargs.setdefault("help_text", _("Leave blank if you do not know yet: it is shown as “?”."))
        kwargs.setdefault(
            "error_messages",
            {
                "invalid": _("The number of chapters must be a whole number, or left blank."),
                "min_value": _("The number of chapters must be at least 1."),
                "max_value": _("That is more chapters than a work can have."),
            },
        )
        super().__init__(**kwargs)
        self.widget.attrs.update({"inputmode": "numeric", "size": 5})


def _expected_chapters_error(expected, existing):
    if expected is not None and expected < existing:
        return ngettext(
            "This work already has %(count)d chapter; the total cannot be lower.",
            "This work already has %(count)d chapters; the total cannot be lower.",
            existing,
        ) % {"count": existing}
    return None


# ---------------------------------------------------------------------------------------------
# Work


class PostingForm(forms.Form):
    """Labels as AO3 writes them (no colon); required fields' labels get class "required"."""

    required_css_class = "required"

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class WorkTagsForm(PostingForm):
    """The tag fields of a work: the Tags section of the work form, and /edit_tags alone."""

    rating = forms.ChoiceField(
        label=_("Rating"),
        choices=[("", _("Please choose a rating"))] + [(name, name) for name in RATINGS],
        error_messages={
            "required": _("Choose a rating."),
            "invalid_choice": _("Choose one of the ratings in the list."),
        },
    )
    warnings = forms.MultipleChoiceField(
        label=_("Archive Warnings"),
        choices=[(name, name) for name in WARNINGS],
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Choose at least one archive warning."),
            "invalid_choice": _("Choose archive warnings from the list."),
        },
    )
    fandoms = TagNamesField(
        label=_("Fandoms"),
        tag_type=TagType.FANDOM,
        required=True,
        error_messages={"required": _("Add at least one fandom.")},
    )
    categories = forms.MultipleChoiceField(
        label=_("Categories"),
        choices=[(name, name) for name in CATEGORIES],
        widget=forms.CheckboxSelectMultiple,
        required=False,
        error_messages={"invalid_choice": _("Choose categories from the list.")},
    )
    relationships = TagNamesField(label=_("Relationships"), tag_type=TagType.RELATIONSHIP)
    characters = TagNamesField(label=_("Characters"), tag_type=TagType.CHARACTER)
    freeforms = TagNamesField(label=_("Additional Tags"), tag_type=TagType.FREEFORM)
    prompts = TagNamesField(
        label=_("Prompts"),
        tag_type=TagType.PROMPT,
        help_text=_(
            "Prompts this work answers, such as “Whumptober 2025 Day 02: Taking "
            "Accountability”. Separate them with commas."
        ),
    )

    TAG_FIELDS = {
        TagType.FANDOM: "fandoms",
        TagType.RELATIONSHIP: "relationships",
        TagType.CHARACTER: "characters",
        TagType.FREEFORM: "freeforms",
        TagType.PROMPT: "prompts",
    }

    @classmethod
    def initial_for(cls, work: Work) -> dict:
        groups = work.tags_by_type()
        initial = {
            "rating": next((t.name for t in groups[TagType.RATING]), ""),
            "warnings": [t.name for t in groups[TagType.WARNING]],
            "categories": [t.name for t in groups[TagType.CATEGORY]],
        }
        for tag_type, field in cls.TAG_FIELDS.items():
            initial[field] = ", ".join(t.name for t in groups[tag_type])
        return initial

    def clean_rating(self):
        rating = self.cleaned_data["rating"]
        key = self.add_prefix("rating")
        if hasattr(self.data, "getlist"):
            sent = self.data.getlist(key)
        else:
            sent = self.data.get(key)
            sent = list(sent) if isinstance(sent, list | tuple) else [sent]
        if len(set(sent)) > 1:
            raise forms.ValidationError(_("Choose exactly one rating."), code="rating")
        return rating

    def clean(self):
        cleaned = super().clean()
        counts = {
            self.TAG_FIELDS[t]: len(cleaned.get(self.TAG_FIELDS[t]) or ()) for t in USER_TAG_TYPES
        }
        total = sum(counts.values())
        if total > MAX_USER_TAGS:
            message = _(
                "You have entered %(total)d fandom, relationship, character and additional "
                "tags; the limit is %(max)d in total. Please remove %(excess)d."
            ) % {"total": total, "max": MAX_USER_TAGS, "excess": total - MAX_USER_TAGS}
            # Shown next to the field holding most of them, where trimming helps most.
            largest = max(counts, key=counts.get)
            self.add_error(largest, message)
        return cleaned

    def tag_names(self) -> dict:
        """What works.services.posting.work_set_tags expects: {TagType: [names]}."""
        data = self.cleaned_data
        names = {
            TagType.RATING: [data["rating"]],
            TagType.WARNING: list(data["warnings"]),
            TagType.CATEGORY: list(data.get("categories") or ()),
        }
        for tag_type, field in self.TAG_FIELDS.items():
            names[tag_type] = list(data.get(field) or ())
        return names


class WorkForm(WorkTagsForm):
    """The one form to post a work (with its first chapter) and to edit it.

    `work` is the work being edited (None for a new one). When it has more than one chapter
    the chapter fields are left out: its chapters are edited one by one.
    """

    title = AuthorTextField(
        label=_("Work Title"),
        limit=TITLE_MAX_LENGTH,
        required=True,
        error_messages={"required": _("Please enter a title.")},
        limit_message=_(
            "The title must be at most %(limit_value)s characters; it has %(show_value)s."
        ),
    )
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
            problem = _expected_chapters_error(expected, self.chapter_total)
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


# ---------------------------------------------------------------------------------------------
# Chapters


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
        problem = _expected_chapters_error(expected, total)
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
