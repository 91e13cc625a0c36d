"""Challenge sign-ups (issue 20, part 1): the owner's challenge settings, signing up, one
sign-up's page, its edit and delete, the moderators' list of sign-ups and their audit, and
the requests summary.

A sign-up is its participant's and the challenge staff's alone: anyone else gets 404
(works.models.visibility, through works.pages.signups). Writes: form -> works.services.signups
-> redirect.
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from archive.auth import login_required
from archive.errors import Refused, add_refusal, message_refusal
from works.forms.signups import ChallengeForm, SignupForm
from works.models import Challenge
from works.pages.collections import collection_or_404
from works.pages.signups import (
    action_label,
    audit_context,
    challenge_or_404,
    own_signup,
    requests_challenge_or_404,
    requests_context,
    signup_context,
    signup_or_404,
    signups_context,
    staff_challenge_or_404,
    user_signups_list,
)
from works.services import challenge_settings
from works.services import signups as services

TEMPLATES = "works/challenges/signups/"


@login_required
@require_http_methods(["GET", "POST"])
def challenge_edit(request, name):
    """/collections/<name>/challenge/edit: the owner makes the collection a gift exchange or
    a prompt meme, or changes its settings (404 to anyone else)."""
    collection = collection_or_404(name)
    if collection.owner_id != request.user.pk:
        raise Http404
    challenge = Challenge.objects.filter(collection=collection).first()
    form = ChallengeForm(request.POST or None, challenge=challenge, owner=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            challenge_settings.challenge_save(
                collection=collection,
                actor=request.user,
                fields=form.challenge_fields(),
                rules=form.rule_values(),
            )
        except Refused as refused:
            add_refusal(form, refused)
        else:
            messages.success(request, _("Challenge settings were saved."))
            return redirect(collection)
    context = {"form": form, "collection": collection, "challenge": challenge}
    return render(request, TEMPLATES + "challenge_form.html", context)


@login_required
@require_GET
def signup_index(request, name):
    """/collections/<name>/signups: every sign-up, for the challenge's staff."""
    challenge = staff_challenge_or_404(name, request.user)
    return render(request, TEMPLATES + "signup_index.html", signups_context(request, challenge))


@login_required
@require_http_methods(["GET", "POST"])
def signup_new(request, name):
    """/collections/<name>/signups/new: sign up while sign-ups are open."""
    challenge = challenge_or_404(name)
    mine = own_signup(challenge, request.user)
    if mine is not None:
        return redirect("works:signup", name, mine.pk)
    if not challenge.signups_open():
        messages.error(request, _("Sign-ups are closed."))
        return redirect(challenge.collection)
    form = SignupForm(request.POST or None, challenge=challenge, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            signup = services.signup_create(
                challenge=challenge, user=request.user, **form.signup_values()
            )
        except Refused as refused:
            add_refusal(form, refused)
        else:
            messages.success(request, _("Sign-up was successfully created."))
            return redirect("works:signup", name, signup.pk)
    context = {"form": form, "challenge": challenge, "collection": challenge.collection}
    return render(request, TEMPLATES + "signup_form.html", context)


@require_GET
def signup_detail(request, name, signup_id):
    """/collections/<name>/signups/<id>: one sign-up, for its participant and the staff."""
    challenge = challenge_or_404(name)
    signup = signup_or_404(challenge, signup_id, request.user)
    context = signup_context(challenge, signup, request.user)
    return render(request, TEMPLATES + "signup_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def signup_edit(request, name, signup_id):
    challenge = challenge_or_404(name)
    signup = signup_or_404(challenge, signup_id, request.user)
    if not signup_context(challenge, signup, request.user)["may_change"]:
        messages.error(request, _("Sign-ups are closed."))
        return redirect("works:signup", name, signup.pk)
    form = SignupForm(request.POST or None, challenge=challenge, user=signup.user, signup=signup)
    if request.method == "POST" and form.is_valid():
        try:
            services.signup_update(signup=signup, actor=request.user, **form.signup_values())
        except Refused as refused:
            add_refusal(form, refused)
        else:
            messages.success(request, _("Sign-up was successfully updated."))
            return redirect("works:signup", name, signup.pk)
    context = {
        "form": form,
        "challenge": challenge,
        "collection": challenge.collection,
        "signup": signup,
    }
    return render(request, TEMPLATES + "signup_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def signup_delete(request, name, signup_id):
    """Asks first (GET), deletes on POST."""
    challenge = challenge_or_404(name)
    signup = signup_or_404(challenge, signup_id, request.user)
    context = signup_context(challenge, signup, request.user)
    if request.method == "POST":
        by_staff = signup.user_id != request.user.pk
        try:
            services.signup_delete(signup=signup, actor=request.user)
        except Refused as refused:
            message_refusal(request, refused)
            return redirect("works:signup", name, signup_id)
        messages.success(request, _("Sign-up was deleted."))
        if by_staff:
            return redirect("works:signups", name)
        return redirect(challenge.collection)
    return render(request, TEMPLATES + "signup_delete.html", context)


@require_GET
def challenge_requests(request, name):
    """/collections/<name>/requests: AO3's requests summary, for the staff, and for everyone
    when the owner made it visible; never who asked (but to the staff)."""
    challenge = requests_challenge_or_404(name, request.user)
    if challenge.is_prompt_meme:
        return redirect("works:collection_prompts", name)
    return render(request, TEMPLATES + "requests.html", requests_context(request, challenge))


@login_required
@require_GET
def challenge_log(request, name):
    """/collections/<name>/challenge/log: the moderators' actions, for the staff."""
    challenge = staff_challenge_or_404(name, request.user)
    context = audit_context(request, challenge)
    for action in context["actions"]:
        action.label = action_label(action.action)
    return render(request, TEMPLATES + "challenge_log.html", context)


@login_required
@require_GET
def user_signups(request, login):
    """/users/<login>/signups: one's own sign-ups, each with its challenge (404 to others)."""
    if request.user.username.lower() != login.lower():
        raise Http404
    context = {"signups": user_signups_list(request.user)}
    return render(request, TEMPLATES + "user_signups.html", context)
