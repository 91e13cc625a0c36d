"""Kudos and comments: load what the reader may see (404 otherwise), bind a form, call a
service from works.services.feedback, redirect. The threads are built in works.pages.comments."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from archive.auth import login_required
from archive.client import client_address
from archive.errors import Refused, add_refusal, message_refusal
from archive.params import parse_id
from archive.ratelimit import rate_limit
from archive.services.moderation import writer_required
from works.forms.feedback import CommentForm
from works.listing.pagination import paginate
from works.models import Chapter, Comment, Work
from works.models.visibility import work_secrets
from works.pages.comments import comment_thread_context, unreviewed_comments
from works.pages.navigation import next_url
from works.pages.work import work_or_404
from works.services import feedback

PER_PAGE = 20


# Kudos ------------------------------------------------------------------------------------


@require_POST
@writer_required
@rate_limit("kudos", key="user")
def kudos_create(request, work_id):
    work = work_or_404(request.user, work_id)
    try:
        added = feedback.kudos_add(
            work=work,
            user=request.user,
            ip=client_address(request),
            from_chapter_id=parse_id(request.POST.get("kudos_from", "")),
        )
    except Refused as refused:
        message_refusal(request, refused)
    else:
        if added:
            messages.success(request, _("Thank you for leaving kudos!"))
        else:
            messages.info(request, _("You have already left kudos here. :)"))
    return redirect(next_url(request, work.get_absolute_url()) + "#feedback")


@require_POST
def kudos_ao3(request):
    """POST /kudos with AO3's fields (kudo[commentable_id], kudo[commentable_type]=Work), for
    tools written for AO3."""
    work_id = parse_id(request.POST.get("kudo[commentable_id]", ""))
    if request.POST.get("kudo[commentable_type]", "Work") != "Work" or work_id is None:
        raise Http404
    return kudos_create(request, work_id)


# Comments ---------------------------------------------------------------------------------


def _comment_for(request, comment_id) -> Comment:
    """A comment the reader may see: its work is visible; an unreviewed one only to the
    work's creators and its own author; a deleted one only as a placeholder."""
    comment = get_object_or_404(
        Comment.objects.select_related("user", "work", "chapter", "parent"), pk=comment_id
    )
    if not Work.objects.visible_to(request.user).filter(pk=comment.work_id).exists():
        raise Http404
    if work_secrets(comment.work, request.user).mystery:
        raise Http404  # the thread page names the work (issue 7 access matrix)
    user = request.user
    if comment.is_unreviewed:
        own = user.is_authenticated and comment.user_id == user.pk
        if not (own or feedback.can_moderate_comment(comment, user)):
            raise Http404
    if comment.is_hidden and not user.has_perm("works.change_comment"):
        raise Http404  # hidden by a moderator: only moderators may still read it
    return comment


def _comment_page(
    request,
    comment,
    form=None,
    *,
    status=200,
    template="works/feedback/comment_detail.html",
    extra=None,
):
    context = comment_thread_context(comment, request.user)
    context["comment_form"] = form or CommentForm(guest=not request.user.is_authenticated)
    context.update(extra or {})
    return render(request, template, context, status=status)


def comment_detail(request, comment_id):
    """/comments/<id>: the comment with its replies, and a reply form."""
    return _comment_page(request, _comment_for(request, comment_id))


def _guest_fields(form):
    return {
        "guest_name": form.cleaned_data.get("name", ""),
        "guest_email": form.cleaned_data.get("email", ""),
    }


def _after_comment(request, comment):
    if comment.is_unreviewed:
        messages.success(
            request,
            _(
                "Your comment was received! It will appear publicly after the work creator "
                "has approved it."
            ),
        )
        return comment.chapter.get_absolute_url() + "#feedback"
    messages.success(request, _("Comment created!"))
    return next_url(request, comment.get_absolute_url())


@require_POST
@writer_required
@rate_limit("comment", key="user")
def comment_create(request, work_id, chapter_id):
    work = work_or_404(request.user, work_id)
    chapter = get_object_or_404(Chapter.objects.posted(), pk=chapter_id, work=work)
    form = CommentForm(request.POST, guest=not request.user.is_authenticated)
    if form.is_valid():
        try:
            comment = feedback.comment_add(
                chapter=chapter,
                user=request.user,
                content=form.cleaned_data["content"],
                **_guest_fields(form),
            )
        except Refused as refused:
            add_refusal(form, refused)
        else:
            return redirect(_after_comment(request, comment))
    context = {
        "work": work,
        "chapter": chapter,
        "comment_form": form,
        "comment_refusal": None,
        "action": reverse("works:comment_create", args=[work.pk, chapter.pk]),
    }
    return render(request, "works/feedback/comment_form_page.html", context, status=400)


@writer_required
@rate_limit("comment", key="user")
def comment_reply(request, comment_id):
    parent = _comment_for(request, comment_id)
    if request.method != "POST":
        return redirect(parent.get_absolute_url() + "#add_comment")
    form = CommentForm(request.POST, guest=not request.user.is_authenticated)
    if form.is_valid():
        try:
            comment = feedback.comment_add(
                chapter=parent.chapter,
                user=request.user,
                content=form.cleaned_data["content"],
                parent=parent,
                **_guest_fields(form),
            )
        except Refused as refused:
            add_refusal(form, refused)
        else:
            return redirect(_after_comment(request, comment))
    return _comment_page(request, parent, form, status=400)


@login_required
@writer_required
def comment_edit(request, comment_id):
    comment = _comment_for(request, comment_id)
    if comment.user_id != request.user.pk or comment.is_deleted:
        raise Http404
    form = CommentForm(request.POST or None, initial={"content": comment.content})
    if request.method == "POST" and form.is_valid():
        try:
            feedback.comment_update(
                comment=comment, user=request.user, content=form.cleaned_data["content"]
            )
        except Refused as refused:
            add_refusal(form, refused)
        else:
            messages.success(request, _("Comment was successfully updated."))
            return redirect(comment.get_absolute_url())
    context = {
        "work": comment.work,
        "chapter": comment.chapter,
        "comment_form": form,
        "action": reverse("works:comment_edit", args=[comment.pk]),
        "editing": True,
    }
    return render(request, "works/feedback/comment_form_page.html", context)


@login_required
def comment_delete(request, comment_id):
    comment = _comment_for(request, comment_id)
    if not feedback.can_delete_comment(comment, request.user):
        raise Http404
    if request.method == "POST":
        feedback.comment_delete(comment=comment, user=request.user)
        messages.success(request, _("Comment deleted."))
        return redirect(next_url(request, comment.chapter.get_absolute_url() + "#feedback"))
    return render(request, "works/feedback/comment_confirm_delete.html", {"comment": comment})


@require_POST
@login_required
def comment_approve(request, comment_id):
    comment = _comment_for(request, comment_id)
    try:
        feedback.comment_approve(comment=comment, user=request.user)
    except Refused:
        raise Http404 from None
    messages.success(request, _("Comment approved."))
    return redirect(next_url(request, comment.get_absolute_url()))


@login_required
def work_unreviewed(request, work_id):
    """ "Unreviewed comments": the queue of a moderated work, for its creators."""
    work = work_or_404(request.user, work_id, posted=False)
    if not work.is_creator(request.user):
        raise Http404
    page, pagination = paginate(request, unreviewed_comments(work), PER_PAGE)
    return render(
        request,
        "works/feedback/comments_unreviewed.html",
        {"work": work, "comments": page.object_list, "pagination": pagination},
    )
