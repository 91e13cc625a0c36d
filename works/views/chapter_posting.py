"""Adding, editing, previewing, deleting and ordering a work's chapters (the same shapes as
the work pages in works.views.posting: bind the form, `is_valid()`, one service, redirect)."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from archive.auth import login_required
from archive.services.moderation import writer_required
from works.forms.chapters import ChapterForm, ChapterOrderForm
from works.forms.fields import EDIT, POST, PREVIEW, SAVE, form_action
from works.models import Chapter, Work
from works.pages.posting import (
    login_keeping_text,
    own_work,
    pending_data,
    reader_work,
    render_rolled_back,
)
from works.pages.work import work_page_context
from works.services import posting


def own_chapter(request, work_id, chapter_id) -> tuple[Work, Chapter]:
    work = own_work(request, work_id)
    chapter = get_object_or_404(Chapter, pk=chapter_id, work=work)
    chapter.work = work
    return work, chapter


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
    work = own_work(request, work_id)
    if request.method == "POST":
        form = ChapterForm(request.POST, work=work)
        if form.is_valid():
            action = form_action(request.POST)
            chapter = posting.chapter_add(
                work=work,
                fields=form.chapter_fields(),
                post=action == POST,
                expected_chapters=form.cleaned_data["expected_chapters"],
                chapter_creators=form.cleaned_data.get("creatorships"),
            )
            if chapter.posted:
                messages.success(request, _("Chapter was successfully posted."))
            return _chapter_saved(request, work, chapter, action)
    else:
        form = ChapterForm(pending_data(request), work=work)
    return _chapter_form_page(request, form, work)


@login_keeping_text
@writer_required
@require_http_methods(["GET", "POST"])
def chapter_edit(request, work_id, chapter_id):
    work, chapter = own_chapter(request, work_id, chapter_id)
    if request.method == "POST":
        action = form_action(request.POST)
        form = ChapterForm(request.POST, work=work, chapter=chapter)
        if action != EDIT and form.is_valid():
            update = {
                "chapter": chapter,
                "fields": form.chapter_fields(),
                "expected_chapters": form.cleaned_data["expected_chapters"],
                "chapter_creators": form.cleaned_data.get("creatorships"),
            }
            if action == PREVIEW and chapter.posted:
                return render_rolled_back(
                    request,
                    lambda: posting.chapter_update(**update),
                    "works/work_preview.html",
                    lambda: _chapter_preview_context(request, work, chapter, unsaved_form=form),
                )
            was_posted = chapter.posted
            posting.chapter_update(**update, post=action == POST or None)
            if action == POST or was_posted:
                messages.success(
                    request,
                    _("Chapter was successfully updated.")
                    if was_posted
                    else _("Chapter was successfully posted."),
                )
            return _chapter_saved(request, work, chapter, action)
    else:
        form = ChapterForm(pending_data(request), work=work, chapter=chapter)
    return _chapter_form_page(request, form, work, chapter)


def _chapter_preview_context(request, work, chapter, *, unsaved_form=None):
    work = reader_work(request, work)
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
    work, chapter = own_chapter(request, work_id, chapter_id)
    if request.method == "POST":
        action = form_action(request.POST)
        if action == POST:
            if not chapter.posted:
                posting.chapter_update(chapter=chapter, fields={}, post=True)
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
    work, chapter = own_chapter(request, work_id, chapter_id)
    can_delete = posting.chapter_can_delete(chapter)
    if request.method == "POST":
        if can_delete:
            posting.chapter_delete(chapter=chapter)
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
    work = own_work(request, work_id)
    chapters = list(work.chapters.order_by("position", "id"))
    if request.method == "POST":
        form = ChapterOrderForm(request.POST, chapters=chapters)
        if form.is_valid():
            posting.chapters_reorder(work=work, chapter_ids=form.chapter_ids())
            messages.success(request, _("The chapters are in their new order."))
            return redirect("works:chapter_manage", work.pk)
    else:
        form = ChapterOrderForm(chapters=chapters)
    rows = [(chapter, form[f"position_{chapter.pk}"]) for chapter in chapters]
    return render(request, "works/chapter_manage.html", {"work": work, "form": form, "rows": rows})
