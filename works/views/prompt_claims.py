"""Claiming a prompt meme's prompts (issue 20, part 5): claim, drop a claim, and a person's
claims at /users/<login>/claims (theirs alone). Filling a claim is posting a work from its
"Fulfill" link (works/views/posting.py). The prompts pages themselves are
works/views/collections.py's, built by works/pages/prompt_meme.py.
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from archive.auth import login_required
from archive.errors import Refused, message_refusal
from archive.people import owner_or_404
from archive.services.moderation import writer_required
from works.models import Challenge, Claim, Prompt
from works.pages.prompt_meme import user_claims_context
from works.services import prompt_claims


def _prompt_page(claim_or_prompt):
    prompt = getattr(claim_or_prompt, "prompt", claim_or_prompt)
    collection = prompt.challenge.collection
    return redirect("works:collection_prompt", collection.name, prompt.pk)


@login_required
@writer_required
@require_POST
def prompt_claim(request, name, prompt_id):
    """POST /collections/<name>/prompts/<id>/claim: claim the prompt."""
    prompt = get_object_or_404(
        Prompt.objects.select_related("challenge__collection"),
        pk=prompt_id,
        challenge__collection__name=name,
        challenge__kind=Challenge.Kind.PROMPT_MEME,
        side=Prompt.Side.REQUEST,
    )
    try:
        prompt_claims.claim_add(user=request.user, prompt=prompt)
    except Refused as refused:
        message_refusal(request, refused)
    else:
        messages.success(request, _("New claim made."))
    return _prompt_page(prompt)


@login_required
@require_POST
def claim_drop(request, name, claim_id):
    """POST /collections/<name>/claims/<id>/drop: the claimant (or the collection's staff)
    drops the claim."""
    claim = get_object_or_404(
        Claim.objects.select_related("challenge__collection", "prompt", "work"),
        pk=claim_id,
        challenge__collection__name=name,
    )
    try:
        prompt_claims.claim_drop(user=request.user, claim=claim)
    except Refused as refused:
        if refused.code == "not_yours":
            raise Http404 from None  # someone else's claim: as if there were none
        message_refusal(request, refused)
    else:
        if claim.user_id == request.user.pk:
            messages.success(request, _("Your claim was dropped."))
        else:
            messages.success(request, _("The claim was deleted."))
    return _prompt_page(claim)


@login_required
def user_claims(request, login):
    """/users/<login>/claims: the owner's claims (unfilled; ?posted=true the filled ones)."""
    person = owner_or_404(request, login)
    return render(
        request,
        "works/challenges/prompt_meme/user_claims.html",
        user_claims_context(request, person),
    )
