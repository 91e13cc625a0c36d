"""Running a collection: settings, moderation, invitations, reveals, prompts, for its owner
and moderators (404 to anyone else); and an author's side of consent at
/users/<login>/collection_items.

Every write is the same short shape: form -> works.services.collections -> redirect.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from archive.auth import login_required
from archive.errors import Refused, add_refusal
from archive.params import parse_id
from works.forms.collections import AddToCollectionForm, CollectionForm, InviteForm, PromptForm
from works.models import CollectionItem, Work
from works.pages.collections import (
    items_by_state,
    items_context,
    staff_collection_or_404,
)
from works.services import collections as services


def _posted_id(request, name) -> int:
    """A row id sent by a form; anything else finds nothing (404), never an error."""
    return parse_id(request.POST.get(name, "")) or 0


# Running a collection -------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def collection_new(request):
    form = CollectionForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        collection = services.collection_create(
            owner=request.user,
            fields=form.collection_fields(),
            moderators=form.cleaned_data["moderators"],
        )
        messages.success(request, _("Collection was successfully created."))
        return redirect(collection)
    return render(request, "works/collections/collection_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def collection_edit(request, name):
    collection = staff_collection_or_404(request.user, name)
    form = CollectionForm(request.POST or None, user=request.user, collection=collection)
    if request.method == "POST" and form.is_valid():
        try:
            services.collection_update(
                collection=collection,
                fields=form.collection_fields(),
                moderators=form.cleaned_data["moderators"],
            )
        except Refused as refused:
            add_refusal(form, refused)
        else:
            messages.success(request, _("Collection was successfully updated."))
            return redirect(collection)
    context = {"form": form, "collection": collection}
    return render(request, "works/collections/collection_form.html", context)


@login_required
@require_POST
def collection_reveal(request, name):
    """Reveal the works ("reveal_works") or the creators ("reveal_authors")."""
    collection = staff_collection_or_404(request.user, name)
    works, authors = "reveal_works" in request.POST, "reveal_authors" in request.POST
    services.collection_reveal(collection=collection, works=works, authors=authors)
    if works:
        messages.success(request, _("The works of this collection are revealed."))
    if authors:
        messages.success(request, _("The creators of this collection's works are revealed."))
    return redirect(collection)


@login_required
@require_http_methods(["GET", "POST"])
def collection_items(request, name):
    """/collections/<name>/items: approve or reject pending works, remove works, invite one."""
    collection = staff_collection_or_404(request.user, name)
    invite_form = InviteForm(request.POST if "invite_button" in request.POST else None)
    if request.method == "POST":
        if "invite_button" in request.POST:
            if invite_form.is_valid():
                try:
                    services.collection_invite_work(
                        collection=collection,
                        work=invite_form.cleaned_data["work"],
                        moderator=request.user,
                    )
                except Refused as refused:
                    add_refusal(invite_form, refused)
                else:
                    messages.success(
                        request,
                        _("The work is invited. It will appear once its creator accepts."),
                    )
                    return redirect("works:collection_items", collection.name)
        else:
            item = get_object_or_404(
                CollectionItem, collection=collection, pk=_posted_id(request, "item")
            )
            if "approve_button" in request.POST:
                services.item_approve(item=item, moderator=request.user)
                messages.success(request, _("The work was approved."))
            elif "reject_button" in request.POST:
                services.item_reject(item=item, moderator=request.user)
                messages.success(request, _("The work was rejected."))
            elif "remove_button" in request.POST:
                services.item_remove(item=item, user=request.user)
                messages.success(request, _("The work was removed from the collection."))
            return redirect("works:collection_items", collection.name)
    return render(
        request, "works/collections/collection_items.html", items_context(collection, invite_form)
    )


@login_required
@require_http_methods(["GET", "POST"])
def collection_prompts_manage(request, name):
    """/collections/<name>/prompts/manage: add, change and remove prompts, one form each."""
    collection = staff_collection_or_404(request.user, name)
    prompts = list(collection.prompts.select_related("tag"))
    bound_prompt = None
    add_form = PromptForm(
        request.POST if "add_button" in request.POST else None, collection=collection
    )
    if request.method == "POST":
        if "add_button" in request.POST:
            if add_form.is_valid():
                data = add_form.cleaned_data
                try:
                    services.prompt_add(
                        collection=collection,
                        position=data["position"],
                        title=data["title"],
                        description=data["description"],
                    )
                except Refused as refused:
                    add_refusal(add_form, refused)
                else:
                    messages.success(request, _("The prompt was added."))
                    return redirect("works:collection_prompts_manage", collection.name)
        else:
            prompt = next((p for p in prompts if str(p.pk) == request.POST.get("prompt")), None)
            if prompt is None:
                raise Http404
            if "remove_button" in request.POST:
                services.prompt_delete(prompt=prompt)
                messages.success(request, _("The prompt was removed."))
                return redirect("works:collection_prompts_manage", collection.name)
            bound_prompt = PromptForm(request.POST, collection=collection, prompt=prompt)
            if bound_prompt.is_valid():
                data = bound_prompt.cleaned_data
                try:
                    services.prompt_update(
                        prompt=prompt,
                        position=data["position"],
                        title=data["title"],
                        description=data["description"],
                    )
                except Refused as refused:
                    add_refusal(bound_prompt, refused)
                else:
                    messages.success(request, _("The prompt was saved."))
                    return redirect("works:collection_prompts_manage", collection.name)
    forms = [
        bound_prompt
        if bound_prompt is not None and bound_prompt.prompt.pk == p.pk
        else PromptForm(collection=collection, prompt=p)
        for p in prompts
    ]
    context = {"collection": collection, "prompt_forms": forms, "add_form": add_form}
    return render(request, "works/collections/prompts_manage.html", context)


# The author's side ----------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def work_add_to_collection(request, work_id):
    """/works/<id>/collections/new: a creator puts their own work in a collection."""
    work = get_object_or_404(Work, pk=work_id, work_creators__user=request.user)
    form = AddToCollectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        collection = form.cleaned_data["collection"]
        try:
            item = services.collection_add_work(collection=collection, work=work, user=request.user)
        except Refused as refused:
            add_refusal(form, refused)
        else:
            if item.is_approved:
                messages.success(request, _("Added to “%(title)s”.") % {"title": collection.title})
            else:
                messages.info(
                    request,
                    _("Your work will appear in “%(title)s” once its moderators approve it.")
                    % {"title": collection.title},
                )
            return redirect(work)
    return render(
        request, "works/collections/work_add_to_collection.html", {"work": work, "form": form}
    )


@login_required
@require_http_methods(["GET", "POST"])
def user_collection_items(request, login):
    """/users/<login>/collection_items: invitations to accept or decline, works waiting for
    approval, and the collections one's works are in. Only for that user."""
    if request.user.username.lower() != login.lower():
        raise Http404
    items = (
        CollectionItem.objects.filter(work__work_creators__user=request.user)
        .select_related("work", "collection")
        .order_by("-created_at", "-id")
        .distinct()
    )
    if request.method == "POST":
        item = get_object_or_404(items, pk=_posted_id(request, "item"))
        try:
            if "accept_button" in request.POST:
                services.item_author_accept(item=item, user=request.user)
                messages.success(
                    request,
                    _("“%(work)s” is now in “%(collection)s”.")
                    % {"work": item.work.title, "collection": item.collection.title},
                )
            elif "decline_button" in request.POST or "remove_button" in request.POST:
                if "decline_button" in request.POST:
                    services.item_author_decline(item=item, user=request.user)
                else:
                    services.item_remove(item=item, user=request.user)
                messages.success(request, _("The work is not in that collection."))
        except PermissionDenied as error:
            raise Http404 from error
        return redirect("works:user_collection_items", request.user.username)
    context = items_by_state(items)
    return render(request, "works/collections/user_collection_items.html", context)
