"""Abuse reports: the form every "Report" link opens."""

from urllib.parse import urlsplit

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from archive.models import AbuseReport
from archive.ratelimit import rate_limit
from archive.services import moderation


class AbuseReportForm(forms.Form):
    url = forms.CharField(
        label=gettext_lazy("Link to the page you are reporting"),
        max_length=2000,
        help_text=gettext_lazy("The address of the work, comment or user page on this archive."),
    )
    reason = forms.ChoiceField(
        label=gettext_lazy("Reason"), choices=[("", "---------"), *AbuseReport.Reason.choices]
    )
    details = forms.CharField(
        label=gettext_lazy("Details"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=gettext_lazy("What is wrong, and where on the page? Plain text."),
    )
    email = forms.EmailField(
        label=gettext_lazy("Your email (optional)"),
        required=False,
        help_text=gettext_lazy("So the moderators can ask you questions or tell you the outcome."),
    )

    def __init__(self, *args, user=None, host=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.host = host
        if user is not None and user.is_authenticated:
            del self.fields["email"]

    def clean_url(self):
        url = self.cleaned_data["url"].strip()
        if not url_has_allowed_host_and_scheme(url, allowed_hosts={self.host}):
            raise forms.ValidationError(_("Give the address of a page on this archive."))
        parts = urlsplit(url)
        return parts.path + (f"?{parts.query}" if parts.query else "")


@require_http_methods(["GET", "POST"])
@rate_limit("report", methods=("POST",))
def report_new(request):
    form = AbuseReportForm(
        request.POST or None,
        initial={"url": request.GET.get("url", "")},
        user=request.user,
        host=request.get_host(),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        moderation.report_create(
            url=data["url"],
            reason=data["reason"],
            details=data["details"],
            reporter=request.user,
            reporter_email=data.get("email", "")
            or (request.user.email if request.user.is_authenticated else ""),
        )
        messages.success(
            request, _("Thank you. Your report has been sent to the archive's moderators.")
        )
        return redirect("works:home")
    return render(request, "archive/reports/new.html", {"form": form})
