"""Forms of the tag-set pages (issue 20, part 2): a set's settings and tags, a participant's
nominations, the moderators' review. They validate only; the views call
works.services.tag_sets and works.services.tag_nominations."""

from django import forms
from django.contrib.auth import get_user_model
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from archive.params import IdMultipleChoiceField, NumberField
from tags.models import Tag, TagType
from tags.services import tag_name_problem, tags_parse
from works.forms.fields import AuthorTextField, PostingForm, TagNamesField
from works.models import NOTES_MAX_LENGTH, TITLE_MAX_LENGTH
from works.services.tag_nominations import NOMINATION_TYPES, TYPES_WITH_FANDOM, Nominee
from works.services.tag_sets import CHOSEN_TAG_TYPES, TAG_SET_FIELDS, TYPED_TAG_TYPES

# More places than this per type are not offered on one form (a set may allow more; the
# nominator sends the form again).
MAX_NOMINATION_ROWS = 20
DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


def users_named(text: str):
    """The active users with these logins (commas between), and the names nobody has."""
    users, unknown = [], []
    for name in tags_parse(text or ""):
        user = get_user_model().objects.filter(username__iexact=name, is_active=True).first()
        if user is None:
            unknown.append(name)
        elif user not in users:
            users.append(user)
    return users, unknown


class LoginsField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("autocomplete", "off")

    def clean(self, value):
        users, unknown = users_named(super().clean(value))
        if unknown:
            raise forms.ValidationError(
                _("There is no user called %(names)s.")
                % {"names": ", ".join(f"“{n}”" for n in unknown)},
                code="unknown",
            )
        return users


class WindowField(forms.DateTimeField):
    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault(
            "widget", forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT)
        )
        kwargs.setdefault("help_text", _("Date and time in UTC."))
        super().__init__(**kwargs)


def _limit_field(label):
    return NumberField(
        label=label,
        min_value=0,
        max_value=100,
        initial=0,
        error_messages={
            "required": _("Enter a number (0 for none)."),
            "invalid": _("Enter a whole number."),
            "min_value": _("Enter a number of 0 or more."),
            "max_value": _("Enter a number of at most 100."),
        },
        widget=forms.NumberInput(attrs={"size": 4, "class": "number"}),
    )


class TagSetForm(PostingForm):
    title = AuthorTextField(
        label=_("Title"),
        limit=TITLE_MAX_LENGTH,
        required=True,
        error_messages={"required": _("Please enter a title.")},
    )
    description = AuthorTextField(
        label=_("Description"), limit=NOTES_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 4})
    )
    owners = LoginsField(
        label=_("Owners"),
        help_text=_(
            "Logins of the people who own the set, separated by commas. A set keeps at least "
            "one owner."
        ),
    )
    moderators = LoginsField(
        label=_("Moderators"),
        help_text=_("Logins of the people who help: they edit the tags and review nominations."),
    )
    nominations_open_at = WindowField(label=_("Nominations open"))
    nominations_close_at = WindowField(label=_("Nominations close"))
    fandom_nominations = _limit_field(_("Fandoms per nominator"))
    character_nominations = _limit_field(_("Characters per nominator"))
    relationship_nominations = _limit_field(_("Relationships per nominator"))
    freeform_nominations = _limit_field(_("Additional tags per nominator"))

    ADD_LABELS = {
        TagType.FANDOM: _("Add fandoms"),
        TagType.CHARACTER: _("Add characters"),
        TagType.RELATIONSHIP: _("Add relationships"),
        TagType.FREEFORM: _("Add additional tags"),
    }

    def __init__(self, data=None, *args, user, tag_set=None, **kwargs):
        self.user = user
        self.tag_set = tag_set
        current = []
        if tag_set is not None:
            current = list(tag_set.tags.order_by(Lower("name")))
            if "initial" not in kwargs:
                initial = {name: getattr(tag_set, name) for name in TAG_SET_FIELDS}
                initial["owners"] = ", ".join(u.username for u in tag_set.owners.all())
                initial["moderators"] = ", ".join(u.username for u in tag_set.moderators.all())
                for tag_type in CHOSEN_TAG_TYPES:
                    initial[f"{tag_type}_chosen"] = [t.name for t in current if t.type == tag_type]
                kwargs["initial"] = initial
        else:
            kwargs.setdefault("initial", {"owners": user.username})
        super().__init__(data, *args, **kwargs)
        self.can_manage = True
        for tag_type in CHOSEN_TAG_TYPES:
            names = Tag.objects.filter(type=tag_type, canonical=True).order_by("name")
            self.fields[f"{tag_type}_chosen"] = forms.MultipleChoiceField(
                label=TagType(tag_type).label,
                required=False,
                choices=[(n, n) for n in names.values_list("name", flat=True)],
                widget=forms.CheckboxSelectMultiple,
            )
        for tag_type in TYPED_TAG_TYPES:
            in_set = [t for t in current if t.type == tag_type]
            if in_set:
                self.fields[f"{tag_type}_remove"] = IdMultipleChoiceField(
                    label=_("%(type)s (check to remove)") % {"type": TagType(tag_type).label},
                    required=False,
                    queryset=tag_set.tags.filter(type=tag_type).order_by(Lower("name")),
                    widget=forms.CheckboxSelectMultiple,
                )
            self.fields[f"{tag_type}_add"] = TagNamesField(
                tag_type=tag_type, label=self.ADD_LABELS[tag_type]
            )

    def manage(self, allowed: bool) -> None:
        """Who runs the set is changed by its owners only: for others the fields are shown
        but not taken."""
        self.can_manage = allowed
        for name in ("owners", "moderators"):
            self.fields[name].disabled = not allowed

    def clean_title(self):
        title = self.cleaned_data["title"].strip()
        if not title:
            raise forms.ValidationError(_("Please enter a title."), code="required")
        return title

    def clean(self):
        cleaned = super().clean()
        opens, closes = cleaned.get("nominations_open_at"), cleaned.get("nominations_close_at")
        if opens and closes and closes <= opens:
            self.add_error("nominations_close_at", _("Nominations must close after they open."))
        return cleaned

    def fields_for_service(self) -> dict:
        return {name: self.cleaned_data[name] for name in TAG_SET_FIELDS}

    def typed_names(self) -> dict:
        return {t: self.cleaned_data.get(f"{t}_add") or [] for t in TYPED_TAG_TYPES}

    def chosen_names(self) -> dict:
        return {t: self.cleaned_data.get(f"{t}_chosen") or [] for t in CHOSEN_TAG_TYPES}

    def removed(self) -> list:
        removed = []
        for tag_type in TYPED_TAG_TYPES:
            removed += list(self.cleaned_data.get(f"{tag_type}_remove") or [])
        return removed

    def sections(self):
        """The tag fields by type, for the template."""
        rows = []
        for tag_type in CHOSEN_TAG_TYPES:
            # The checkboxes' own legend names the type.
            rows.append({"label": TagType(tag_type).label, "fields": [self[f"{tag_type}_chosen"]]})
        for tag_type in TYPED_TAG_TYPES:
            names = [f"{tag_type}_remove", f"{tag_type}_add"]
            rows.append(
                {
                    "label": TagType(tag_type).label,
                    "heading": True,
                    "fields": [self[n] for n in names if n in self.fields],
                }
            )
        return rows

    def limit_fields(self):
        return [self[f"{t}_nominations"] for t in NOMINATION_TYPES]


class NominationForm(PostingForm):
    """One row per place left of each type the set takes (a name, and for characters and
    relationships the fandom they belong to)."""

    ROW_LABELS = {
        TagType.FANDOM: _("Fandom %(number)d"),
        TagType.CHARACTER: _("Character %(number)d"),
        TagType.RELATIONSHIP: _("Relationship %(number)d"),
        TagType.FREEFORM: _("Additional tag %(number)d"),
    }

    def __init__(self, *args, slots, **kwargs):
        super().__init__(*args, **kwargs)
        self.sections = []
        for slot in slots:
            tag_type = slot["tag_type"]
            rows = []
            for number in range(1, min(slot["left"], MAX_NOMINATION_ROWS) + 1):
                name = f"{tag_type}_{number}"
                self.fields[name] = forms.CharField(
                    label=self.ROW_LABELS[tag_type] % {"number": number},
                    required=False,
                    widget=forms.TextInput(
                        attrs={"data-autocomplete-type": tag_type, "autocomplete": "off"}
                    ),
                )
                row = [self[name]]
                if tag_type in TYPES_WITH_FANDOM:
                    self.fields[f"{name}_fandom"] = forms.CharField(
                        label=_("Fandom of %(type)s %(number)d")
                        % {"type": TagType(tag_type).label, "number": number},
                        required=False,
                        widget=forms.TextInput(
                            attrs={"data-autocomplete-type": "fandom", "autocomplete": "off"}
                        ),
                    )
                    row.append(self[f"{name}_fandom"])
                rows.append(row)
            self.sections.append({**slot, "rows": rows})

    def clean(self):
        cleaned = super().clean()
        seen = {}
        for name, value in list(cleaned.items()):
            text = (value or "").strip()
            if not text:
                continue
            problem = tag_name_problem(text)
            if problem:
                self.add_error(name, problem)
                continue
            if name.endswith("_fandom"):
                continue
            key = (name.split("_")[0], text.lower())
            if key in seen:
                self.add_error(name, _("You have already entered “%(name)s”.") % {"name": text})
            seen[key] = name
        if not self.errors and not seen:
            raise forms.ValidationError(_("Enter at least one tag to nominate."), code="empty")
        return cleaned

    def nominees(self) -> list[Nominee]:
        found = []
        for section in self.sections:
            for row in section["rows"]:
                name = (self.cleaned_data.get(row[0].name) or "").strip()
                if not name:
                    continue
                parent = self.cleaned_data.get(row[1].name, "") if len(row) > 1 else ""
                found.append(Nominee(section["tag_type"], name, parent, field=row[0].name))
        return found


class ReviewForm(forms.Form):
    """The moderators' decisions: nominations (one per type and name) to approve or reject,
    and for each, optionally, another name for the tag."""

    def __init__(self, *args, pending, rows, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["approve"] = IdMultipleChoiceField(queryset=pending, required=False)
        self.fields["reject"] = IdMultipleChoiceField(queryset=pending, required=False)
        self.row_ids = [row.nomination.pk for row in rows]
        for row in rows:
            nomination = row.nomination
            self.fields[f"name_{nomination.pk}"] = forms.CharField(
                required=False,
                widget=forms.TextInput(
                    attrs={
                        # "Approve as" and the nomination's name (templates: the label and the dt).
                        "aria-labelledby": f"approve_as_{nomination.pk} nomination_{nomination.pk}",
                        "data-autocomplete-type": nomination.tag_type,
                        "autocomplete": "off",
                        "size": 14,
                    }
                ),
            )
            row.name_field = self[f"name_{nomination.pk}"]

    def clean(self):
        cleaned = super().clean()
        for pk in self.row_ids:
            text = (cleaned.get(f"name_{pk}") or "").strip()
            problem = tag_name_problem(text) if text else None
            if problem:
                self.add_error(f"name_{pk}", problem)
        if not self.errors and not cleaned.get("approve") and not cleaned.get("reject"):
            raise forms.ValidationError(_("Choose nominations to approve or reject."), code="empty")
        return cleaned

    def names(self) -> dict[int, str]:
        return {pk: self.cleaned_data.get(f"name_{pk}", "") for pk in self.row_ids}
