"""What the posting forms share: their fields, their base form and their submit buttons.

Forms only validate: they read what they need (the author's series, collections, existing tag
names) but never write. The views hand `cleaned_data` to works.services.posting, which writes
everything in one transaction. No ModelForm: a work is never saved with `form.save()`.
"""

from django import forms
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from archive.params import NumberField
from tags.models import TAG_NAME_MAX_LENGTH, Tag, TagType
from tags.services import tag_name_problem, tags_parse
from works.models.gifts import RECIPIENT_NAME_MAX_LENGTH

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


def expected_chapters_error(expected, existing):
    if expected is not None and expected < existing:
        return ngettext(
            "This work already has %(count)d chapter; the total cannot be lower.",
            "This work already has %(count)d chapters; the total cannot be lower.",
            existing,
        ) % {"count": existing}
    return None


class PostingForm(forms.Form):
    """Labels as AO3 writes them (no colon); required fields' labels get class "required"."""

    required_css_class = "required"

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class RecipientsField(forms.CharField):
    """AO3's "Gift this work to": names separated by commas, each kept once (letter case
    ignored), as a list; who they are is the gifts service's to find out."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def clean(self, value):
        names, seen = [], set()
        for name in (super().clean(value) or "").split(","):
            name = " ".join(name.split())
            if len(name) > RECIPIENT_NAME_MAX_LENGTH:
                raise forms.ValidationError(
                    _("A recipient's name must be at most %(limit)d characters.")
                    % {"limit": RECIPIENT_NAME_MAX_LENGTH}
                )
            if name and name.lower() not in seen:
                seen.add(name.lower())
                names.append(name)
        return names
