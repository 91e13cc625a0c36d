"""Posting and editing works and chapters.

Every write view is the same short shape: bind the form, `is_valid()`, call one service,
redirect. Only a work's creators may use these pages; to anyone else a work answers 404.

Buttons (works.forms.fields): Post (`post_button`), Preview (`preview_button`), Save As Draft
(`save_button`), and Edit (`edit_button`) on the preview of an unsaved edit.

- A new work or a draft is saved as a draft by Preview, then shown at its preview URL.
- A posted work or chapter is never unposted: Preview then shows the changes without saving
  them (they are applied in a transaction that is rolled back once the page is rendered) and
  the page carries the form along, so Update saves it and Edit goes back to the filled form.
- A POST that arrives after the login expired keeps what was typed in the session; the form
  comes back filled in once the author has logged in again (Django's login() keeps the data
  of an anonymous session).
"""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from archive.auth import login_required
from archive.errors import Refused, add_refusal
from archive.models import Pseud
from archive.services.moderation import writer_required
from works.forms.fields import EDIT, POST, PREVIEW, SAVE, form_action
from works.forms.work_tags import WorkTagsForm
from works.forms.works import WorkForm
from works.pages.assignments import assignment_initial, fulfil_form, fulfil_saved
from works.pages.posting import (
    login_keeping_text,
    own_work,
    pending_data,
    reader_work,
    render_rolled_back,
)
from works.pages.prompt_meme import fulfilling_claim
from works.pages.work import work_page_context
from works.services import posting, prompt_claims


def _dashboard(request):
    return redirect("works:user_dashboard", request.user.username)


def _collections_pending_message(request, collections):
    for collection in collections:
        if collection.is_moderated:
            messages.info(
                request,
                _("Your work will appear in “%(title)s” once its moderators approve it.")
                % {"title": collection.title},
            )


def _invited_message(request, work, form):
    """Name the people the save invited (not those added at once, or creators already)."""
    typed = form.cleaned_data["cocreators"]
    if not typed:
        return
    invited = Pseud.objects.filter(
        creatorship_invitations__work=work, pk__in=[p.pk for p in typed]
    ).select_related("user")
    if invited:
        messages.info(
            request,
            _("Invited as co-creators: %(names)s. The work names them once they accept.")
            % {"names": ", ".join(p.byline for p in invited)},
        )


def _fill_claim(request, work):
    """A work posted from a claim's "Fulfill" link (?claim=<id>, a prompt meme's) fills it."""
    claim = fulfilling_claim(request)
    if claim is not None:
        prompt_claims.claim_fill(claim=claim, work=work)


# ---------------------------------------------------------------------------------------------
# Works


def _work_form_page(request, form, work=None, fulfil=None):
    context = {
        "form": form,
        "fulfil_form": fulfil,  # issue 20: "Does this fulfill a challenge assignment?"
        "work": work,
        "claim": None if work else fulfilling_claim(request),
        "is_draft": work is None or not work.posted,
        # Invitations not yet answered: the work's creators see whom they asked.
        "pending_cocreators": list(
            Pseud.objects.filter(creatorship_invitations__work=work).select_related("user")
        )
        if work
        else [],
        "cancel_url": work.get_absolute_url()
        if work
        else reverse("works:user_dashboard", args=[request.user.username]),
    }
    return render(request, "works/work_form.html", context)


def _work_saved(request, work, action, form):
    _collections_pending_message(request, form.cleaned_data["collections"])
    if action == PREVIEW:
        return redirect("works:preview", work.pk)
    if action == SAVE and not work.posted:
        messages.success(
            request,
            _("Draft saved. Only you can see it until you post it."),
        )
        return _dashboard(request)
    return redirect(work)


@login_keeping_text
@writer_required
@require_http_methods(["GET", "POST"])
def work_new(request):
    fulfil = fulfil_form(request)
    if request.method == "POST":
        form = WorkForm(request.POST, user=request.user)
        if form.is_valid() and fulfil.is_valid():
            action = form_action(request.POST)
            series, series_title = form.series_choice()
            try:
                work = posting.work_create(
                    creator=request.user,
                    fields=form.work_fields(),
                    tag_names=form.tag_names(),
                    chapter=form.chapter_fields(),
                    series=series,
                    series_title=series_title,
                    collections=form.cleaned_data["collections"],
                    post=action == POST,
                    pseud=form.cleaned_data.get("pseud"),
                    recipients=form.cleaned_data["recipients"],
                    cocreators=form.cleaned_data["cocreators"],
                )
            except Refused as refused:  # e.g. a recipient who does not accept gifts
                add_refusal(form, refused)
                return _work_form_page(request, form, fulfil=fulfil)
            fulfil_saved(fulfil, work, request.user)
            _fill_claim(request, work)
            if work.posted:
                messages.success(request, _("Work was successfully posted."))
            _invited_message(request, work, form)
            return _work_saved(request, work, action, form)
    else:
        # "Post to Collection" (/works/new?collection=<name>) fills in the collection.
        initial = {"collections": request.GET.get("collection", "")[:255]}
        initial.update(assignment_initial(request))  # a "Fulfill" link (issue 20)
        form = WorkForm(pending_data(request), user=request.user, initial=initial)
    return _work_form_page(request, form, fulfil=fulfil)


@login_keeping_text
@writer_required
@require_http_methods(["GET", "POST"])
def work_edit(request, work_id):
    work = own_work(request, work_id)
    fulfil = fulfil_form(request, work)
    if request.method == "POST":
        action = form_action(request.POST)
        form = WorkForm(request.POST, user=request.user, work=work)
        if action != EDIT and form.is_valid() and fulfil.is_valid():
            series, series_title = form.series_choice()
            update = {
                "work": work,
                "fields": form.work_fields(),
                "tag_names": form.tag_names(),
                "chapter": form.chapter_fields(),
                "series": series,
                "series_title": series_title,
                "collections": form.cleaned_data["collections"],
                "editor": request.user,
                "pseud": form.cleaned_data.get("pseud"),
                "recipients": form.cleaned_data["recipients"],
                "cocreators": form.cleaned_data["cocreators"],
            }
            was_posted = work.posted
            try:
                if action == PREVIEW and work.posted:
                    return render_rolled_back(
                        request,
                        lambda: posting.work_update(**update),
                        "works/work_preview.html",
                        lambda: _work_preview_context(request, work, unsaved_form=form),
                    )
                posting.work_update(**update, post=action == POST)
            except Refused as refused:  # e.g. a recipient who does not accept gifts
                add_refusal(form, refused)
                work.refresh_from_db()
                return _work_form_page(request, form, work, fulfil)
            fulfil_saved(fulfil, work, request.user)
            _invited_message(request, work, form)
            if action == POST or was_posted:
                messages.success(
                    request,
                    _("Work was successfully updated.")
                    if was_posted
                    else _("Work was successfully posted."),
                )
            return _work_saved(request, work, action, form)
    else:
        form = WorkForm(pending_data(request), user=request.user, work=work)
    return _work_form_page(request, form, work, fulfil)


def _preview_chapters(work):
    """The chapters readers will see once the work is posted: the posted ones, and the first
    chapter, which posting the work posts."""
    chapters = list(work.chapters.order_by("position", "id"))
    return [c for i, c in enumerate(chapters) if c.posted or (i == 0 and not work.posted)]


def _work_preview_context(request, work, *, unsaved_form=None):
    work = reader_work(request, work)
    context = work_page_context(request, work, _preview_chapters(work), preview=True)
    context.update(
        {
            "preview_work": work,
            "preview_unsaved_form": unsaved_form,
            "preview_action": reverse("works:edit", args=[work.pk])
            if unsaved_form is not None
            else reverse("works:preview", args=[work.pk]),
            "preview_edit_url": reverse("works:edit", args=[work.pk]),
            "preview_is_draft": not work.posted,
        }
    )
    return context


@login_required
@writer_required
@require_http_methods(["GET", "POST"])
def work_preview(request, work_id):
    work = own_work(request, work_id)
    if request.method == "POST":
        action = form_action(request.POST)
        if action == POST:
            if not work.posted:
                posting.work_post(work=work)
                messages.success(request, _("Work was successfully posted."))
            return redirect(work)
        if action == SAVE:
            messages.success(request, _("Draft saved. Only you can see it until you post it."))
            return _dashboard(request)
        return redirect("works:preview", work.pk)
    return render(request, "works/work_preview.html", _work_preview_context(request, work))


@login_required
@writer_required
@require_http_methods(["GET", "POST"])
def work_edit_tags(request, work_id):
    work = own_work(request, work_id)
    if request.method == "POST":
        form = WorkTagsForm(request.POST)
        if form.is_valid():
            posting.work_update(work=work, fields={}, tag_names=form.tag_names())
            messages.success(request, _("Tags were successfully updated."))
            return redirect(work)
    else:
        form = WorkTagsForm(initial=WorkTagsForm.initial_for(work))
    return render(request, "works/work_edit_tags.html", {"form": form, "work": work})


@login_required
@require_http_methods(["GET", "POST"])
def work_delete(request, work_id):
    work = own_work(request, work_id)
    if request.method == "POST":
        title = work.title
        posting.work_delete(work=work)
        messages.success(request, _("Your work “%(title)s” was deleted.") % {"title": title})
        return _dashboard(request)
    return render(request, "works/work_confirm_delete.html", {"work": work})
