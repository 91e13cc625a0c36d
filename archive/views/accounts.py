"""Site-wide pages: sign up (open, or with an invitation), log in and out, password reset."""

from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.contrib.auth import views as auth_views
from django.http import JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from archive import backends, ratelimit
from archive.errors import Refused, add_refusal
from archive.forms import LoginForm, SignupForm
from archive.services.invitations import invitation_by_code
from archive.services.signup import account_create, invitations_required
from archive.site import site_email_context

# AO3's field names, posted by tools written for AO3, and ours.
AO3_LOGIN_FIELDS = {
    "user[login]": "username",
    "user[password]": "password",
    "user[remember_me]": "remember_me",
}


@sensitive_post_parameters("password1", "password2")
@never_cache
@require_http_methods(["GET", "POST"])
@ratelimit.rate_limit("signup")
def signup(request, code=""):
    """/signup, and /signup/<code> from an invitation email (or ?invitation_token=, AO3's)."""
    if request.user.is_authenticated:
        return redirect(request.user.get_absolute_url())
    required = invitations_required()
    code = code or request.GET.get("invitation_token", "")
    initial = {}
    if required and code:
        initial["invitation_code"] = code[:40]
        invitation = invitation_by_code(code)
        if invitation is not None and invitation.email and not invitation.is_used:
            initial["email"] = invitation.email
    form = SignupForm(request.POST or None, initial=initial, invitation_required=required)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = account_create(
                username=data["username"],
                email=data["email"],
                password=data["password1"],
                invitation_code=data.get("invitation_code", ""),
            )
        except Refused as refused:
            add_refusal(form, refused)
        else:
            auth_login(request, user, backend=backends.PATH)
            messages.success(request, _("Welcome! Your account is ready, and you can post now."))
            return redirect(user.get_absolute_url())
    return render(
        request, "registration/signup.html", {"form": form, "invitations_required": required}
    )


class LoginView(auth_views.LoginView):
    """Django's log-in view, also reading AO3's `user[login]` / `user[password]` fields."""

    form_class = LoginForm
    template_name = "registration/login.html"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        data = kwargs.get("data")
        if data is not None:
            data = data.copy()
            for ao3_name, our_name in AO3_LOGIN_FIELDS.items():
                if ao3_name in data and our_name not in data:
                    data[our_name] = data[ao3_name]
            kwargs["data"] = data
        return kwargs

    def form_valid(self, form):
        response = super().form_valid(form)
        if not form.cleaned_data.get("remember_me"):
            # As AO3: without "Remember me" the session ends when the browser closes.
            self.request.session.set_expiry(0)
        messages.success(self.request, _("Successfully logged in."))
        return response

    def get_default_redirect_url(self):
        return self.request.user.get_absolute_url()


@never_cache
@require_http_methods(["GET"])
def token_dispenser(request):
    """/token_dispenser.json: AO3's {"token": …}, the CSRF token a client posts back as its
    authenticity_token (FanFicFare logs in with it). The CSRF cookie comes with it."""
    return JsonResponse({"token": get_token(request)})


def _login_account(request):
    """The account a log-in attempt names (AO3's field or ours), for the per-account limit."""
    name = request.POST.get("username") or request.POST.get("user[login]") or ""
    return f"account:{name.strip().lower()}" if name.strip() else None


login = sensitive_post_parameters("password", "user[password]")(
    ratelimit.rate_limit("login_ip")(
        ratelimit.rate_limit("login_account", key=_login_account)(LoginView.as_view())
    )
)


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset view; the emailed link is built from ARCHIVE_SITE_URL, never from the
    Host header of the request that asked for it."""

    template_name = "registration/password_reset_form.html"
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"

    def form_valid(self, form):
        self.extra_email_context = site_email_context()
        return super().form_valid(form)


@never_cache
@require_http_methods(["GET", "POST"])
def logout(request):
    """GET asks for confirmation (logging out changes state); POST logs out."""
    if request.method == "POST":
        auth_logout(request)
        messages.success(request, _("You have successfully logged out."))
        return redirect("works:home")
    return render(request, "registration/logout_confirm.html")
