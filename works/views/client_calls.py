"""AO3's script endpoints that readers' AO3 clients (ao3-api) call as they are: kudos and
comments as AO3's `.js` endpoints, answered with AO3's status codes and JSON (docs/markup.md,
"Readers' AO3 clients"). Bookmarks and subscriptions with AO3's field names are in
works.views.bookmarks and works.views.subscriptions.

Each goes through the same services, rate limits and sanctions as the archive's own forms;
the CSRF check applies unchanged (AO3's `authenticity_token` field is the token).
"""

from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from archive.client import client_address
from archive.errors import Refused
from archive.params import parse_id
from archive.ratelimit import rate_limit
from archive.services.moderation import writer_required
from works.models import Chapter, Work
from works.models.visibility import work_secrets
from works.services import feedback

# AO3's JSON keys for a kudos it will not take.
_KUDOS_ERROR_KEYS = {"duplicate_user": "user_id", "duplicate_guest": "ip_address"}


def _errors(key: str, message: str, status: int = 422) -> JsonResponse:
    """AO3's error answer: {"errors": {"<key>": ["<message>"]}}."""
    return JsonResponse({"errors": {key: [str(message)]}}, status=status)


def _visible_work(user, work_id):
    work = Work.objects.visible_to(user).posted().filter(pk=work_id).first()
    if work is None or work_secrets(work, user).mystery:
        return None
    return work


@require_POST
@writer_required
@rate_limit("kudos", key="user")
def kudos_js(request):
    """POST /kudos.js: 201 and the kudos as JSON; 422 with AO3's error keys (`user_id` or
    `ip_address` when already left, `no_commentable` for no such work)."""
    work_id = parse_id(request.POST.get("kudo[commentable_id]", ""))
    if request.POST.get("kudo[commentable_type]", "Work") != "Work" or work_id is None:
        return _errors("no_commentable", _("What did you want to leave kudos on?"))
    work = _visible_work(request.user, work_id)
    if work is None:
        return _errors("no_commentable", _("What did you want to leave kudos on?"))
    try:
        added = feedback.kudos_add(
            work=work,
            user=request.user,
            ip=client_address(request),
            from_chapter_id=parse_id(request.POST.get("kudos_from", "")),
        )
    except Refused as refused:
        return _errors(refused.code or "commentable", refused.message)
    if not added:
        key = "duplicate_user" if request.user.is_authenticated else "duplicate_guest"
        return _errors(_KUDOS_ERROR_KEYS[key], _("You have already left kudos here. :)"))
    return JsonResponse({"commentable_id": work.pk, "commentable_type": "Work"}, status=201)


def _comment_target(request):
    """The chapter a /comments.js post names (`chapter_id`, or `work_id`: its first chapter)
    and the comment it replies to (`comment_id`), or None."""
    visible = Work.objects.visible_to(request.user).posted()
    chapter_id = parse_id(request.POST.get("chapter_id", ""))
    work_id = parse_id(request.POST.get("work_id", ""))
    chapters = Chapter.objects.posted().filter(work__in=visible).select_related("work")
    if chapter_id is not None:
        chapter = chapters.filter(pk=chapter_id).first()
    elif work_id is not None:
        chapter = chapters.filter(work_id=work_id).order_by("position", "pk").first()
    else:
        chapter = None
    if chapter is None or work_secrets(chapter.work, request.user).mystery:
        return None, None
    parent = None
    parent_id = parse_id(request.POST.get("comment_id", ""))
    if parent_id is not None:
        parent = chapter.comments.filter(pk=parent_id).first()
        if parent is None:
            return None, None
    return chapter, parent


@require_POST
@writer_required
@rate_limit("comment", key="user")
def comments_js(request):
    """POST /comments.js as AO3's comment script sends it. AO3 answers a new comment with a
    redirect to the work's page in the `.js` format, which it does not serve (404 with a
    page), and ao3-api takes exactly that as success; a duplicate is a 200 page; other
    refusals are 422 JSON."""
    chapter, parent = _comment_target(request)
    if chapter is None:
        raise Http404
    try:
        comment = feedback.comment_add(
            chapter=chapter,
            user=request.user,
            content=request.POST.get("comment[comment_content]", ""),
            guest_name=request.POST.get("comment[name]", ""),
            guest_email=request.POST.get("comment[email]", ""),
            parent=parent,
        )
    except Refused as refused:
        if refused.code == "duplicate":
            return HttpResponse(refused.message, content_type="text/plain; charset=utf-8")
        return _errors(refused.code or "comment", refused.message)
    location = reverse("works:detail", args=[chapter.work_id]) + ".js"
    return redirect(f"{location}?show_comments=true#comment_{comment.pk}")
