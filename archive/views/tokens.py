"""A member's personal access tokens for the API (/users/<login>/tokens): make one (its
secret shown once, on the page after making it), see each one's scopes and last use, revoke one.
Only the owner sees these pages; anyone else gets 404."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from archive.auth import login_required
from archive.errors import Refused, add_refusal
from archive.forms import AccessTokenForm
from archive.people import owner_or_404
from archive.services.tokens import token_create, token_revoke

# The new token's secret waits in the session for the page after the redirect, which shows
# it once and forgets it (reloading that page, unlike reloading a POST, makes no new token).
JUST_MADE = "access_token_just_made"


@login_required
def tokens(request, login):
    person = owner_or_404(request, login)
    form = AccessTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            token, secret = token_create(
                person, name=form.cleaned_data["name"], scopes=form.cleaned_data["scopes"]
            )
        except Refused as refused:
            add_refusal(form, refused)
        else:
            request.session[JUST_MADE] = {"id": token.pk, "secret": secret}
            return redirect("user_tokens", login=person.username)
    made = _just_made(request, person)
    context = {
        "person": person,
        "is_owner": True,  # the person menu's owner links
        "form": form,
        "made": made,
        "tokens": person.access_tokens.all(),
    }
    status = 400 if form.is_bound and form.errors else 200
    response = render(request, "archive/tokens.html", context, status=status)
    if made is not None:
        response["Cache-Control"] = "no-store"  # the secret is on this page only
    return response


def _just_made(request, person):
    """The token made by the POST before this page, with its secret; once only."""
    just_made = request.session.pop(JUST_MADE, None) if request.method == "GET" else None
    if not just_made:
        return None
    made = person.access_tokens.filter(pk=just_made["id"], revoked_at=None).first()
    if made is not None:
        made.secret = just_made["secret"]
    return made


@require_POST
@login_required
def token_revoke_view(request, login, token_id):
    person = owner_or_404(request, login)
    token = get_object_or_404(person.access_tokens, pk=token_id)
    token_revoke(token)
    messages.success(request, _("The token “%(name)s” is revoked.") % {"name": token.name})
    return redirect("user_tokens", login=person.username)
