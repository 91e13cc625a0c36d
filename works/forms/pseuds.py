"""Forms for pseuds, the profile and the login, and the pseud choice of the posting and
bookmark forms. They validate what was typed; works/services/pseuds.py acts (and refuses)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from archive.forms import LOGIN_MAX_LENGTH
from archive.models import Pseud
from archive.models.pseuds import PSEUD_DESCRIPTION_MAX_LENGTH, PSEUD_NAME_MAX_LENGTH
from archive.models.users import BIO_MAX_LENGTH
from archive.params import IdChoiceField
from tags.services import tags_parse
from works.services.creatorships import pseuds_from_bylines

MAX_COCREATORS = 20


class PseudChoiceField(IdChoiceField):
    """One of the user's pseuds, shown as AO3 shows them (the name alone)."""

    def label_from_instance(self, obj):
        return obj.name


def pseud_choice(user, *, label, initial=None) -> PseudChoiceField:
    """A select of `user`'s pseuds, `initial` (default: the default pseud) chosen. Left out of
    a post, it means the default pseud (or, editing, the one already chosen)."""
    pseuds = list(Pseud.objects.filter(user=user))
    if initial is None:
        initial = next((p for p in pseuds if p.is_default), None)
    field = PseudChoiceField(
        queryset=Pseud.objects.filter(user=user),
        required=False,
        empty_label=None,
        label=label,
        initial=initial.pk if initial else None,
        error_messages={"invalid_choice": _("Choose one of your own pseuds.")},
    )
    field.pseud_count = len(pseuds)
    return field


class PseudForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=PSEUD_NAME_MAX_LENGTH,
        help_text=_(
            "1 to %(max)d characters: letters, numbers, spaces, underscores and hyphens, "
            "beginning and ending with a letter or number."
        )
        % {"max": PSEUD_NAME_MAX_LENGTH},
    )
    is_default = forms.BooleanField(label=_("Make this name default"), required=False)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=PSEUD_DESCRIPTION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4, "cols": 60}),
        help_text=_("Markdown or plain HTML; shown on the pseud's page."),
    )


class ProfileForm(forms.Form):
    bio = forms.CharField(
        label=_("About me"),
        required=False,
        max_length=BIO_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8, "cols": 60}),
        help_text=_("Markdown or plain HTML; shown on your profile."),
    )


class LoginChangeForm(forms.Form):
    login = forms.CharField(
        label=_("New user name"),
        max_length=LOGIN_MAX_LENGTH,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_("Your current password, to confirm the change."),
    )


def cocreators_field() -> forms.CharField:
    """AO3's "Add co-creators?": pseuds or logins, separated by commas (autocompleted)."""
    return forms.CharField(
        label=_("Add co-creators?"),
        required=False,
        widget=forms.TextInput(attrs={"data-autocomplete-type": "pseud", "autocomplete": "off"}),
        help_text=_(
            "Pseuds or user names, separated by commas (“Pseud (login)” when several people "
            "share a pseud). Each is asked to accept before the work names them."
        ),
    )


def cocreators_clean(text: str) -> list:
    """The pseuds typed in the co-creators field; a ValidationError for names of no one."""
    names = tags_parse(text or "")
    if len(names) > MAX_COCREATORS:
        raise forms.ValidationError(
            _("Add at most %(max)d co-creators at a time.") % {"max": MAX_COCREATORS}
        )
    pseuds, problems = pseuds_from_bylines(names)
    if problems:
        raise forms.ValidationError(problems)
    return pseuds
