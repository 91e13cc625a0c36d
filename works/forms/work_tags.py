"""The tag fields of a work: the Tags section of the work form, and /edit_tags alone."""

from django import forms
from django.utils.translation import gettext_lazy as _

from tags.fixed import CATEGORIES, RATINGS, WARNINGS
from tags.models import USER_TAG_TYPES, TagType
from works.forms.fields import MAX_USER_TAGS, PostingForm, TagNamesField
from works.models import (
    Work,
)


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
