"""Kudos and comments through the API, as the work page and the comment pages give them
(works/views/comments.py): the same visibility, forms, services, rate limits and spam checks.

- Kudos: `POST /works/{work_id}/kudos` (a guest too, once per address; 201 new, 200 already
  left), `GET /works/{work_id}/kudos` (the names the work page lists).
- Comments: `GET /works/{work_id}/comments` (threads in the page's order, a page of top-level
  comments with all their replies the reader may see), `GET /comments/{comment_id}` (the
  comment with its replies), `POST /works/{work_id}/comments` (a comment or a reply; a guest
  where the work takes guests' comments), `PATCH` and `DELETE /comments/{comment_id}`.

Bodies are the comments' `content_html`, rendered once by works/rendering.py when saved.
"""

from datetime import datetime

from django.contrib.auth.models import AnonymousUser
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from archive import spam
from archive.client import client_address
from archive.errors import Refused
from works.api.auth import reader
from works.api.limits import spend
from works.api.paging import PageOut, PageQuery, page_of
from works.api.params import (
    ID_PATH,
    PAGE_QUERY,
    Id,
    feedback_work,
    feedback_writer,
)
from works.api.problems import Problem, ProblemOut
from works.forms.feedback import CommentForm
from works.models import Chapter, Comment, Work
from works.models.visibility import work_secrets
from works.pages.comments import thread_rows
from works.services import feedback

router = Router(tags=["feedback"])

THREADS_PER_PAGE = 20
# The API's names for the comment form's fields.
COMMENT_FIELDS = {"content": "body"}
NOT_FOUND = {404: ProblemOut}
WRITE_ERRORS = {401: ProblemOut, 403: ProblemOut, 404: ProblemOut, 422: ProblemOut}


# Kudos ------------------------------------------------------------------------------------


class KudosOut(Schema):
    work_id: int
    created: bool
    detail: str
    kudos_count: int


class KudosNamesOut(Schema):
    count: int
    names: list[str]
    guests: int


@router.post(
    "/works/{work_id}/kudos",
    response={201: KudosOut, 200: KudosOut, 429: ProblemOut, **WRITE_ERRORS},
    summary="Leave kudos",
)
def kudos_create(request, work_id: int = ID_PATH, chapter_id: Id | None = None):
    """Kudos on a work: 201 when new, 200 when this account (or, for a guest, this address)
    had already left kudos. `chapter_id`: the chapter being read (for the work's daily
    statistics), as the kudos button on a chapter's page sends. Refused (422) on one's own
    work, by a creator who blocked the caller, and for guests on a work restricted to
    registered users."""
    user = feedback_writer(request, guests=True)
    spend(request, "kudos")
    work = feedback_work(user, work_id)
    added = feedback.kudos_add(
        work=work,
        user=user,
        ip=client_address(request),
        from_chapter_id=chapter_id,
    )
    count = (work.stats.kudos if hasattr(work, "stats") else 0) + int(added)
    if added:
        body = {"created": True, "detail": _("Thank you for leaving kudos!")}
    else:
        body = {"created": False, "detail": _("You have already left kudos here. :)")}
    return Status(201 if added else 200, {"work_id": work.pk, "kudos_count": count, **body})


@router.get(
    "/works/{work_id}/kudos", response={200: KudosNamesOut, **NOT_FOUND}, summary="Kudos names"
)
def kudos_list(request, work_id: int = ID_PATH):
    """Who left kudos, newest first, as the work page lists them, and how many guests."""
    work = feedback_work(reader(request), work_id)
    names = list(
        work.kudos.filter(user__isnull=False)
        .order_by("-created_at", "-id")
        .values_list("user__username", flat=True)
    )
    count = work.stats.kudos if hasattr(work, "stats") else len(names)
    return {"count": count, "names": names, "guests": max(count - len(names), 0)}


# Comments ---------------------------------------------------------------------------------


class CommentOut(Schema):
    """A comment; `depth` is its depth in the thread it was listed in (0 alone)."""

    id: int
    work_id: int
    chapter_id: int
    parent_id: int | None
    depth: int
    author: str | None
    is_guest: bool
    body_html: str
    status: str
    is_deleted: bool
    created_at: datetime
    edited_at: datetime | None
    url: str


class CommentPageOut(PageOut):
    results: list[CommentOut]


class CommentIn(Schema):
    body: str = ""
    chapter_id: Id | None = None
    reply_to: Id | None = None
    name: str = ""
    email: str = ""


class CommentEditIn(Schema):
    body: str = ""


def comment_out(comment: Comment, depth: int = 0) -> dict:
    deleted = comment.is_deleted
    return {
        "id": comment.pk,
        "work_id": comment.work_id,
        "chapter_id": comment.chapter_id,
        "parent_id": comment.parent_id,
        "depth": depth,
        "author": None if deleted else comment.author_name,
        "is_guest": not comment.user_id and not comment.is_by_deleted_account,
        "body_html": "" if deleted else comment.content_html,
        "status": comment.status,
        "is_deleted": deleted,
        "created_at": comment.created_at,
        "edited_at": comment.edited_at,
        "url": comment.get_absolute_url(),
    }


def _threads(rows) -> list[list[dict]]:
    """The page's thread rows (works.pages.comments.thread_rows) as threads: each top-level
    comment followed by its replies, each with its depth."""
    threads, depth = [], -1
    for kind, comment in rows:
        if kind == "open":
            depth += 1
        elif kind == "close":
            depth -= 1
        elif kind == "comment":
            if depth == 0:
                threads.append([])
            threads[-1].append(comment_out(comment, depth))
    return threads


def comment_or_404(user, comment_id: int) -> Comment:
    """A comment `user` may see, as its page decides (works/views/comments.py): its work is
    visible and not an unrevealed work they may not know of; an unreviewed one only to its
    writer and the work's creators; one hidden by a moderator only to moderators."""
    comment = get_object_or_404(
        Comment.objects.select_related("user", "work", "chapter", "parent"), pk=comment_id
    )
    if not Work.objects.visible_to(user).filter(pk=comment.work_id).exists():
        raise Http404
    if work_secrets(comment.work, user).mystery:
        raise Http404
    if comment.is_unreviewed:
        own = user.is_authenticated and comment.user_id == user.pk
        if not (own or feedback.can_moderate_comment(comment, user)):
            raise Http404
    if comment.is_hidden and not user.has_perm("works.change_comment"):
        raise Http404
    return comment


@router.get(
    "/works/{work_id}/comments",
    response={200: CommentPageOut, **NOT_FOUND},
    summary="A work's comments",
)
def comments_list(
    request, work_id: int = ID_PATH, chapter_id: Id | None = None, page: int = PAGE_QUERY
):
    """The comments the reader may see on the work's posted chapters (or one chapter's), as
    threads: `count` and `pages` count top-level comments; each page holds up to 20 of them,
    each followed by its replies (`parent_id`, `depth`) in the page's order."""
    user = reader(request)
    work = feedback_work(user, work_id)
    chapters = Chapter.objects.posted().filter(work=work)
    if chapter_id is not None:
        chapters = chapters.filter(pk=chapter_id)
    comments = list(
        Comment.objects.visible_to(user)
        .filter(chapter__in=chapters)
        .select_related("user")
        .order_by("created_at", "id")
    )
    found = page_of(_threads(thread_rows(comments)), PageQuery(page=page, limit=THREADS_PER_PAGE))
    found["results"] = [comment for thread in found["results"] for comment in thread]
    return found


@router.get("/comments/{comment_id}", response={200: list[CommentOut], **NOT_FOUND})
def comment_get(request, comment_id: int = ID_PATH):
    """The comment, then the replies to it the reader may see (depth from the comment)."""
    user = reader(request)
    comment = comment_or_404(user, comment_id)
    found = [comment]
    if comment.status == Comment.Status.APPROVED:
        keep = {comment.pk}
        visible = Comment.objects.visible_to(user).filter(chapter=comment.chapter_id)
        for other in visible.select_related("user").order_by("created_at", "id"):
            if other.parent_id in keep and other.pk not in keep:
                keep.add(other.pk)
                found.append(other)
    rows = thread_rows(found, comment.parent_id)
    return [out for thread in _threads(rows) for out in thread]


def _comment_form(data: dict, *, guest: bool) -> CommentForm:
    """The pages' comment form, bound. A guest's post has no page to time (the spam check's
    minimum time on the form): the rate limit stands for it; the honeypot is empty and the
    links in the text are counted as on the page."""
    if guest:
        data = {**data, **spam.spam_post_data()}
    form = CommentForm(data, guest=guest)
    if not form.is_valid():
        raise Problem.from_form(form, names=COMMENT_FIELDS)
    return form


def _comment_target(user, work, payload: CommentIn):
    """The chapter and the comment replied to: `reply_to` (a comment on this work the caller
    may see), else `chapter_id` (a posted chapter of the work), else its first chapter."""
    if payload.reply_to is not None:
        parent = comment_or_404(user, payload.reply_to)
        if parent.work_id != work.pk:
            raise Http404
        return parent.chapter, parent
    chapters = Chapter.objects.posted().filter(work=work).order_by("position", "pk")
    if payload.chapter_id is not None:
        chapters = chapters.filter(pk=payload.chapter_id)
    chapter = chapters.first()
    if chapter is None:
        raise Http404
    return chapter, None


def _refusal(refused: Refused) -> Problem:
    return Problem.from_refusal(refused, names=COMMENT_FIELDS)


@router.post(
    "/works/{work_id}/comments",
    response={201: CommentOut, 429: ProblemOut, **WRITE_ERRORS},
    summary="Comment or reply",
)
def comment_create(request, payload: CommentIn, work_id: int = ID_PATH):
    """A comment on the work's chapter, or a reply. A guest sends `name` and `email` and may
    comment only where the work allows guests' comments. On a work whose creators review
    comments first, the new comment's `status` is "unreviewed" and only its writer and the
    work's creators see it until it is approved."""
    user = feedback_writer(request, guests=True)
    spend(request, "comment")
    work = feedback_work(user, work_id)
    chapter, parent = _comment_target(user, work, payload)
    guest = isinstance(user, AnonymousUser)
    data = {"content": payload.body, "name": payload.name, "email": payload.email}
    form = _comment_form(data, guest=guest)
    try:
        comment = feedback.comment_add(
            chapter=chapter,
            user=user,
            content=form.cleaned_data["content"],
            parent=parent,
            guest_name=form.cleaned_data.get("name", ""),
            guest_email=form.cleaned_data.get("email", ""),
        )
    except Refused as refused:
        raise _refusal(refused) from None
    return Status(201, comment_out(comment))


def _own_comment(request, comment_id: int, *, sanctioned: bool = False):
    user = feedback_writer(request, sanctioned=sanctioned)
    comment = comment_or_404(user, comment_id)
    return user, comment


@router.patch("/comments/{comment_id}", response={200: CommentOut, **WRITE_ERRORS})
def comment_update(request, payload: CommentEditIn, comment_id: int = ID_PATH):
    """Change the text of one's own comment (404 for anyone else's)."""
    user, comment = _own_comment(request, comment_id)
    if comment.user_id != user.pk or comment.is_deleted:
        raise Http404
    form = _comment_form({"content": payload.body}, guest=False)
    try:
        feedback.comment_update(comment=comment, user=user, content=form.cleaned_data["content"])
    except Refused as refused:
        raise _refusal(refused) from None
    return comment_out(comment)


@router.delete("/comments/{comment_id}", response={204: None, **WRITE_ERRORS})
def comment_delete(request, comment_id: int = ID_PATH):
    """Delete one's own comment, or, for the work's creators, a comment on their work. One
    with replies stays as a deleted placeholder so the thread holds together."""
    user, comment = _own_comment(request, comment_id, sanctioned=True)
    if not feedback.can_delete_comment(comment, user):
        raise Http404
    feedback.comment_delete(comment=comment, user=user)
    return Status(204, None)
