"""Posting and editing works and chapters.

Every write view is the same short shape: bind the form, `is_valid()`, call one service,
redirect. Only a work's creators may use these pages; to anyone else a work answers 404.

Buttons (works.forms.posting): Post (`post_button`), Preview (`preview_button`), Save As Draft
(`save_button`), and Edit (`edit_button`) on the preview of an unsaved edit.

- A new work or a draft is saved as a draft by Preview, then shown at its preview URL.
- A posted work or chapter is never unposted: Preview then shows the changes without saving
  them (they are applied in a transaction that is rolled back once the page is rendered) and
  the page carries the form along, so Update saves it and Edit goes back to the filled form.
- A POST that arrives after the login expired keeps what was typed in the session; the form
  comes back filled in once the author has logged in again (Django's login() keeps the data
  of an anonymous session).
"""

from functools import wraps

from django.contrib import messages
from django.db import transaction
from django.http import QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from archive.auth import login_redirect, login_required
from archive.services.moderation import writer_required
from works.forms.posting import (
    EDIT,
    POST,
    PREVIEW,
    SAVE,
    ChapterForm,
    ChapterOrderForm,
    WorkForm,
    WorkTagsForm,
    form_action,
)
from works.models import Chapter, Work
from works.pages.work import work_page_context, work_page_queryset
from works.services import posting as services

PENDING_KEY = "posting_pending_form"
_BUTTONS = (POST, PREVIEW, SAVE, EDIT)


# ---------------------------------------------------------------------------------------------
# Helpers


def login_keeping_text(view):
    """login_required that keeps a POSTed form in the session for after the login."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.user.is_authenticated:
            return view(request, *args, **kwargs)
        if request.method == "POST":
            data = {
                key: values
                for key, values in request.POST.lists()
                if key != "csrfmiddlewaretoken" and key not in _BUTTONS
            }
            request.session[PENDING_KEY] = {"path": request.path, "data": data}
            messages.warning(
                request,
                _(
                    "Your login had expired. Log in again: what you typed has been kept and "
                    "will be back in the form."
                ),
            )
        return login_redirect(request)

    return wrapped


def _pending_data(request) -> QueryDict | None:
    """What the author typed before their login expired, if it was typed on this page."""
    pending = request.session.get(PENDING_KEY)
    if not pending or pending.get("path") != request.path:
        return None
    del request.session[PENDING_KEY]
    data = QueryDict(mutable=True)
    for key, values in pending["data"].items():
        data.setlist(key, values)
    messages.info(
        request,
        _("Here is what you typed before your login expired. Nothing was saved yet."),
    )
    return data


def _own_work(request, work_id) -> Work:
    """The work, if the user is one of its creators; 404 for everyone else."""
    works = Work.objects.filter(work_creators__user=request.user).prefetch_related("tags")
    return get_object_or_404(works, pk=work_id)


def _own_chapter(request, work_id, chapter_id) -> tuple[Work, Chapter]:
    work = _own_work(request, work_id)
    chapter = get_object_or_404(Chapter, pk=chapter_id, work=work)
    chapter.work = work
    return work, chapter


def _dashboard(request):
    return redirect("user_dashboard", request.user.username)


def _render_rolled_back(request, apply, template, context_builder):
    """Render a page as it would be after `apply()`, then undo `apply()`."""
    with transaction.atomic():
        apply()
        response = render(request, template, context_builder())
        transaction.set_rollback(True)
    return response


def _reader_work(request, work) -> Work:
    """The work loaded as the work page loads it (tags, series, collections, stats)."""
    return work_page_queryset(request.user).get(pk=work.pk)


def _collections_pending_message(request, collections):
    for collection in collections:
        if collection.is_moderated:
            messages.info(
                request,
                _("Your work will appear in “%(title)s” once its moderators approve it.")
                % {"title": collection.title},
            )


# ---------------------------------------------------------------------------------------------
# Works


def _work_form_page(request, form, work=None):
    context = {
        "form": form,
        "work": work,
        "is_draft": work is None or not work.posted,
        "cancel_url": work.get_absolute_url()
        if work
        else reverse("user_dashboard", args=[request.user.username]),
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
    if request.method == "POST":
        form = WorkForm(request.POST, user=request.user)
        if form.is_valid():
            action = form_action(request.POST)
            series, series_title = form.series_choice()
            work = services.work_create(
                creator=request.user,
                fields=form.work_fields(),
                tag_names=form.tag_names(),
                chapter=form.chapter_fields(),
                series=series,
                series_title=series_title,
                collections=form.cleaned_data["collections"],
                post=action == POST,
            )
            if work.posted:
                messages.success(request, _("Work was successfully posted."))
            return _work_saved(request, work, action, form)
    else:
        # "Post to Collection" (/works/new?collection=<name>) fills in the collection.
        initial = {"collections": request.GET.get("collection", "")[:255]}
        form = WorkForm(_pending_data(request), user=request.user, initial=initial)
    return _work_form_page(request, form)


@login_keeping_text
@writer_required
@require_http_methods(["GET", "POST"])
def work_edit(request, work_id):
    work = _own_work(request, work_id)
    if request.method == "POST":
        action = form_action(request.POST)
        form = WorkForm(request.POST, user=request.user, work=work)
        if action != EDIT and form.is_valid():
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
            }
            if action == PREVIEW and work.posted:
                return _render_rolled_back(
                    request,
                    lambda: services.work_update(**update),
                    "works/work_preview.html",
                    lambda: _work_preview_context(request, work, unsaved_form=form),
                )
            was_posted = work.posted
            services.work_update(**update, post=action == POST)
            if action == POST or was_posted:
                messages.success(
                    request,
                    _("Work was successfully updated.")
                    if was_posted
                    else _("Work was successfully posted."),
                )
            return _work_saved(request, work, action, form)
    else:
        form = WorkForm(_pending_data(request), user=request.user, work=work)
    return _work_form_page(request, form, work)


def _preview_chapters(work):
    """The chapters readers will see once the work is posted: the posted ones, and the first
    chapter, which posting the work posts."""
    chapters = list(work.chapters.order_by("position", "id"))
    return [c for i, c in enumerate(chapters) if c.posted or (i == 0 and not work.posted)]


def _work_preview_context(request, work, *, unsaved_form=None):
    work = _reader_work(request, work)
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
    work = _own_work(request, work_id)
    if request.method == "POST":
        action = form_action(request.POST)
        if action == POST:
            if not work.posted:
                services.work_post(work=work)
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
    work = _own_work(request, work_id)
    if request.method == "POST":
        form = WorkTagsForm(request.POST)
        if form.is_valid():
            services.work_update(work=work, fields={}, tag_names=form.tag_names())
            messages.success(request, _("Tags were successfully updated."))
            return redirect(work)
    else:
        form = WorkTagsForm(initial=WorkTagsForm.initial_for(work))
    return render(request, "works/work_edit_tags.html", {"form": form, "work": work})


@login_required
@require_http_methods(["GET", "POST"])
def work_delete(request, work_id):
    work = _own_work(request, work_id)
    if request.method == "POST":
        title = work.title
        services.work_delete(work=work)
        messages.success(request, _("Your work “%(title)s” was deleted.") % {"title": title})
        return _dashboard(request)
    return render(request, "works/work_confirm_delete.html", {"work": work})


# ---------------------------------------------------------------------------------------------
# Chapters


def _chapter_form_page(request, form, work, chapter=None):
    context = {
        "form": form,
        "work": work,
        "chapter": chapter,
        "is_draft": chapter is None or not chapter.posted,
        "cancel_url": reverse("works:chapter_manage", args=[work.pk]),
    }
    return render(request, "works/chapter_form.html", context)


def _chapter_saved(request, work, chapter, action):
    if action == PREVIEW:
        return redirect("works:chapter_preview", work.pk, chapter.pk)
    if action == SAVE and not chapter.posted:
        messages.success(
            request, _("Chapter saved as a draft. Only you can see it until you post it.")
        )
        return redirect("works:chapter_manage", work.pk)
    return redirect(chapter)


@login_keeping_text
@writer_required
@require_http_methods(["GET", "POST"])
def chapter_new(request, work_id):
    work = _own_work(request, work_id)
    if request.method == "POST":
        form = ChapterForm(request.POST, work=work)
        if form.is_valid():
            action = form_action(request.POST)
            chapter = services.chapter_add(
                work=work,
                fields=form.chapter_fields(),
                post=action == POST,
                expected_chapters=form.cleaned_data["expected_chapters"],
            )
            if chapter.posted:
                messages.success(request, _("Chapter was successfully posted."))
            return _chapter_saved(request, work, chapter, action)
    else:
        form = ChapterForm(_pending_data(request), work=work)
    return _chapter_form_page(request, form, work)


@login_keeping_text
@writer_required
@require_http_methods(["GET", "POST"])
def chapter_edit(request, work_id, chapter_id):
    work, chapter = _own_chapter(request, work_id, chapter_id)
    if request.method == "POST":
        action = form_action(request.POST)
        form = ChapterForm(request.POST, work=work, chapter=chapter)
        if action != EDIT and form.is_valid():
            update = {
                "chapter": chapter,
                "fields": form.chapter_fields(),
                "expected_chapters": form.cleaned_data["expected_chapters"],
            }
            if action == PREVIEW and chapter.posted:
                return _render_rolled_back(
                    request,
                    lambda: services.chapter_update(**update),
                    "works/work_preview.html",
                    lambda: _chapter_preview_context(request, work, chapter, unsaved_form=form),
                )
            was_posted = chapter.posted
            services.chapter_update(**update, post=action == POST or None)
            if action == POST or was_posted:
                messages.success(
                    request,
                    _("Chapter was successfully updated.")
                    if was_posted
                    else _("Chapter was successfully posted."),
                )
            return _chapter_saved(request, work, chapter, action)
    else:
        form = ChapterForm(_pending_data(request), work=work, chapter=chapter)
    return _chapter_form_page(request, form, work, chapter)


def _chapter_preview_context(request, work, chapter, *, unsaved_form=None):
    work = _reader_work(request, work)
    chapter = Chapter.objects.get(pk=chapter.pk)
    # The chapter among those readers will be able to navigate once it is posted.
    others = work.chapters.order_by("position", "pk").defer("body", "body_html")
    all_chapters = [c if c.pk != chapter.pk else chapter for c in others]
    all_chapters = [c for c in all_chapters if c.posted or c.pk == chapter.pk]
    context = work_page_context(request, work, [chapter], preview=True, all_chapters=all_chapters)
    context.update(
        {
            "preview_work": work,
            "preview_chapter": chapter,
            "preview_unsaved_form": unsaved_form,
            "preview_action": reverse("works:chapter_edit", args=[work.pk, chapter.pk])
            if unsaved_form is not None
            else reverse("works:chapter_preview", args=[work.pk, chapter.pk]),
            "preview_edit_url": reverse("works:chapter_edit", args=[work.pk, chapter.pk]),
            "preview_is_draft": not chapter.posted,
        }
    )
    return context


@login_required
@writer_required
@require_http_methods(["GET", "POST"])
def chapter_preview(request, work_id, chapter_id):
    work, chapter = _own_chapter(request, work_id, chapter_id)
    if request.method == "POST":
        action = form_action(request.POST)
        if action == POST:
            if not chapter.posted:
                services.chapter_update(chapter=chapter, fields={}, post=True)
                messages.success(request, _("Chapter was successfully posted."))
            return redirect(chapter)
        if action == SAVE:
            messages.success(
                request, _("Chapter saved as a draft. Only you can see it until you post it.")
            )
            return redirect("works:chapter_manage", work.pk)
        return redirect("works:chapter_preview", work.pk, chapter.pk)
    return render(
        request, "works/work_preview.html", _chapter_preview_context(request, work, chapter)
    )


@login_required
@require_http_methods(["GET", "POST"])
def chapter_delete(request, work_id, chapter_id):
    work, chapter = _own_chapter(request, work_id, chapter_id)
    can_delete = services.chapter_can_delete(chapter)
    if request.method == "POST":
        if can_delete:
            services.chapter_delete(chapter=chapter)
            messages.success(request, _("The chapter was deleted."))
            return redirect("works:chapter_manage", work.pk)
        status = 400
    else:
        status = 200
    context = {"work": work, "chapter": chapter, "can_delete": can_delete}
    return render(request, "works/chapter_confirm_delete.html", context, status=status)


@login_required
@writer_required
@require_http_methods(["GET", "POST"])
def chapter_manage(request, work_id):
    work = _own_work(request, work_id)
    chapters = list(work.chapters.order_by("position", "id"))
    if request.method == "POST":
        form = ChapterOrderForm(request.POST, chapters=chapters)
        if form.is_valid():
            services.chapters_reorder(work=work, chapter_ids=form.chapter_ids())
            messages.success(request, _("The chapters are in their new order."))
            return redirect("works:chapter_manage", work.pk)
    else:
        form = ChapterOrderForm(chapters=chapters)
    rows = [(chapter, form[f"position_{chapter.pk}"]) for chapter in chapters]
    return render(request, "works/chapter_manage.html", {"work": work, "form": form, "rows": rows})
