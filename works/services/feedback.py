"""Writes for reader feedback: kudos, comments, bookmarks, subscriptions, history, blocks,
mutes and the inbox.

Rules that must hold under double clicks and concurrent requests rest on database
constraints: a write that loses the race meets an IntegrityError, is rolled back inside its
own savepoint, and the counter in WorkStats moves (with F()) only when a row was really
inserted or removed. A refusal raises archive.errors.Refused with a message for the reader.
"""

from django.db import IntegrityError, connection, transaction
from django.db.models import F, Value
from django.db.models.functions import Greatest
from django.utils import timezone
from django.utils.translation import gettext as _

from archive.errors import Refused
from archive.models import Block, InboxItem, Pseud
from tags.models import TagType
from tags.services import tag_name_problem, tags_parse, tags_resolve
from works.cache import pages as page_cache
from works.models import (
    Bookmark,
    Chapter,
    Comment,
    CommentPermission,
    Kudos,
    Reading,
    Subscription,
    Work,
    WorkCreator,
    WorkStats,
)
from works.models.feedback import COMMENT_MAX_LENGTH
from works.services import notifications
from works.services.pseuds import creator_pseud
from works.stats import daily

BOOKMARK_TAGS_MAX = 75


def is_blocked_by_creators(work: Work, user) -> bool:
    """True when one of the work's creators has blocked `user`."""
    if not user or not user.is_authenticated:
        return False
    return Block.objects.filter(
        blocker__in=WorkCreator.objects.filter(work=work).values("user"), blocked=user
    ).exists()


def stats_add(work_id: int, field: str, delta: int) -> None:
    """Move one of the work's counters with F() (safe under concurrent requests). A counter
    never goes below zero, even one that drifted from its rows (a recount puts it right)."""
    moved = F(field) + delta if delta >= 0 else Greatest(F(field) + delta, Value(0))
    WorkStats.objects.filter(work_id=work_id).update(**{field: moved})
    page_cache.work_changed(work_id)


# Kudos ----------------------------------------------------------------------------------


def kudos_add(*, work: Work, user, ip: str | None, from_chapter_id: int | None = None) -> bool:
    """Leave kudos. True when new; False when this account (or this guest's IP address)
    had already left kudos, even if that happened a millisecond ago in another request.
    `from_chapter_id`: the chapter page the kudos button was on (None: the entire work's
    view, or a tool), counted in the day's statistics (works.stats.daily)."""
    if user is not None and user.is_authenticated:
        if user.pk in work.creator_ids():
            raise Refused(_("You can't leave kudos on your own work."), code="own_work")
        if is_blocked_by_creators(work, user):
            raise Refused(_("Sorry, you have been blocked by one of the creators."), code="blocked")
        row = Kudos(work=work, user=user)
    else:
        if work.restricted:
            raise Refused(
                _("Only registered users can leave kudos on this work."), code="restricted"
            )
        if not ip:
            raise Refused(_("We could not tell who you are; please try again."), code="no_address")
        row = Kudos(work=work, ip=ip)
    with transaction.atomic():
        try:
            with transaction.atomic():
                row.save()
        except IntegrityError:
            return False
        stats_add(work.pk, "kudos", 1)
        daily.add(work.pk, kudos=1)
        if from_chapter_id is not None:
            daily.add(work.pk, chapter_id=from_chapter_id, kudos=1)  # another work's: nothing
    return True


# Comments -------------------------------------------------------------------------------


def comment_refusal(work: Work, user, *, check_block: bool = True) -> str | None:
    """Why `user` (or a guest) may not comment on `work`, or None."""
    permission = work.comment_permission
    if permission == CommentPermission.NOBODY:
        return _("Sorry, this work doesn't allow comments.")
    authenticated = user is not None and user.is_authenticated
    if permission == CommentPermission.REGISTERED and not authenticated:
        return _("Sorry, this work only allows comments by registered users.")
    if check_block and authenticated and is_blocked_by_creators(work, user):
        return _("Sorry, you have been blocked by one of the creators.")
    return None


def _check_content(content: str) -> str:
    content = (content or "").replace("\x00", "").strip()  # PostgreSQL refuses NUL
    if not content:
        raise Refused(
            _("Brevity is the soul of wit, but we need your comment to have text in it."),
            field="content",
            code="empty",
        )
    if len(content) > COMMENT_MAX_LENGTH:
        raise Refused(
            _("Comment must be less than %(max)s characters long.")
            % {"max": f"{COMMENT_MAX_LENGTH:,}"},
            field="content",
            code="too_long",
        )
    return content


@transaction.atomic
def comment_add(
    *,
    chapter: Chapter,
    user,
    content: str,
    guest_name: str = "",
    guest_email: str = "",
    parent: Comment | None = None,
) -> Comment:
    """A comment on `chapter`, or a reply to `parent`. Held for review when the work
    moderates comments (not for its creators). Creators, and the replied-to commenter, are
    told in their inbox and, when they chose so, by email."""
    # One comment at a time per work; FOR NO KEY UPDATE, because the work's key never changes
    # here and a stronger lock would block the key-share check of every row that points at the
    # work (a kudos committing after it moved the counters this comment then waits for: a
    # deadlock, seen under load in tests/bench/cluster_load.py).
    work = Work.objects.select_for_update(no_key=True).get(pk=chapter.work_id)
    refusal = comment_refusal(work, user)
    if refusal:
        raise Refused(refusal, code="not_allowed")
    content = _check_content(content)
    authenticated = user is not None and user.is_authenticated
    if not authenticated:
        guest_name, guest_email = guest_name.strip(), guest_email.strip()
        if not guest_name or not guest_email:
            raise Refused(_("Please enter your name and email address."), code="guest_name")
    if parent is not None and (parent.chapter_id != chapter.pk or parent.is_deleted):
        raise Refused(_("That comment can no longer be replied to."), code="gone")
    same = Comment.objects.filter(chapter=chapter, parent=parent, content=content, is_deleted=False)
    same = (
        same.filter(user=user) if authenticated else same.filter(user=None, guest_name=guest_name)
    )
    if same.exists():
        raise Refused(_("You have already left this comment here. :)"), code="duplicate")
    creators = work.creator_ids()
    held = work.moderate_comments and not (authenticated and user.pk in creators)
    comment = Comment.objects.create(
        work=work,
        chapter=chapter,
        parent=parent,
        user=user if authenticated else None,
        guest_name="" if authenticated else guest_name,
        guest_email="" if authenticated else guest_email,
        content=content,
        status=Comment.Status.UNREVIEWED if held else Comment.Status.APPROVED,
    )
    if not held:
        _comment_counted(comment)
    notifications.notify_comment(comment, creators, tell_parent=not held)
    return comment


def _comment_counted(comment: Comment) -> None:
    """A comment readers can see: the work's count, and the day's on the work and chapter."""
    stats_add(comment.work_id, "comments", 1)
    daily.add(comment.work_id, comments=1)
    daily.add(comment.work_id, chapter_id=comment.chapter_id, comments=1)


def can_moderate_comment(comment: Comment, user) -> bool:
    return user.is_authenticated and user.pk in comment.work.creator_ids()


@transaction.atomic
def comment_approve(*, comment: Comment, user) -> Comment:
    comment = (
        Comment.objects.select_for_update(of=("self",))
        .select_related("work", "parent")
        .get(pk=comment.pk)
    )
    if not can_moderate_comment(comment, user):
        raise Refused(
            _("Sorry, you don't have permission to approve that comment."), code="permission"
        )
    if comment.status == Comment.Status.APPROVED:
        return comment
    if comment.status == Comment.Status.HIDDEN:
        raise Refused(
            _("A moderator hid that comment; only a moderator can restore it."), code="hidden"
        )
    comment.status = Comment.Status.APPROVED
    Comment.objects.filter(pk=comment.pk).update(status=comment.status)
    if comment.is_deleted:
        page_cache.work_changed(comment.work_id)
    else:
        _comment_counted(comment)  # also retires the cached pages
    if comment.parent_id and comment.parent.user_id and comment.parent.user_id != comment.user_id:
        notifications.notify_reply(comment)
    return comment


@transaction.atomic
def comment_update(*, comment: Comment, user, content: str) -> Comment:
    if not (user.is_authenticated and comment.user_id == user.pk) or comment.is_deleted:
        raise Refused(
            _("Sorry, you don't have permission to edit that comment."), code="permission"
        )
    comment.content = _check_content(content)
    comment.edited_at = timezone.now()
    comment.save()
    return comment


def can_delete_comment(comment: Comment, user) -> bool:
    if not user.is_authenticated or comment.is_deleted:
        return False
    return comment.user_id == user.pk or user.pk in comment.work.creator_ids()


@transaction.atomic
def comment_delete(*, comment: Comment, user) -> None:
    """Delete a comment. One with replies stays as "(Previous comment deleted.)" so the
    thread holds together; its text is gone."""
    comment = Comment.objects.select_for_update().get(pk=comment.pk)
    if not can_delete_comment(comment, user):
        raise Refused(
            _("Sorry, you don't have permission to delete that comment."), code="permission"
        )
    comment_erase(comment)


def comment_erase(comment: Comment) -> None:
    """Take a comment (locked by the caller) off its work, for its writer or a moderator
    (works.services.moderation). One with replies stays as "(Previous comment deleted.)" so the
    thread holds together; its text is gone. A counted comment leaves the work's count."""
    if comment.replies.exists():
        Comment.objects.filter(pk=comment.pk).update(
            is_deleted=True, content="", content_html="", guest_email=""
        )
    else:
        comment.delete()
    if comment.status == Comment.Status.APPROVED:
        stats_add(comment.work_id, "comments", -1)  # also retires the cached pages
    else:
        page_cache.work_changed(comment.work_id)


# Bookmarks ------------------------------------------------------------------------------


def bookmark_tag_problem(text: str) -> str | None:
    names = tags_parse(text)
    if len(names) > BOOKMARK_TAGS_MAX:
        return _("Bookmarks can have at most %(max)s tags.") % {"max": BOOKMARK_TAGS_MAX}
    for name in names:
        problem = tag_name_problem(name)
        if problem:
            return problem
    return None


@transaction.atomic
def bookmark_save(
    *,
    user,
    work: Work,
    notes: str = "",
    tag_text: str = "",
    private: bool = False,
    rec: bool = False,
    pseud: Pseud | None = None,
) -> Bookmark:
    """Create or change `user`'s bookmark of `work` (one per user and work), under `pseud`
    (default: their default pseud; an existing bookmark keeps its pseud unless one is given).
    Its tags are freeform tags; WorkStats.bookmarks counts public bookmarks. (A block stops
    comments, replies and kudos, not bookmarks, as on AO3.)"""
    chosen = creator_pseud(user, pseud) if pseud is not None else None
    problem = bookmark_tag_problem(tag_text)
    if problem:
        raise Refused(problem, field="tags", code="tags")
    bookmark = Bookmark.objects.select_for_update().filter(user=user, work=work).first()
    was_public = bookmark is not None and not bookmark.is_private
    if bookmark is None:
        bookmark = Bookmark(user=user, work=work, pseud=chosen or creator_pseud(user, None))
    elif chosen is not None:
        bookmark.pseud = chosen
    bookmark.notes, bookmark.is_private, bookmark.is_rec = (
        notes.strip(),
        private,
        rec and not private,
    )
    try:
        with transaction.atomic():
            bookmark.save()
    except IntegrityError:  # a double click created it a moment ago: change that one
        bookmark = Bookmark.objects.select_for_update().get(user=user, work=work)
        bookmark.pseud = chosen or bookmark.pseud
        was_public = not bookmark.is_private
        bookmark.notes, bookmark.is_private = notes.strip(), private
        bookmark.is_rec = rec and not private
        bookmark.save()
    bookmark.tags.set(tags_resolve(names=tags_parse(tag_text), tag_type=TagType.FREEFORM))
    delta = int(not private) - int(was_public)
    if delta:
        stats_add(work.pk, "bookmarks", delta)
    if delta > 0:
        daily.add(work.pk, bookmarks=1)
    return bookmark


@transaction.atomic
def bookmark_delete(*, bookmark: Bookmark) -> None:
    deleted, _rows = Bookmark.objects.filter(pk=bookmark.pk).delete()
    if deleted and not bookmark.is_private:
        stats_add(bookmark.work_id, "bookmarks", -1)


# Subscriptions ---------------------------------------------------------------------------


def subscription_add(*, user, work=None, author=None, series=None) -> Subscription:
    kind = "work" if work else "author" if author else "series"
    if author is not None and author.pk == user.pk:
        raise Refused(_("You can't subscribe to yourself."), code="self")
    lookup = {"user": user, "kind": kind, "work": work, "author": author, "series": series}
    with transaction.atomic():
        try:
            with transaction.atomic():
                subscription = Subscription.objects.create(**lookup)
        except IntegrityError:
            return Subscription.objects.get(**lookup)
        if work is not None:
            stats_add(work.pk, "subscriptions", 1)
            daily.add(work.pk, subscriptions=1)
    return subscription


@transaction.atomic
def subscription_delete(*, subscription: Subscription) -> None:
    deleted, _rows = Subscription.objects.filter(pk=subscription.pk).delete()
    if deleted and subscription.work_id:
        stats_add(subscription.work_id, "subscriptions", -1)


# Reading history -------------------------------------------------------------------------


def reading_record(*, user_id: int, work_id: int, visits: int = 1) -> None:
    """`visits` visits of a logged-in reader to a work (flushed from the buffer in
    works/hits.py), in ONE statement whether or not it is the first: INSERT ... ON CONFLICT
    DO UPDATE, which PostgreSQL and SQLite (3.24+) both speak."""
    table = Reading._meta.db_table
    works = Work._meta.db_table
    sql = (
        f"INSERT INTO {table} (user_id, work_id, first_visited_at, last_visited_at, "
        "visit_count, chapters_seen, marked_for_later) "
        f"SELECT %s, id, %s, %s, %s, chapter_count, %s FROM {works} WHERE id = %s "
        "ON CONFLICT (user_id, work_id) DO UPDATE SET "
        "last_visited_at = excluded.last_visited_at, "
        f"visit_count = {table}.visit_count + excluded.visit_count, "
        "chapters_seen = excluded.chapters_seen"
    )
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(sql, [user_id, now, now, visits, False, work_id])


@transaction.atomic
def reading_mark_for_later(*, user, work: Work, marked: bool = True) -> Reading:
    reading, _created = Reading.objects.get_or_create(user=user, work=work)
    reading.marked_for_later = marked
    reading.save(update_fields=["marked_for_later"])
    return reading


def readings_clear(*, user) -> None:
    Reading.objects.filter(user=user).delete()


# Inbox -----------------------------------------------------------------------------------


def inbox_mark(*, user, item_ids, read: bool) -> int:
    return InboxItem.objects.filter(recipient=user, pk__in=item_ids).update(is_read=read)
