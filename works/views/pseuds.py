"""A person's pseuds (/users/<login>/pseuds...), their profile's bio and the change of their
login: the pages anyone may read, and the forms only the account's owner reaches (404 for
everyone else, as every owner page). Reads come from works/pages/pseuds.py, writes go
through works/services/pseuds.py."""

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from archive.errors import Refused, add_refusal
from archive.models import Pseud
from archive.people import owner_or_404, person_or_404
from works.forms.pseuds import LoginChangeForm, ProfileForm, PseudForm
from works.listing.pages import work_list_response
from works.models import Work
from works.pages.pseuds import pseud_or_404, pseud_page_context
from works.services import pseuds as services


def pseud_list(request, login):
    person = person_or_404(login)
    is_owner = request.user.is_authenticated and request.user.pk == person.pk
    pseuds = list(Pseud.objects.filter(user=person))
    for pseud in pseuds:
        pseud.user = person
    context = {"person": person, "pseuds": pseuds, "is_owner": is_owner}
    return render(request, "works/pseuds/pseud_list.html", context)


def user_pseud(request, login, pseud):
    """/users/<login>/pseuds/<pseud>: the pseud's description, works, series and bookmarks."""
    person = person_or_404(login)
    pseud = pseud_or_404(person, pseud)
    context = pseud_page_context(pseud, request.user)
    context["is_owner"] = request.user.is_authenticated and request.user.pk == person.pk
    return render(request, "archive/user_pseud.html", context)


def pseud_works(request, login, pseud):
    """/users/<login>/pseuds/<pseud>/works: the shared listing with its filters."""
    person = person_or_404(login)
    pseud = pseud_or_404(person, pseud)
    return work_list_response(
        request,
        works=Work.objects.naming_creators_to(request.user).filter(work_creators__pseud=pseud),
        heading_by=pseud.byline,
        heading_by_url=pseud.get_absolute_url(),
    )


def _pseud_form_page(request, person, form, pseud=None, status=200):
    context = {"person": person, "form": form, "pseud": pseud}
    return render(request, "works/pseuds/pseud_form.html", context, status=status)


@require_http_methods(["GET", "POST"])
def pseud_new(request, login):
    person = owner_or_404(request, login)
    form = PseudForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            pseud = services.pseud_create(user=person, **form.cleaned_data)
        except Refused as refused:
            add_refusal(form, refused)
        else:
            messages.success(request, _("Pseud was successfully created."))
            return redirect(pseud)
    return _pseud_form_page(request, person, form, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
def pseud_edit(request, login, pseud):
    person = owner_or_404(request, login)
    pseud = pseud_or_404(person, pseud)
    initial = {"name": pseud.name, "description": pseud.description}
    initial["is_default"] = pseud.is_default
    form = PseudForm(request.POST or None, initial=initial)
    if pseud.is_default:
        form.fields["is_default"].disabled = True
    if request.method == "POST" and form.is_valid():
        try:
            services.pseud_update(pseud=pseud, **form.cleaned_data)
        except Refused as refused:
            add_refusal(form, refused)
        else:
            messages.success(request, _("Pseud was successfully updated."))
            return redirect(pseud)
    return _pseud_form_page(request, person, form, pseud, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
def pseud_delete(request, login, pseud):
    """Confirm, then delete: its works and bookmarks move to the default pseud."""
    person = owner_or_404(request, login)
    pseud = pseud_or_404(person, pseud)
    if request.method == "POST":
        try:
            default = services.pseud_delete(pseud=pseud)
        except Refused as refused:
            messages.error(request, refused.message)
            return redirect(pseud)
        messages.success(
            request,
            _("The pseud was deleted; its works and bookmarks are now under %(name)s.")
            % {"name": default.name},
        )
        return redirect("works:pseud_list", login=person.username)
    context = {"person": person, "pseud": pseud}
    return render(request, "works/pseuds/pseud_confirm_delete.html", context)


@require_http_methods(["GET", "POST"])
def profile_edit(request, login):
    person = owner_or_404(request, login)
    form = ProfileForm(request.POST or None, initial={"bio": person.bio})
    if request.method == "POST" and form.is_valid():
        services.profile_update(user=person, bio=form.cleaned_data["bio"])
        messages.success(request, _("Your profile has been successfully updated."))
        return redirect("works:user_profile", login=person.username)
    status = 400 if form.errors else 200
    return render(
        request, "works/pseuds/profile_form.html", {"person": person, "form": form}, status=status
    )


@require_http_methods(["GET", "POST"])
def change_username(request, login):
    """AO3's /users/<login>/change_username: the new login and the password; at most once
    every 7 days (works/services/pseuds.py)."""
    person = owner_or_404(request, login)
    form = LoginChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.login_change(user=person, **form.cleaned_data)
        except Refused as refused:
            add_refusal(form, refused)
        else:
            person.refresh_from_db()
            update_session_auth_hash(request, person)
            messages.success(request, _("Your user name has been successfully updated."))
            return redirect("works:user_profile", login=person.username)
    context = {
        "person": person,
        "form": form,
        "allowed_at": services.login_change_allowed_at(person),
        "days": services.LOGIN_CHANGE_DAYS,
    }
    status = 400 if form.errors else 200
    return render(request, "works/pseuds/change_username.html", context, status=status)
