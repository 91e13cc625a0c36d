"""Tag sets (issue 20, part 2), at AO3's addresses: /tag_sets (the index, ?query= by title),
/tag_sets/new, /tag_sets/<id> (the set and its tags by type), /tag_sets/<id>/edit (owners and
moderators; only owners change who runs it), /tag_sets/<id>/nominations/new (nominating while
the window is open, one's own nominations listed) and /tag_sets/<id>/nominations (the
moderators' review). Anyone else asking for a staff page gets 404."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from archive.auth import login_required
from archive.errors import Refused, add_refusal, message_refusal
from archive.params import parse_id
from works.forms.tag_sets import NominationForm, ReviewForm, TagSetForm
from works.models.visibility import is_tag_set_owner
from works.pages import tag_sets as pages
from works.services import tag_nominations, tag_sets


@require_GET
def tag_set_index(request):
    return render(request, "works/tag_sets/tag_set_index.html", pages.index_context(request))


@login_required
@require_http_methods(["GET", "POST"])
def tag_set_new(request):
    form = TagSetForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            tag_set = tag_sets.tag_set_create(
                owner=request.user,
                fields=form.fields_for_service(),
                owners=form.cleaned_data["owners"],
                moderators=form.cleaned_data["moderators"],
                names=form.typed_names(),
                chosen=form.chosen_names(),
            )
        except Refused as refused:
            add_refusal(form, refused)
        else:
            messages.success(request, _("Tag set was successfully created."))
            return redirect(tag_set)
    return render(request, "works/tag_sets/tag_set_form.html", {"form": form})


@require_GET
def tag_set_detail(request, tag_set_id):
    tag_set = pages.tag_set_or_404(tag_set_id)
    context = pages.detail_context(tag_set, request.user)
    return render(request, "works/tag_sets/tag_set_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def tag_set_edit(request, tag_set_id):
    tag_set = pages.staff_tag_set_or_404(request.user, tag_set_id)
    owner = is_tag_set_owner(tag_set, request.user)
    form = TagSetForm(request.POST or None, user=request.user, tag_set=tag_set)
    form.manage(owner)
    if request.method == "POST" and form.is_valid():
        try:
            tag_sets.tag_set_update(
                tag_set=tag_set,
                user=request.user,
                fields=form.fields_for_service(),
                owners=form.cleaned_data["owners"] if owner else None,
                moderators=form.cleaned_data["moderators"] if owner else None,
                add_names=form.typed_names(),
                remove=form.removed(),
                chosen=form.chosen_names(),
            )
        except Refused as refused:
            add_refusal(form, refused)
        else:
            messages.success(request, _("Tag set was successfully updated."))
            return redirect(tag_set)
    context = {"form": form, "tag_set": tag_set, **pages.navigation_context(tag_set, request.user)}
    return render(request, "works/tag_sets/tag_set_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def nomination_new(request, tag_set_id):
    """Nominate tags while the window is open; one's own nominations and their status."""
    tag_set = pages.tag_set_or_404(tag_set_id)
    slots = pages.nomination_slots(tag_set, request.user)
    form = NominationForm(request.POST or None, slots=slots)
    if request.method == "POST":
        if not tag_set.nominations_open():
            messages.error(
                request, _("Nominations for “%(title)s” are closed.") % {"title": tag_set.title}
            )
            return redirect("works:tag_set_nominate", tag_set.pk)
        if form.is_valid():
            try:
                created = tag_nominations.nominations_add(
                    tag_set=tag_set, nominator=request.user, nominees=form.nominees()
                )
            except Refused as refused:
                add_refusal(form, refused)
            else:
                messages.success(
                    request,
                    _("Your nominations were saved (%(count)d). The moderators will review them.")
                    % {"count": len(created)},
                )
                return redirect("works:tag_set_nominate", tag_set.pk)
    context = {
        "tag_set": tag_set,
        "form": form,
        "slots": slots,
        "mine": pages.my_nominations(tag_set, request.user),
        **pages.navigation_context(tag_set, request.user),
    }
    return render(request, "works/tag_sets/nomination_form.html", context)


@login_required
@require_POST
def nomination_withdraw(request, tag_set_id):
    tag_set = pages.tag_set_or_404(tag_set_id)
    nomination = get_object_or_404(
        tag_set.nominations,
        pk=parse_id(request.POST.get("nomination", "")) or 0,
        nominator=request.user,
    )
    try:
        tag_nominations.nomination_withdraw(nomination=nomination, nominator=request.user)
    except Refused as refused:
        message_refusal(request, refused)
    else:
        messages.success(request, _("Nomination withdrawn."))
    return redirect("works:tag_set_nominate", tag_set.pk)


@login_required
@require_http_methods(["GET", "POST"])
def nomination_review(request, tag_set_id):
    """The set's owners and moderators approve or reject pending nominations."""
    tag_set = pages.staff_tag_set_or_404(request.user, tag_set_id)
    groups = pages.review_groups(tag_set)
    rows = [row for group in groups for row in group["rows"]]
    pending = tag_set.nominations.filter(pk__in=[row.nomination.pk for row in rows])
    form = ReviewForm(request.POST or None, pending=pending, rows=rows)
    if request.method == "POST" and form.is_valid():
        try:
            approved, rejected = tag_nominations.nominations_review(
                tag_set=tag_set,
                moderator=request.user,
                approve=form.cleaned_data["approve"],
                reject=form.cleaned_data["reject"],
                names=form.names(),
            )
        except Refused as refused:
            add_refusal(form, refused)
        else:
            messages.success(
                request,
                _("Nominations approved: %(approved)d. Rejected: %(rejected)d.")
                % {"approved": approved, "rejected": rejected},
            )
            return redirect("works:tag_set_nominations", tag_set.pk)
    context = {
        "tag_set": tag_set,
        "form": form,
        "groups": groups,
        "reviewed": pages.reviewed_counts(tag_set),
        **pages.navigation_context(tag_set, request.user),
    }
    return render(request, "works/tag_sets/nomination_review.html", context)
