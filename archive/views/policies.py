"""The site's policies: Terms of Service, Privacy Policy and Content Policy.

Each page is `templates/archive/policy.html` around the text in `templates/site/<name>.html`;
a site replaces the text with its own file of that name in ARCHIVE_TEMPLATES_DIR (README,
"Your own Terms and policies")."""

from django.conf import settings
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

POLICIES = {
    "tos": _("Terms of Service"),
    "privacy": _("Privacy Policy"),
    "content": _("Content Policy"),
}


def _policy(request, name):
    return render(
        request,
        "archive/policy.html",
        {
            "title": POLICIES[name],
            "text_template": f"site/{name}.html",
            "policy": name,
            "minimum_age": settings.ARCHIVE_MINIMUM_AGE,
            "tos_version": settings.ARCHIVE_TOS_VERSION,
        },
    )


@require_GET
def tos(request):
    return _policy(request, "tos")


@require_GET
def privacy(request):
    return _policy(request, "privacy")


@require_GET
def content_policy(request):
    return _policy(request, "content")
