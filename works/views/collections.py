"""Collection pages: profile, works, fandoms, prompts; and the pages their owner and moderators
use to run them (settings, moderation, invitations, reveals, prompts). An author's side of
consent lives at /users/<login>/collection_items.

Every write is the same short shape: form -> works.services.collections -> redirect. Pages
for the staff answer 404 to anyone else.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from archive.auth import login_required
from archive.params import parse_id
from tags.models import Tag, TagType
from works.forms.collections import AddToCollectionForm, CollectionForm, InviteForm, PromptForm
from works.listing.pages import work_list_response
from works.listing.querying import default_ordering
from works.models import Collection, CollectionItem, CollectionPrompt, Work
from works.services import collections as services

APPROVED = CollectionItem.Approval.APPROVED
PENDING = CollectionItem.Approval.PENDING


def collection_works_queryset(collection):
    """Works approved by both sides, before the reader's visibility is applied."""
    return Work.objects.filter(
        collection_items__collection=collection,
        collection_items__collection_approval=APPROVED,
        collection_items__author_approval=APPROVED,
    )


def _collection_listed(collection, user):
    """What a reader finds in the collection: mystery works included (shown as such)."""
    return collection_works_queryset(collection).listable_by(user, include_mystery=True)


def _collection(name):
    return get_object_or_404(
        Collection.objects.select_related("owner", "parent").prefetch_related("moderators"),
        name=name,
    )


def _staff_collection(request, name):
    collection = _collection(name)
    if not services.is_collection_staff(collection, request.user):
        raise Http404
    return collection


def _posted_id(request, name) -> int:
    """A row id sent by a form; anything else finds nothing (404), never an error."""
    return parse_id(request.POST.get(name, "")) or 0


# Reading ------------------------------------------------------------------------------------


def collection_index(request):
    """/collections: every collection, top-level ones with their sub-collections."""
    collections = Collection.objects.filter(parent=None).prefetch_related("children")
    return render(request, "works/collections/collection_index.html", {"collections": collections})


def collection_detail(request, name):
    """/collections/<name>: what the collection is, its sub-collections, prompts and latest
    works."""
    collection = _collection(name)
    works = _collection_listed(collection, request.user)
    is_staff = services.is_collection_staff(collection, request.user)
    context = {
        "collection": collection,
        "recent_works": works.order_by(*default_ordering()).for_listing()[:5],
        "work_count": works.count(),
        "prompts": list(collection.prompts.select_related("tag")),
        "moderators": list(collection.moderators.all()),
        "children": list(collection.children.order_by("title")),
        "is_staff": is_staff,
        "pending_count": (
            collection.items.filter(collection_approval=PENDING, author_approval=APPROVED).count()
            if is_staff
            else 0
        ),
    }
    return render(request, "works/collections/collection_detail.html", context)


def _mystery_count(works, user) -> int:
    """How many of `works` the reader sees only as "Mystery Work". The filterable listings
    leave them out (a filter or a tag count would give their tags away) and say how many."""
    return works.listable_by(user, include_mystery=True).count() - works.listable_by(user).count()


def collection_works(request, name):
    """/collections/<name>/works: the shared listing of its approved, visible works."""
    collection = get_object_or_404(Collection, name=name)
    works = collection_works_queryset(collection)
    return work_list_response(
        request,
        works=works,
        template="works/collections/collection_works.html",
        heading_in=collection.title,
        heading_in_url=collection.get_absolute_url(),
        extra_context={
            "collection": collection,
            "mystery_count": _mystery_count(works, request.user),
        },
    )


def collection_fandoms(request, name):
    """/collections/<name>/fandoms: the fandoms of its works a reader can see, with counts.
    Mystery works are not counted: their fandoms are part of the secret."""
    collection = get_object_or_404(Collection, name=name)
    works = collection_works_queryset(collection).listable_by(request.user)
    fandoms = (
        Tag.objects.filter(type=TagType.FANDOM, tagged_works__content_object__in=works)
        .annotate(works_in_collection=Count("tagged_works", distinct=True))
        .order_by("name")
    )
    context = {"collection": collection, "fandoms": fandoms}
    return render(request, "works/collections/collection_fandoms.html", context)


def _prompt_counts(collection, user):
    # Mystery works are not counted: which prompt they answer is part of the secret.
    works = collection_works_queryset(collection).listable_by(user)
    prompts = list(collection.prompts.select_related("tag"))
    counts = dict(
        works.filter(tags__in=[p.tag_id for p in prompts])
        .values_list("tags")
        .annotate(n=Count("pk", distinct=True))
        .order_by()
    )
    for prompt in prompts:
        prompt.work_count = counts.get(prompt.tag_id, 0)
    return prompts


def collection_prompts(request, name):
    """/collections/<name>/prompts: each prompt with its number of works."""
    collection = _collection(name)
    context = {
        "collection": collection,
        "prompts": _prompt_counts(collection, request.user),
        "is_staff": services.is_collection_staff(collection, request.user),
    }
    return render(request, "works/collections/collection_prompts.html", context)


def collection_prompt(request, name, position):
    """/collections/<name>/prompts/<day>: the works of the collection answering the prompt."""
    collection = get_object_or_404(Collection, name=name)
    prompt = get_object_or_404(
        CollectionPrompt.objects.select_related("tag"), collection=collection, position=position
    )
    works = collection_works_queryset(collection).filter(tags=prompt.tag)
    return work_list_response(
        request,
        works=works,
        template="works/collections/prompt_detail.html",
        heading_in=prompt.tag.name,
        heading_in_url=prompt.tag.get_works_url(),
        extra_context={
            "collection": collection,
            "prompt": prompt,
            "mystery_count": _mystery_count(works, request.user),
        },
    )


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
    collection = _staff_collection(request, name)
    form = CollectionForm(request.POST or None, user=request.user, collection=collection)
    if request.method == "POST" and form.is_valid():
        try:
            services.collection_update(
                collection=collection,
                fields=form.collection_fields(),
                moderators=form.cleaned_data["moderators"],
            )
        except services.CollectionRefused as error:
            form.add_error("parent", str(error))
        else:
            messages.success(request, _("Collection was successfully updated."))
            return redirect(collection)
    context = {"form": form, "collection": collection}
    return render(request, "works/collections/collection_form.html", context)


@login_required
@require_POST
def collection_reveal(request, name):
    """Reveal the works ("reveal_works") or the creators ("reveal_authors")."""
    collection = _staff_collection(request, name)
    works, authors = "reveal_works" in request.POST, "reveal_authors" in request.POST
    services.collection_reveal(collection=collection, works=works, authors=authors)
    if works:
        messages.success(request, _("The works of this collection are revealed."))
    if authors:
        messages.success(request, _("The creators of this collection's works are revealed."))
    return redirect(collection)


def _items_context(collection, invite_form):
    items = collection.items.select_related("work").order_by("-created_at", "-id")
    return {
        "collection": collection,
        "invite_form": invite_form,
        "pending": [
            i for i in items if i.author_approval == APPROVED and i.collection_approval == PENDING
        ],
        "invited": [i for i in items if i.author_approval == PENDING],
        "approved": [i for i in items if i.is_approved],
        "rejected": [i for i in items if i.collection_approval == CollectionItem.Approval.REJECTED],
        "approve_reject": [("approve_button", _("Approve")), ("reject_button", _("Reject"))],
        "remove_only": [("remove_button", _("Remove"))],
        "approve_remove": [("approve_button", _("Approve")), ("remove_button", _("Remove"))],
    }


@login_required
@require_http_methods(["GET", "POST"])
def collection_items(request, name):
    """/collections/<name>/items: approve or reject pending works, remove works, invite one."""
    collection = _staff_collection(request, name)
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
                except services.CollectionRefused as error:
                    invite_form.add_error("work", str(error))
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
        request, "works/collections/collection_items.html", _items_context(collection, invite_form)
    )


@login_required
@require_http_methods(["GET", "POST"])
def collection_prompts_manage(request, name):
    """/collections/<name>/prompts/manage: add, change and remove prompts, one form each."""
    collection = _staff_collection(request, name)
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
                except services.CollectionRefused as error:
                    add_form.add_error("title", str(error))
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
                except services.CollectionRefused as error:
                    bound_prompt.add_error("title", str(error))
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
        except services.CollectionRefused as error:
            form.add_error("collection", str(error))
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
    items = list(items)
    context = {
        "invited": [i for i in items if i.author_approval == PENDING],
        "pending": [
            i for i in items if i.author_approval == APPROVED and i.collection_approval == PENDING
        ],
        "approved": [i for i in items if i.is_approved],
        "rejected": [i for i in items if i.collection_approval == CollectionItem.Approval.REJECTED],
    }
    return render(request, "works/collections/user_collection_items.html", context)
