"""Forms for series, collections and prompts. They validate only; views call the services."""

import re

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from archive.params import IdChoiceField, NumberField, parse_id
from tags.models import Tag, TagType
from tags.services import tag_name_problem, tags_parse
from works.forms.fields import AuthorTextField, PostingForm
from works.models import NOTES_MAX_LENGTH, TITLE_MAX_LENGTH, Collection, CollectionPrompt, Work
from works.services.collections import COLLECTION_FIELDS, prompt_tag_name

COLLECTION_NAME_RE = re.compile(r"^[A-Za-z0-9_]+$")


class SeriesForm(PostingForm):
    title = AuthorTextField(
        label=_("Series Title"),
        limit=TITLE_MAX_LENGTH,
        required=True,
        error_messages={"required": _("Please enter a title.")},
    )
    description = AuthorTextField(
        label=_("Description"), limit=NOTES_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 5})
    )
    notes = AuthorTextField(
        label=_("Notes"), limit=NOTES_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 5})
    )
    is_complete = forms.BooleanField(label=_("Complete"), required=False)


class SeriesOrderForm(PostingForm):
    """One number per work: the parts are put in the order of their numbers."""

    def __init__(self, *args, series_works, **kwargs):
        super().__init__(*args, **kwargs)
        self.series_works = list(series_works)
        for series_work in self.series_works:
            self.fields[f"position_{series_work.work_id}"] = NumberField(
                label=_("Part number of %(title)s") % {"title": series_work.work.title},
                min_value=1,
                initial=series_work.position,
                error_messages={
                    "required": _("Give this work a part number."),
                    "invalid": _("Enter a whole number."),
                    "min_value": _("Enter a number of 1 or more."),
                },
                widget=forms.NumberInput(attrs={"size": 4}),
            )

    def rows(self):
        return [(sw, self[f"position_{sw.work_id}"]) for sw in self.series_works]

    def work_ids(self) -> list[int]:
        data = self.cleaned_data
        return [
            sw.work_id
            for sw in sorted(
                self.series_works, key=lambda sw: (data[f"position_{sw.work_id}"], sw.position)
            )
        ]


def _users_named(text: str):
    names = tags_parse(text or "")
    users, unknown = [], []
    for name in names:
        user = get_user_model().objects.filter(username__iexact=name, is_active=True).first()
        if user is None:
            unknown.append(name)
        elif user not in users:
            users.append(user)
    return users, unknown


class CollectionForm(PostingForm):
    name = forms.CharField(
        label=_("Collection name"),
        max_length=255,
        help_text=_(
            "The short name in the collection's address (/collections/<name>): letters, "
            "numbers and underscores only. It cannot be changed later."
        ),
        error_messages={"required": _("Please choose a short name.")},
    )
    title = AuthorTextField(
        label=_("Display title"),
        limit=TITLE_MAX_LENGTH,
        required=True,
        error_messages={"required": _("Please enter a title.")},
    )
    parent = IdChoiceField(
        label=_("Parent collection"),
        queryset=Collection.objects.none(),
        required=False,
        empty_label=_("None"),
        help_text=_("Make this a sub-collection of one of the collections you run."),
    )
    moderators = forms.CharField(
        label=_("Moderators"),
        required=False,
        help_text=_("Logins of the people who help you run it, separated by commas."),
    )
    description = AuthorTextField(
        label=_("Description"), limit=NOTES_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 5})
    )
    rules = AuthorTextField(
        label=_("Rules"), limit=NOTES_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 5})
    )
    is_moderated = forms.BooleanField(
        label=_("Moderated: works appear only after a moderator approves them"), required=False
    )
    is_closed = forms.BooleanField(label=_("Closed: no new works"), required=False)
    is_anonymous = forms.BooleanField(
        label=_("Anonymous: creators are shown as “Anonymous” until revealed"), required=False
    )
    is_unrevealed = forms.BooleanField(
        label=_("Unrevealed: works are shown as “Mystery Work” until revealed"), required=False
    )

    FIELDS = COLLECTION_FIELDS  # what services_collections lets a form change

    def __init__(self, data=None, *args, user, collection=None, **kwargs):
        self.user = user
        self.collection = collection
        if collection is not None and "initial" not in kwargs:
            initial = {name: getattr(collection, name) for name in self.FIELDS}
            initial["parent"] = collection.parent_id
            initial["moderators"] = ", ".join(m.username for m in collection.moderators.all())
            kwargs["initial"] = initial
        super().__init__(data, *args, **kwargs)
        parents = Collection.objects.filter(Q(owner=user) | Q(moderators=user)).distinct()
        if collection is not None:
            parents = parents.exclude(pk=collection.pk)
            # The name is the address: it stays.
            self.fields["name"].disabled = True
        self.fields["parent"].queryset = parents.order_by("title")

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if self.collection is not None:
            return self.collection.name
        if not COLLECTION_NAME_RE.match(name):
            raise forms.ValidationError(
                _("Use only letters, numbers and underscores in the short name."), code="name"
            )
        if Collection.objects.filter(name__iexact=name).exists():
            raise forms.ValidationError(
                _("The name “%(name)s” is taken; choose another."),
                code="taken",
                params={"name": name},
            )
        return name

    def clean_title(self):
        title = self.cleaned_data["title"].strip()
        if not title:
            raise forms.ValidationError(_("Please enter a title."), code="required")
        problem = tag_name_problem(f"{title} Day 01: x")
        if problem:
            # Prompt tags are named after the collection's title.
            raise forms.ValidationError(problem, code="title")
        return title

    def clean_moderators(self):
        users, unknown = _users_named(self.cleaned_data["moderators"])
        if unknown:
            raise forms.ValidationError(
                _("There is no user called %(names)s.")
                % {"names": ", ".join(f"“{n}”" for n in unknown)},
                code="unknown",
            )
        return users

    def collection_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.FIELDS}


class PromptForm(PostingForm):
    position = NumberField(
        label=_("Day or number"),
        min_value=1,
        max_value=9999,
        error_messages={
            "required": _("Give the prompt a day or number."),
            "invalid": _("Enter a whole number."),
            "min_value": _("Enter a number of 1 or more."),
            "max_value": _("Enter a number of at most 9999."),
        },
        widget=forms.NumberInput(attrs={"size": 4}),
    )
    title = AuthorTextField(
        label=_("Prompt"),
        limit=150,
        required=True,
        error_messages={"required": _("Please enter the prompt.")},
    )
    description = AuthorTextField(
        label=_("Description"), limit=NOTES_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, collection, prompt=None, **kwargs):
        self.collection = collection
        self.prompt = prompt
        if prompt is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "position": prompt.position,
                "title": prompt.title,
                "description": prompt.description,
            }
            kwargs.setdefault("prefix", f"prompt_{prompt.pk}")
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        position, title = cleaned.get("position"), (cleaned.get("title") or "").strip()
        if position is None or not title:
            return cleaned
        others = CollectionPrompt.objects.filter(collection=self.collection, position=position)
        if self.prompt is not None:
            others = others.exclude(pk=self.prompt.pk)
        if others.exists():
            self.add_error("position", _("Another prompt already has this day or number."))
        name = prompt_tag_name(self.collection, position, title)
        problem = tag_name_problem(name)
        if problem:
            self.add_error("title", problem)
        else:
            taken = Tag.objects.named(name).first()
            if taken is not None and (self.prompt is None or taken.pk != self.prompt.tag_id):
                if (
                    taken.type != TagType.PROMPT
                    or CollectionPrompt.objects.filter(tag=taken).exists()
                ):
                    self.add_error("title", _("A prompt or tag with this name already exists."))
        return cleaned


WORK_URL_RE = re.compile(r"(?:^|/works/)([0-9]+)(?:[/?#]|$)")


class InviteForm(PostingForm):
    work = forms.CharField(
        label=_("Work to invite"),
        help_text=_("The work's address (…/works/123) or its number."),
        error_messages={"required": _("Enter a work's address or number.")},
    )

    def clean_work(self):
        text = self.cleaned_data["work"].strip()
        match = WORK_URL_RE.search(text)
        work_id = parse_id(match.group(1)) if match else None
        work = Work.objects.published().filter(pk=work_id).first() if work_id else None
        if work is None:
            raise forms.ValidationError(
                _("No posted work has the address or number “%(text)s”."),
                code="unknown",
                params={"text": text},
            )
        return work


class AddToCollectionForm(PostingForm):
    collection = forms.CharField(
        label=_("Collection name"),
        help_text=_("The short name of the collection (as in /collections/<name>)."),
        error_messages={"required": _("Enter a collection name.")},
    )

    def clean_collection(self):
        name = self.cleaned_data["collection"].strip().strip("/").rsplit("/", 1)[-1]
        collection = Collection.objects.filter(name__iexact=name).first()
        if collection is None:
            raise forms.ValidationError(
                _("There is no collection called “%(name)s”."),
                code="unknown",
                params={"name": name},
            )
        return collection
