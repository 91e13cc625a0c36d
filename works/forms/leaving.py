"""Forms for giving up works and leaving: orphaning and deleting an account."""

from django import forms
from django.utils.translation import gettext_lazy as _

KEEP_NAME = "keep"
DROP_NAME = "drop"
ORPHAN = "orphan"
DELETE = "delete"


class OrphanForm(forms.Form):
    """AO3's choice: take the creator's name off, or leave a copy of it on the byline."""

    name = forms.ChoiceField(
        label=_("Your name on the works"),
        choices=[
            (DROP_NAME, _("Take my pseud off as well: the byline reads “orphan_account”")),
            (KEEP_NAME, _("Leave a copy of my pseud name: “%(name)s (orphan_account)”")),
        ],
        initial=DROP_NAME,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, pseud: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].choices = [
            (value, label % {"name": pseud} if value == KEEP_NAME else label)
            for value, label in self.fields["name"].choices
        ]

    @property
    def keep_name(self) -> bool:
        return self.cleaned_data["name"] == KEEP_NAME


class AccountDeleteForm(forms.Form):
    """Deleting an account: what becomes of the works, and the password to confirm."""

    works = forms.ChoiceField(
        label=_("Your works"),
        choices=[
            (ORPHAN, _("Orphan my works: they stay on the archive under orphan_account")),
            (DELETE, _("Delete my works, with their comments, kudos and bookmarks")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose what becomes of your works.")},
    )
    keep_name = forms.BooleanField(
        label=_("Leave a copy of my pseud name on orphaned works"), required=False
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        max_length=4096,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": _("Type your password to confirm.")},
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(
                _("That is not your password. Your account was not deleted."), code="password"
            )
        return password
