"""Claiming imported works (works/services/claims.py): /works/import/claim asks for the old
account's email address; the link emailed to it opens /works/import/claim/<token>, which
shows the works and claims them on a POST. Both need the user logged in."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from archive.auth import login_required
from archive.errors import Refused
from archive.ratelimit import rate_limit
from works.forms.claims import ClaimForm
from works.services import claims


@login_required
@require_http_methods(["GET", "POST"])
@rate_limit("claim_request", key="user")
def claim_start(request):
    form = ClaimForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        claims.claim_request(user=request.user, email=form.cleaned_data["email"])
        messages.info(
            request,
            _(
                "If works from an imported archive wait for %(email)s, we have sent it a "
                "link to claim them. Follow it while logged in as %(login)s."
            )
            % {"email": form.cleaned_data["email"], "login": request.user.username},
        )
        return redirect("works:claim")
    return render(request, "works/claims/claim_start.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def claim_confirm(request, token):
    try:
        creators = claims.claim_check(user=request.user, token=token)
    except Refused as refused:
        context = {"refusal": refused.message, "form": ClaimForm()}
        return render(request, "works/claims/claim_start.html", context, status=400)
    if request.method == "POST":
        try:
            count = claims.claim_accept(user=request.user, token=token)
        except Refused as refused:
            context = {"refusal": refused.message, "form": ClaimForm()}
            return render(request, "works/claims/claim_start.html", context, status=400)
        messages.success(request, _("Works claimed: %(count)d.") % {"count": count})
        return redirect("works:user_works", request.user.username)
    context = {"creators": creators, "works": claims.claimed_works(creators)}
    return render(request, "works/claims/claim_confirm.html", context)
