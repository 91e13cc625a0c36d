"""The claim page's form: the email address of an account on an archive that was imported
(works/services/claims.py)."""

from django import forms
from django.utils.translation import gettext_lazy as _


class ClaimForm(forms.Form):
    email = forms.EmailField(
        label=_("Email address of your account on the old archive"), max_length=254
    )
