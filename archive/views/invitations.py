"""The invitation queue (/invite_requests, /invite_requests/status) and a member's own
invitations (/users/<login>/invitations); the writes are archive/services/invitations.py."""

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from archive import ratelimit
from archive.auth import login_required
from archive.errors import Refused, add_refusal
from archive.forms import InvitationEmailForm
from archive.services import invitations as services
from archive.services.signup import invitations_required


def _status_ident(request):
    """Status look-ups are counted per address only when they name an email."""
    return ratelimit.ip_ident(request) if request.GET.get("email") else None


@never_cache
@require_http_methods(["GET", "POST"])
@ratelimit.rate_limit("invite_request")
def invite_requests(request):
    """Join the queue with an email address; the page says how long the queue is."""
    if not invitations_required():
        return render(request, "archive/invite_requests.html", {"open_signup": True})
    form = InvitationEmailForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            queued = services.invite_request_add(
                email=form.cleaned_data["email"], language=get_language() or ""
            )
        except Refused as refused:
            add_refusal(form, refused)
        else:
            messages.success(
                request,
                _(
                    "You are now in the queue, number %(position)d. We will email "
                    "%(email)s when your invitation is ready."
                )
                % {"position": services.invite_request_position(queued), "email": queued.email},
            )
            return redirect("invite_requests")
    context = {
        "form": form,
        "waiting": services.waiting().count(),
        "per_day": settings.ARCHIVE_INVITES_PER_DAY,
        "status_form": InvitationEmailForm(auto_id="status_%s"),
    }
    return render(request, "archive/invite_requests.html", context)


@never_cache
@require_GET
@ratelimit.rate_limit("invite_status", key=_status_ident, methods=("GET",))
def invite_request_status(request):
    """?email=: that address's place in the queue, or when its invitation was sent."""
    if not invitations_required():
        return render(request, "archive/invite_requests.html", {"open_signup": True})
    form = InvitationEmailForm(request.GET if "email" in request.GET else None)
    context = {"form": form, "asked": form.is_bound}
    if form.is_valid():
        found = services.invite_request_find(form.cleaned_data["email"])
        context["found"] = found
        if found is not None:
            context["position"] = services.invite_request_position(found)
    return render(request, "archive/invite_request_status.html", context)


@login_required
@require_http_methods(["GET", "POST"])
@ratelimit.rate_limit("invitation_send", key="user")
def user_invitations(request, login):
    """The member's invitations: how many they may still give, those sent and who used them."""
    if login.lower() != request.user.username.lower():
        raise Http404
    person = request.user
    form = InvitationEmailForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = services.invitation_give(
                user=person, email=form.cleaned_data["email"], language=get_language() or ""
            )
        except Refused as refused:
            add_refusal(form, refused)
        else:
            messages.success(
                request, _("Your invitation was sent to %(email)s.") % {"email": invitation.email}
            )
            return redirect(request.path)
    sent = person.invitations_made.select_related("used_by").order_by("-created_at", "-id")
    context = {"person": person, "form": form, "sent": sent}
    return render(request, "archive/user_invitations.html", context)
