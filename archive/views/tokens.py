"""A member's personal access tokens for the API (/users/<login>/tokens): make one (its
secret shown on that response only), see each one's scopes and last use, revoke one.
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


@login_required
def tokens(request, login):
    person = owner_or_404(request, login)
    form = AccessTokenForm(request.POST or None)
    made = None
    if request.method == "POST" and form.is_valid():
        try:
            made, secret = token_create(
                person, name=form.cleaned_data["name"], scopes=form.cleaned_data["scopes"]
            )
        except Refused as refused:
            add_refusal(form, refused)
        else:
            made.secret = secret
            form = AccessTokenForm()
    context = {
        "person": person,
        "form": form,
        "made": made,
        "tokens": person.access_tokens.all(),
    }
    status = 400 if form.is_bound and form.errors else 200
    response = render(request, "archive/tokens.html", context, status=status)
    if made is not None:
        response["Cache-Control"] = "no-store"  # the secret is on this page only
    return response


@require_POST
@login_required
def token_revoke_view(request, login, token_id):
    person = owner_or_404(request, login)
    token = get_object_or_404(person.access_tokens, pk=token_id)
    token_revoke(token)
    messages.success(request, _("The token “%(name)s” is revoked.") % {"name": token.name})
    return redirect("user_tokens", login=person.username)
