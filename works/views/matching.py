"""A gift exchange's matching, for the collection's owner and moderators (404 to anyone else):
/collections/<name>/potential_matches and its actions (generate, give a recipient another of
their potential givers, regenerate one person, send the assignments).

Every write is the same short shape: ids from the form -> works.services.matching ->
a message -> back to the review page.
"""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from archive.auth import login_required
from archive.errors import Refused, message_refusal
from archive.params import parse_id
from works.models import PotentialMatch, Signup
from works.pages.matching import exchange_or_404, matching_summary, potential_matches_context
from works.services import matching as services


def _back(challenge, anchor: str = ""):
    url = reverse("works:potential_matches", args=[challenge.collection.name])
    return redirect(f"{url}{anchor}")


def _signup(challenge, request, name) -> Signup:
    """A sign-up of this challenge named by the form; anything else is a 404."""
    pk = parse_id(request.POST.get(name, "")) or 0
    return get_object_or_404(
        Signup.objects.select_related("pseud__user"), challenge=challenge, pk=pk
    )


@login_required
def potential_matches(request, name):
    challenge = exchange_or_404(request.user, name)
    context = potential_matches_context(request, challenge)
    return render(request, "works/challenges/matching/potential_matches.html", context)


@login_required
@require_POST
def potential_matches_generate(request, name):
    challenge = exchange_or_404(request.user, name)
    try:
        services.matching_start(challenge=challenge, moderator=request.user)
    except Refused as refused:
        message_refusal(request, refused)
    else:
        messages.success(
            request,
            _("Potential matches are being generated. Reload this page to see them."),
        )
    return _back(challenge)


@login_required
@require_POST
def potential_matches_swap(request, name):
    """Give the recipient the chosen potential giver; the giver's former recipient gets the
    recipient's former giver."""
    challenge = exchange_or_404(request.user, name)
    recipient = _signup(challenge, request, "recipient")
    giver = _signup(challenge, request, "giver")
    try:
        pairs = services.match_assign_giver(
            challenge=challenge, moderator=request.user, recipient=recipient, giver=giver
        )
    except Refused as refused:
        message_refusal(request, refused)
    else:
        names = {"giver": giver.pseud.byline, "recipient": recipient.pseud.byline}
        messages.success(request, _("%(giver)s now writes for %(recipient)s.") % names)
        if any(not pair.good for pair in pairs):
            messages.warning(
                request,
                _("A pair you made does not meet the challenge's match rules."),
            )
    return _back(challenge, f"#match-{recipient.pk}")


@login_required
@require_POST
def potential_matches_regenerate(request, name):
    challenge = exchange_or_404(request.user, name)
    signup = _signup(challenge, request, "signup")
    try:
        pairs = services.match_regenerate(
            challenge=challenge, moderator=request.user, signup=signup
        )
    except Refused as refused:
        message_refusal(request, refused)
    else:
        byline = signup.pseud.byline
        if (
            any(pair.recipient == signup.pk for pair in pairs)
            or PotentialMatch.objects.filter(
                challenge=challenge, recipient=signup, assigned=True
            ).exists()
        ):
            messages.success(
                request, _("The matches of %(name)s were regenerated.") % {"name": byline}
            )
        else:
            messages.warning(
                request,
                _("The matches of %(name)s were regenerated, but nobody free can write for them.")
                % {"name": byline},
            )
    return _back(challenge)


@login_required
@require_http_methods(["GET", "POST"])
def potential_matches_send(request, name):
    """A confirmation page, then the sending (assignments cannot be regenerated after it)."""
    challenge = exchange_or_404(request.user, name)
    if request.method == "POST":
        try:
            count = services.assignments_send(challenge=challenge, moderator=request.user)
        except Refused as refused:
            message_refusal(request, refused)
            return _back(challenge)
        messages.success(
            request,
            ngettext("%(count)d assignment was sent.", "%(count)d assignments were sent.", count)
            % {"count": count},
        )
        return redirect(challenge.collection)
    context = matching_summary(challenge)
    return render(request, "works/challenges/matching/send_confirm.html", context)
