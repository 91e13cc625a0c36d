"""Account forms: sign up (with the Terms, the minimum age and, when the archive asks for
one, an invitation code), log in, invitations."""

import re

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm, BaseUserCreationForm
from django.db.models import Case, Q, Value, When
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from archive.errors import Refused
from archive.models import AccessToken
from archive.services.invitations import invitation_usable

LOGIN_MIN_LENGTH = 3
LOGIN_MAX_LENGTH = 40
# Letters, digits and underscores, beginning and ending with a letter or digit (as AO3).
LOGIN_PATTERN = re.compile(r"^[^\W_](?:\w*[^\W_])?$")
# orphan_account holds orphaned works (works/services/orphans.py); nobody may sign up as it.
ORPHAN_LOGIN = "orphan_account"
# Words that would collide with the pages under /users/, and orphan_account.
RESERVED_LOGINS = {
    "login",
    "logout",
    "password",
    "signup",
    "new",
    "admin",
    "edit",
    "delete",
    ORPHAN_LOGIN,
}


class SignupForm(BaseUserCreationForm):
    """User name, email and the password twice (Django's password validators apply), the
    Terms and the minimum age ticked, and the invitation code when `invitation_required`."""

    invitation_code = forms.CharField(
        label=_("Invitation code"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "none"}),
    )
    email = forms.EmailField(
        label=_("Email"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text=_("We send password reset links here. It is never shown to other users."),
    )

    class Meta(BaseUserCreationForm.Meta):
        model = get_user_model()
        fields = ("username", "email")
        labels = {"username": _("User name")}
        help_texts = {
            "username": _(
                "%(min)d to %(max)d characters: letters, numbers and underscores, "
                "beginning and ending with a letter or number."
            )
            % {"min": LOGIN_MIN_LENGTH, "max": LOGIN_MAX_LENGTH}
        }

    accept_terms = forms.BooleanField(
        label=_(
            "I have read and accept the Terms of Service, the Privacy Policy and the "
            "Content Policy."
        ),
        error_messages={
            "required": _("You need to accept the Terms of Service to create an account.")
        },
    )
    confirm_age = forms.BooleanField()

    def __init__(self, *args, invitation_required=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.invitation_required = invitation_required
        if not invitation_required:
            del self.fields["invitation_code"]
        else:
            self.fields["invitation_code"].help_text = format_html(
                '{} <a href="{}">{}</a>',
                gettext("The code from your invitation email. No invitation yet?"),
                reverse("invite_requests"),
                gettext("Join the queue."),
            )
        age = settings.ARCHIVE_MINIMUM_AGE
        self.fields["confirm_age"].label = gettext("I am at least %(age)d years old.") % {
            "age": age
        }
        self.fields["confirm_age"].error_messages["required"] = gettext(
            "You must be at least %(age)d years old to create an account."
        ) % {"age": age}
        self.fields["accept_terms"].help_text = format_html(
            '<a href="{}">{}</a> · <a href="{}">{}</a> · <a href="{}">{}</a>',
            reverse("tos"),
            gettext("Terms of Service"),
            reverse("privacy"),
            gettext("Privacy Policy"),
            reverse("content_policy"),
            gettext("Content Policy"),
        )
        self.fields["password1"].label = _("Password")
        self.fields["password2"].label = _("Confirm password")
        self.fields["password2"].help_text = _("Type the same password again.")
        self.fields["username"].widget.attrs.pop("autofocus", None)
        self.fields["username"].widget.attrs["maxlength"] = str(LOGIN_MAX_LENGTH)

    def _post_clean(self):
        # The model checks first, then Django's password validators, with their messages
        # next to the first password field rather than the confirmation.
        forms.ModelForm._post_clean(self)
        self.validate_password_for_user(self.instance, password_field_name="password1")

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        if not LOGIN_MIN_LENGTH <= len(username) <= LOGIN_MAX_LENGTH:
            raise forms.ValidationError(
                _("User names must be %(min)d to %(max)d characters long."),
                code="length",
                params={"min": LOGIN_MIN_LENGTH, "max": LOGIN_MAX_LENGTH},
            )
        if not LOGIN_PATTERN.match(username):
            raise forms.ValidationError(
                _(
                    "User names can contain only letters, numbers and underscores, and must "
                    "begin and end with a letter or number."
                ),
                code="characters",
            )
        taken = get_user_model().objects.filter(username__iexact=username).exists()
        if taken or username.lower() in RESERVED_LOGINS:
            raise forms.ValidationError(
                _("That user name is already taken."), code="unique_username"
            )
        return username

    def clean_email(self):
        email = self.cleaned_data["email"].strip()
        if get_user_model().objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(
                _("An account with that email address already exists."), code="unique_email"
            )
        return email

    def clean_invitation_code(self):
        code = self.cleaned_data.get("invitation_code", "").strip()
        if self.invitation_required:
            try:
                invitation_usable(code)
            except Refused as refused:
                raise forms.ValidationError(refused.message, code=refused.code) from None
        return code


class LoginForm(AuthenticationForm):
    """Log in by user name or email, in any letter case."""

    username = forms.CharField(
        label=_("User name or email"),
        max_length=254,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}),
    )
    remember_me = forms.BooleanField(label=_("Remember me"), required=False)

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _(
            "The user name or password you entered doesn't match our records. Please try again."
        ),
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        # AuthenticationForm sizes the field for user names; emails may be longer.
        self.fields["username"].max_length = 254
        self.fields["username"].widget.attrs["maxlength"] = "254"
        self.fields["username"].widget.attrs.pop("autofocus", None)

    def clean_username(self):
        """The account's real user name for what was typed (a user name or an email)."""
        typed = self.cleaned_data["username"].strip()
        matches = (
            get_user_model()
            .objects.filter(Q(username__iexact=typed) | Q(email__iexact=typed))
            .annotate(by_name=Case(When(username__iexact=typed, then=Value(0)), default=Value(1)))
            .order_by("by_name", "pk")
            .values_list("username", flat=True)
        )
        found = matches.first()
        return found if found is not None else typed


class InvitationEmailForm(forms.Form):
    """An email address: to join the queue, to check a place in it, to invite someone."""

    email = forms.EmailField(
        label=_("Email"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


class UserNameForm(forms.Form):
    """Someone to block or mute, by user name."""

    login = forms.CharField(label=_("User name"), max_length=150)


class AccessTokenForm(forms.Form):
    """A new personal access token for the API: a name to know it by and its scopes."""

    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("What the token is for, e.g. the program that will use it."),
    )
    scopes = forms.MultipleChoiceField(
        label=_("Scopes"),
        choices=AccessToken.Scope.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one scope.")},
    )
