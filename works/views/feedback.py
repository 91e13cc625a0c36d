"""Reader feedback pages: kudos, comments, bookmarks, subscriptions, history.

Views are thin: load what the reader may see (404 otherwise), bind a form, call a service
from works.services.feedback, redirect. `feedback_context()` adds the feedback region
(div#feedback) to the work page in a fixed number of queries.
"""

from collections import defaultdict

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import OuterRef, Prefetch, Q, Subquery
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from archive.auth import login_redirect, login_required, redirect_to_login
from archive.client import client_address
from archive.errors import Refused, add_refusal, message_refusal
from archive.models import Mute
from archive.params import parse_id, parse_int
from archive.ratelimit import rate_limit
from archive.services.moderation import writer_required
from archive.views.accounts import person_or_404
from tags.models import Tag
from tags.naming import unescape_tag_name
from works.forms.feedback import BookmarkForm, CommentForm
from works.listing.pages import pagination_links
from works.models import (
    Bookmark,
    Chapter,
    Comment,
    Reading,
    Series,
    Subscription,
    Work,
    WorkCreator,
)
from works.models.secrets import exclude_unrevealed, work_secrets
from works.services import feedback

PER_PAGE = 20


# Reads ------------------------------------------------------------------------------------


def _muted(user):
    return Mute.objects.filter(muter=user).values("muted")


def visible_comments(user, **filters):
    """Approved comments, without those of users `user` muted."""
    comments = Comment.objects.filter(status=Comment.Status.APPROVED, **filters)
    if user.is_authenticated:
        comments = comments.exclude(user__in=_muted(user))
    return comments.select_related("user")


def thread_rows(comments, root_id=None) -> list[tuple[str, object]]:
    """Comments as the rows of nested ol.thread lists: ("open"|"close"|"li"|"endli", None)
    and ("comment", comment). A comment whose parent is not shown (muted) is left out with
    its replies."""
    children = defaultdict(list)
    for comment in comments:
        children[comment.parent_id].append(comment)
    rows: list[tuple[str, object]] = [("open", None)]
    stack = [iter(children[root_id])]
    while stack:
        comment = next(stack[-1], None)
        if comment is None:
            stack.pop()
            rows.append(("close", None))
            if stack:
                rows.append(("endli", None))
            continue
        rows.append(("comment", comment))
        if children[comment.pk]:
            rows += [("li", None), ("open", None)]
            stack.append(iter(children[comment.pk]))
    return rows


def with_subscription(works, user):
    """Works annotated with `my_subscription_id` (the reader's subscription to each, or
    None): the work page's Subscribe/Unsubscribe button without a query of its own."""
    if not user.is_authenticated:
        return works
    mine = Subscription.objects.filter(user=user, work=OuterRef("pk")).values("pk")[:1]
    return works.annotate(my_subscription_id=Subquery(mine))


def feedback_context(request: HttpRequest, work: Work, chapters: list, *, is_creator: bool):
    """div#feedback on the work page: kudos, the comments of the shown chapters, the comment
    form. Two queries: kudos names, and the comments (subscription state comes annotated
    on the work, see with_subscription())."""
    user = request.user
    stats = getattr(work, "stats", None)
    names = list(
        work.kudos.filter(user__isnull=False)
        .order_by("-created_at", "-id")
        .values_list("user__username", flat=True)
    )
    guests = max((stats.kudos if stats else 0) - len(names), 0)
    shown = [c for c in chapters if c.pk and c.posted]
    comments = list(visible_comments(user, chapter__in=[c.pk for c in shown])) if shown else []
    rows = thread_rows(comments) if comments else []
    target = shown[-1] if shown else None
    # A block is checked when the comment is posted; the page does not spend a query on it.
    refusal = feedback.comment_refusal(work, user, check_block=False) if work.posted else None
    subscription_id = getattr(work, "my_subscription_id", None)
    return {
        "kudos_names": names,
        "kudos_guests": guests,
        "comment_rows": rows,
        "comment_total": sum(1 for kind, _comment in rows if kind == "comment"),
        "comment_chapter": target,
        "comment_refusal": refusal,
        "comment_form": CommentForm(guest=not user.is_authenticated),
        "subscription_id": subscription_id,
    }


def _work_for(request, work_id, *, posted=True) -> Work:
    works = Work.objects.visible_to(request.user).select_related("stats")
    if posted:
        works = works.filter(posted=True)
    work = works.filter(pk=work_id).first()
    if work is None:
        raise Http404
    return work


def _next_url(request, default: str) -> str:
    """Where to go after a form: the `next` path on this site, else `default`."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def _page(request, queryset):
    page = Paginator(queryset, PER_PAGE).get_page(parse_int(request.GET.get("page"), minimum=1))
    return page, pagination_links(request, page)


# Kudos ------------------------------------------------------------------------------------


@require_POST
@writer_required
@rate_limit("kudos", key="user")
def kudos_create(request, work_id):
    work = _work_for(request, work_id)
    try:
        added = feedback.kudos_add(work=work, user=request.user, ip=client_address(request))
    except Refused as refused:
        message_refusal(request, refused)
    else:
        if added:
            messages.success(request, _("Thank you for leaving kudos!"))
        else:
            messages.info(request, _("You have already left kudos here. :)"))
    return redirect(_next_url(request, work.get_absolute_url()) + "#feedback")


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
    user = request.user
    subtree = [comment]
    if comment.status == Comment.Status.APPROVED:
        keep = {comment.pk}
        for other in visible_comments(user, chapter=comment.chapter_id):
            if other.parent_id in keep and other.pk not in keep:
                keep.add(other.pk)
                subtree.append(other)
    rows = thread_rows(subtree, comment.parent_id)
    is_creator = (
        user.is_authenticated
        and WorkCreator.objects.filter(work_id=comment.work_id, user=user).exists()
    )
    refusal = feedback.comment_refusal(comment.work, user)
    context = {
        "comment": comment,
        "work": comment.work,
        "comment_rows": rows,
        "is_creator": is_creator,
        "comment_refusal": refusal,
        "comment_form": form or CommentForm(guest=not user.is_authenticated),
        **(extra or {}),
    }
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
    return _next_url(request, comment.get_absolute_url())


@require_POST
@writer_required
@rate_limit("comment", key="user")
def comment_create(request, work_id, chapter_id):
    work = _work_for(request, work_id)
    chapter = get_object_or_404(Chapter, pk=chapter_id, work=work, posted=True)
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
        return redirect(_next_url(request, comment.chapter.get_absolute_url() + "#feedback"))
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
    return redirect(_next_url(request, comment.get_absolute_url()))


@login_required
def work_unreviewed(request, work_id):
    """ "Unreviewed comments": the queue of a moderated work, for its creators."""
    work = _work_for(request, work_id, posted=False)
    if not work.is_creator(request.user):
        raise Http404
    comments = (
        Comment.objects.filter(work=work, status=Comment.Status.UNREVIEWED)
        .select_related("user", "chapter")
        .order_by("created_at", "id")
    )
    page, pagination = _page(request, comments)
    return render(
        request,
        "works/feedback/comments_unreviewed.html",
        {"work": work, "comments": page.object_list, "pagination": pagination},
    )


# Bookmarks --------------------------------------------------------------------------------


def bookmarks_visible_to(user):
    """Bookmarks `user` may see in a list: public ones of works they may see (and their own
    private ones), without those of users they muted or works by users they muted."""
    works = Work.objects.visible_to(user).filter(posted=True)
    bookmarks = Bookmark.objects.filter(work__in=works)
    if user.is_authenticated:
        bookmarks = bookmarks.filter(Q(is_private=False) | Q(user=user))
        muted = _muted(user)
        bookmarks = bookmarks.exclude(user__in=muted).exclude(
            work__in=WorkCreator.objects.filter(user__in=muted).values("work")
        )
    else:
        bookmarks = bookmarks.filter(is_private=False)
    return bookmarks


def _bookmark_listing(request, bookmarks, *, heading, extra=None):
    bookmarks = (
        bookmarks.select_related("user")
        .prefetch_related("tags", Prefetch("work", queryset=Work.objects.for_listing()))
        .order_by("-created_at", "-id")
    )
    page, pagination = _page(request, bookmarks)
    context = {
        "bookmarks": page.object_list,
        "page_obj": page,
        "pagination": pagination,
        "heading": heading,
        "count": page.paginator.count,
        **(extra or {}),
    }
    return render(request, "works/feedback/bookmark_list.html", context)


def work_bookmarks(request, work_id):
    work = _work_for(request, work_id)
    if work_secrets(work, request.user).mystery:
        raise Http404  # the heading would name an unrevealed work (issue 7 access matrix)
    return _bookmark_listing(
        request,
        bookmarks_visible_to(request.user).filter(work=work),
        heading=_("Bookmarks for %(title)s") % {"title": work.title},
        extra={"work": work},
    )


def user_bookmarks(request, login):
    person = person_or_404(login)
    return _bookmark_listing(
        request,
        bookmarks_visible_to(request.user).filter(user=person),
        heading=_("Bookmarks by %(login)s") % {"login": person.username},
        extra={"person": person},
    )


def tag_bookmarks(request, name):
    """Bookmarks of works found under the tag, or that bookmarkers tagged with it."""
    tag = Tag.objects.select_related("merger").named(unescape_tag_name(name)).first()
    if tag is None:
        raise Http404
    if tag.merger_id:
        return redirect("works:tag_bookmarks", name=tag.merger.url_name)
    bookmarks = bookmarks_visible_to(request.user).filter(
        Q(work__filter_taggings__tag=tag) | Q(tags=tag) | Q(tags__merger=tag)
    )
    ids = bookmarks.values("pk")
    return _bookmark_listing(
        request,
        Bookmark.objects.filter(pk__in=ids),
        heading=_("Bookmarks in %(tag)s") % {"tag": tag.name},
        extra={"tag": tag},
    )


@login_required
@writer_required
def bookmark_edit(request, work_id):
    """/works/<id>/bookmarks/new: bookmark the work, or change your bookmark of it."""
    work = _work_for(request, work_id)
    existing = (
        Bookmark.objects.filter(user=request.user, work=work).prefetch_related("tags").first()
    )
    initial = {}
    if existing:
        initial = {
            "notes": existing.notes,
            "tags": ", ".join(t.name for t in existing.tags.all()),
            "private": existing.is_private,
            "rec": existing.is_rec,
        }
    form = BookmarkForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            feedback.bookmark_save(
                user=request.user,
                work=work,
                notes=data["notes"],
                tag_text=data["tags"],
                private=data["private"],
                rec=data["rec"],
            )
        except Refused as refused:
            add_refusal(form, refused)
        else:
            messages.success(request, _("Bookmark was successfully saved."))
            return redirect("works:user_bookmarks", login=request.user.username)
    status = 400 if request.method == "POST" else 200
    context = {"work": work, "form": form, "bookmark": existing}
    return render(request, "works/feedback/bookmark_form.html", context, status=status)


@require_POST
@login_required
def bookmark_delete(request, bookmark_id):
    bookmark = get_object_or_404(Bookmark, pk=bookmark_id, user=request.user)
    feedback.bookmark_delete(bookmark=bookmark)
    messages.success(request, _("Bookmark was successfully deleted."))
    return redirect(
        _next_url(request, reverse("works:user_bookmarks", args=[request.user.username]))
    )


# Subscriptions ----------------------------------------------------------------------------


def _owner(request, login):
    """The /users/<login>/... pages only their owner sees (404 for anyone else)."""
    if not request.user.is_authenticated:
        return None
    person = person_or_404(login)
    if person.pk != request.user.pk:
        raise Http404
    return person


def _subscribe(request, *, default_url, **target):
    if not request.user.is_authenticated:
        return redirect_to_login(default_url)  # a fixed path: never too long
    try:
        feedback.subscription_add(user=request.user, **target)
    except Refused as refused:
        message_refusal(request, refused)
    else:
        messages.success(request, _("You are now subscribed."))
    return redirect(_next_url(request, default_url))


@require_POST
def subscribe_work(request, work_id):
    work = _work_for(request, work_id)
    return _subscribe(request, default_url=work.get_absolute_url(), work=work)


@require_POST
def subscribe_series(request, series_id):
    series = get_object_or_404(Series, pk=series_id)
    visible = Work.objects.visible_to(request.user).filter(posted=True, series_works__series=series)
    if not visible.exists():
        raise Http404
    return _subscribe(request, default_url=series.get_absolute_url(), series=series)


@require_POST
def subscribe_user(request, login):
    person = person_or_404(login)
    return _subscribe(request, default_url=person.get_absolute_url(), author=person)


@require_POST
@login_required
def subscription_delete(request, subscription_id):
    subscription = get_object_or_404(Subscription, pk=subscription_id, user=request.user)
    feedback.subscription_delete(subscription=subscription)
    messages.success(request, _("You have unsubscribed."))
    return redirect(
        _next_url(request, reverse("works:user_subscriptions", args=[request.user.username]))
    )


def user_subscriptions(request, login):
    person = _owner(request, login)
    if person is None:
        return login_redirect(request)
    # A subscription to a work that now sits unrevealed in a collection would name it: only
    # the reader's own subscribed works are checked, never the whole archive.
    subscribed = Subscription.objects.filter(user=person)
    shown = exclude_unrevealed(
        Work.objects.filter(pk__in=subscribed.values("work_id")), request.user
    )
    subscriptions = subscribed.filter(Q(work__isnull=True) | Q(work__in=shown)).select_related(
        "work", "author", "series"
    )
    page, pagination = _page(request, subscriptions)
    context = {"person": person, "subscriptions": page.object_list, "pagination": pagination}
    return render(request, "works/feedback/subscription_list.html", context)


# History and Marked for Later -------------------------------------------------------------


def user_readings(request, login):
    """/users/<login>/readings: last visited, visits, "Update available"; ?show=to-read
    lists the works marked for later."""
    person = _owner(request, login)
    if person is None:
        return login_redirect(request)
    visible = exclude_unrevealed(
        Work.objects.visible_to(request.user).filter(posted=True), request.user
    )
    readings = Reading.objects.filter(user=person, work__in=visible).select_related("work")
    to_read = request.GET.get("show") == "to-read"
    if to_read:
        readings = readings.filter(marked_for_later=True)
    page, pagination = _page(request, readings)
    context = {
        "person": person,
        "readings": page.object_list,
        "pagination": pagination,
        "to_read": to_read,
    }
    return render(request, "works/feedback/reading_list.html", context)


@require_POST
@login_required
def mark_for_later(request, work_id):
    work = _work_for(request, work_id)
    marked = request.POST.get("marked", "true") != "false"
    feedback.reading_mark_for_later(user=request.user, work=work, marked=marked)
    if marked:
        messages.success(request, _("This work was added to your Marked for Later list."))
    else:
        messages.success(request, _("This work was removed from your Marked for Later list."))
    return redirect(_next_url(request, work.get_absolute_url()))


@require_POST
@login_required
def readings_clear(request, login):
    if _owner(request, login) is None:
        raise Http404
    feedback.readings_clear(user=request.user)
    messages.success(request, _("Your history is now cleared."))
    return redirect("works:user_readings", login=request.user.username)
