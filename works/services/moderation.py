"""Moderation of works and comments: hide and unhide works, hide, unhide and delete comments.

Every write is keyword-only, atomic, and records a ModeratorAction through
archive.services.moderation, which also tells the creators. A ban or a lifted ban (archive's
user sanctions) reaches the user's works through archive.signals: the receivers below hide or
unhide them inside the sanction's transaction, so a ban and its hidden works are one change.
"""

from django.db import transaction
from django.utils.translation import gettext as _

from archive.models import ModeratorAction, User, UserSanction
from archive.queue import job
from archive.services import moderation as archive_moderation
from archive.signals import sanction_lifted, user_sanctioned
from works.models import Comment, Work
from works.services import feedback
from works.services import posting as services

# ---------------------------------------------------------------------------------------------
# Works


def work_hide(*, work, moderator, reason: str) -> None:
    """Hide a work from readers (its creators and moderators still see it), tell its creators."""
    with transaction.atomic():
        services.work_update(
            work=work, fields={"hidden_by_moderator": True, "hidden_reason": reason}
        )
        archive_moderation.record_action(
            moderator=moderator, kind=ModeratorAction.Kind.HIDE_WORK, target=work, reason=reason
        )
        for creator in work.creators.all():
            archive_moderation.notify(
                user=creator,
                subject=_("Your work has been hidden"),
                text=_(
                    'Your work "%(title)s" has been hidden by the moderators. Readers cannot '
                    "see it until it is unhidden. Reason: %(reason)s"
                )
                % {"title": work.title, "reason": reason or _("none given")},
                url=work.get_absolute_url(),
            )


def work_unhide(*, work, moderator, reason: str = "") -> None:
    with transaction.atomic():
        services.work_update(work=work, fields={"hidden_by_moderator": False, "hidden_reason": ""})
        archive_moderation.record_action(
            moderator=moderator, kind=ModeratorAction.Kind.UNHIDE_WORK, target=work, reason=reason
        )
        for creator in work.creators.all():
            archive_moderation.notify(
                user=creator,
                subject=_("Your work is visible again"),
                text=_('Your work "%(title)s" is visible to readers again.')
                % {"title": work.title},
                url=work.get_absolute_url(),
            )


@job()
def works_hide_task(*, work_ids: list[int], moderator_id: int, reason: str) -> int:
    """A moderator's mass hide, on a worker: each work in its own transaction; a retry skips
    the works already hidden, so none is hidden (or its creators told) twice."""
    moderator = User.objects.filter(pk=moderator_id).first()
    done = 0
    for work in Work.objects.filter(pk__in=work_ids, hidden_by_moderator=False).order_by("pk"):
        work_hide(work=work, moderator=moderator, reason=reason)
        done += 1
    return done


@job()
def works_unhide_task(*, work_ids: list[int], moderator_id: int, reason: str) -> int:
    moderator = User.objects.filter(pk=moderator_id).first()
    done = 0
    for work in Work.objects.filter(pk__in=work_ids, hidden_by_moderator=True).order_by("pk"):
        work_unhide(work=work, moderator=moderator, reason=reason)
        done += 1
    return done


# ---------------------------------------------------------------------------------------------
# Comments: moderators hide, unhide, delete or mark as spam.
# "Hidden" uses the comment's unreviewed status, so it disappears from the work like a comment
# awaiting review; deleting keeps "(Previous comment deleted.)" when there are replies.


def comment_hide(*, comment, moderator, reason: str) -> bool:
    with transaction.atomic():
        comment = Comment.objects.select_for_update().get(pk=comment.pk)
        if comment.status != Comment.Status.APPROVED or comment.is_deleted:
            return False
        Comment.objects.filter(pk=comment.pk).update(status=Comment.Status.HIDDEN)
        feedback.stats_add(comment.work_id, "comments", -1)
        archive_moderation.record_action(
            moderator=moderator,
            kind=ModeratorAction.Kind.HIDE_COMMENT,
            target=comment,
            reason=reason,
        )
    return True


def comment_unhide(*, comment, moderator, reason: str = "") -> bool:
    with transaction.atomic():
        comment = Comment.objects.select_for_update().get(pk=comment.pk)
        if comment.status != Comment.Status.HIDDEN or comment.is_deleted:
            return False
        Comment.objects.filter(pk=comment.pk).update(status=Comment.Status.APPROVED)
        feedback.stats_add(comment.work_id, "comments", 1)
        archive_moderation.record_action(
            moderator=moderator,
            kind=ModeratorAction.Kind.UNHIDE_COMMENT,
            target=comment,
            reason=reason,
        )
    return True


def comment_remove(*, comment, moderator, reason: str, spam: bool = False) -> bool:
    """Delete any comment (its text goes; a placeholder stays when it has replies)."""
    with transaction.atomic():
        comment = Comment.objects.select_for_update().filter(pk=comment.pk).first()
        if comment is None or comment.is_deleted:
            return False
        kind = ModeratorAction.Kind.MARK_SPAM if spam else ModeratorAction.Kind.DELETE_COMMENT
        archive_moderation.record_action(
            moderator=moderator, kind=kind, target=comment, reason=reason
        )
        feedback.comment_erase(comment)
    return True


# ---------------------------------------------------------------------------------------------
# Bans: a banned user's works are hidden, and shown again when the ban is lifted


def _works_of(user):
    return Work.objects.filter(work_creators__user=user)


def on_user_sanctioned(sender, *, sanction: UserSanction, moderator, **kwargs) -> None:
    """Hide every work of a banned user (each hide recorded); a suspension hides nothing."""
    if sanction.kind != UserSanction.Kind.BAN:
        return
    reason = archive_moderation.ban_hide_reason(sanction.reason)
    for work in _works_of(sanction.user).filter(hidden_by_moderator=False):
        work_hide(work=work, moderator=moderator, reason=reason)


def on_sanction_lifted(sender, *, sanction: UserSanction, moderator, **kwargs) -> None:
    """Show again the works a lifted ban hid (those still hidden for that ban's reason; a work
    a moderator hid for anything else stays hidden)."""
    if sanction.kind != UserSanction.Kind.BAN:
        return
    hidden_by_ban = _works_of(sanction.user).filter(
        hidden_by_moderator=True,
        hidden_reason=archive_moderation.ban_hide_reason(sanction.reason),
    )
    for work in hidden_by_ban:
        work_unhide(work=work, moderator=moderator, reason=_("The ban was lifted."))


def connect() -> None:
    user_sanctioned.connect(on_user_sanctioned, sender=User, dispatch_uid="works_ban_hides")
    sanction_lifted.connect(on_sanction_lifted, sender=User, dispatch_uid="works_ban_lifted")
    archive_moderation.report_target_register(url_kwarg="work_id", model=Work)
    archive_moderation.report_target_register(url_kwarg="comment_id", model=Comment)
