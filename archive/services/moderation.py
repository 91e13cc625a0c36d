"""Moderation services: sanction users, handle reports, record actions, notify users.

Every write is keyword-only, atomic, and records a ModeratorAction (who, what, when, why).
`user_can_write(user)` is the one check posting, comment, kudos and bookmark views make.
Works and comments are moderated by the works app (works/services/moderation.py), which
answers the sanctions' signals (archive.signals) by hiding or unhiding a banned user's works,
in the sanction's transaction.
"""

from functools import wraps
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import send_mail
from django.db import transaction
from django.shortcuts import render
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.translation import gettext as _

from archive.models import AbuseReport, ModeratorAction, Notification, User, UserSanction
from archive.signals import sanction_lifted, user_sanctioned
from archive.site import site_url

MODERATOR_GROUP = "Moderator"
# (app_label, model, actions). Models that do not exist (yet) are skipped, and the group is
# synced again after every migrate, so comments join once their model exists.
MODERATOR_PERMISSIONS = [
    ("works", "work", ("view", "change")),
    ("works", "chapter", ("view", "change")),
    ("works", "series", ("view", "change")),
    ("works", "collection", ("view", "change")),
    ("works", "workstats", ("view",)),
    ("works", "comment", ("view", "change", "delete")),
    ("archive", "user", ("view", "change")),
    ("archive", "pseud", ("view", "change")),
    ("archive", "formerlogin", ("view",)),
    ("archive", "abusereport", ("view", "change")),
    ("archive", "moderatoraction", ("view",)),
    ("archive", "usersanction", ("view", "add", "change")),
    ("archive", "notification", ("view",)),
    ("archive", "inviterequest", ("view", "change", "delete")),
    ("archive", "invitation", ("view",)),
    ("tags", "tag", ("view",)),
    ("archive", "failedtask", ("view",)),
    ("django_tasks_database", "dbtaskresult", ("view",)),
]


def moderator_group_sync(*, group_model, permission_model) -> None:
    """Give the Moderator group exactly MODERATOR_PERMISSIONS (those that exist)."""
    group, _created = group_model.objects.get_or_create(name=MODERATOR_GROUP)
    wanted = []
    for app_label, model, actions in MODERATOR_PERMISSIONS:
        for action in actions:
            perm = permission_model.objects.filter(
                content_type__app_label=app_label,
                content_type__model=model,
                codename=f"{action}_{model}",
            ).first()
            if perm is not None:
                wanted.append(perm)
    group.permissions.set(wanted)


# ---------------------------------------------------------------------------------------------
# Records


def record_action(*, moderator, kind, target, reason="") -> ModeratorAction:
    return ModeratorAction.objects.create(
        moderator=moderator if moderator and moderator.is_authenticated else None,
        kind=kind,
        content_type=ContentType.objects.get_for_model(target),
        object_id=target.pk,
        target_repr=str(target)[:300],
        reason=reason,
    )


def notify(*, user, text: str, url: str = "", subject: str = "") -> Notification:
    """Tell a user something: a notification on their dashboard, and an email. `url` is a
    path on the archive; the email carries it as an absolute link (ARCHIVE_SITE_URL)."""
    note = Notification.objects.create(user=user, text=text, url=url)
    if user.email:
        body = text
        if url:
            body += "\n\n" + site_url(url)
        transaction.on_commit(
            lambda: send_mail(
                subject or _("A message from the archive's moderators"),
                body,
                settings.DEFAULT_FROM_EMAIL,
                [user.email],
                fail_silently=True,
            )
        )
    return note


# ---------------------------------------------------------------------------------------------
# Users


def user_active_sanction(user) -> UserSanction | None:
    if user is None or not user.is_authenticated:
        return None
    return UserSanction.objects.active().filter(user=user).order_by("ends_at").last()


def user_can_write(user) -> bool:
    """False while the user is suspended or banned: they may read, not post, comment or kudos."""
    return user_active_sanction(user) is None


def write_forbidden_response(request, sanction=None):
    sanction = sanction or user_active_sanction(request.user)
    return render(request, "archive/suspended.html", {"sanction": sanction}, status=403)


def writer_required(view):
    """Decorator for views that post, comment, kudos or bookmark: 403 page while sanctioned."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        sanction = user_active_sanction(request.user)
        if sanction is not None:
            return write_forbidden_response(request, sanction)
        return view(request, *args, **kwargs)

    return wrapped


def user_suspend(*, user, moderator, reason: str, ends_at) -> UserSanction:
    with transaction.atomic():
        sanction = UserSanction.objects.create(
            user=user,
            kind=UserSanction.Kind.SUSPENSION,
            reason=reason,
            ends_at=ends_at,
            created_by=moderator,
        )
        record_action(
            moderator=moderator, kind=ModeratorAction.Kind.SUSPEND_USER, target=user, reason=reason
        )
        user_sanctioned.send(sender=User, sanction=sanction, moderator=moderator)
        until = timezone.localtime(ends_at).strftime("%Y-%m-%d %H:%M %Z") if ends_at else ""
        notify(
            user=user,
            subject=_("Your account has been suspended"),
            text=_(
                "Your account has been suspended until %(until)s: you can read, but not post, "
                "comment or leave kudos. Reason: %(reason)s"
            )
            % {"until": until or _("further notice"), "reason": reason},
        )
    return sanction


def user_ban(*, user, moderator, reason: str, ends_at=None) -> UserSanction:
    """Ban: no writing, and every work of the user is hidden (each hide recorded)."""
    with transaction.atomic():
        sanction = UserSanction.objects.create(
            user=user,
            kind=UserSanction.Kind.BAN,
            reason=reason,
            ends_at=ends_at,
            created_by=moderator,
        )
        record_action(
            moderator=moderator, kind=ModeratorAction.Kind.BAN_USER, target=user, reason=reason
        )
        user_sanctioned.send(sender=User, sanction=sanction, moderator=moderator)
        notify(
            user=user,
            subject=_("Your account has been banned"),
            text=_("Your account has been banned and your works hidden. Reason: %(reason)s")
            % {"reason": reason},
        )
    return sanction


def ban_hide_reason(reason: str) -> str:
    return _("The creator's account was banned: %(reason)s") % {"reason": reason}


def sanction_lift(*, sanction: UserSanction, moderator, reason: str = "") -> None:
    """End a suspension or ban. Lifting a ban shows again the works the ban hid (those still
    hidden for that ban's reason; a work a moderator hid for anything else stays hidden)."""
    with transaction.atomic():
        sanction.lifted_at = timezone.now()
        sanction.save(update_fields=["lifted_at"])
        record_action(
            moderator=moderator,
            kind=ModeratorAction.Kind.LIFT_SANCTION,
            target=sanction.user,
            reason=reason,
        )
        sanction_lifted.send(sender=User, sanction=sanction, moderator=moderator)


# ---------------------------------------------------------------------------------------------
# Reports


# URL keyword -> the model a report about such a page is about. The apps that own the pages
# register theirs when they are ready (works: work_id, comment_id); a user's pages are here.
_REPORT_TARGETS: dict[str, type] = {}


def report_target_register(*, url_kwarg: str, model) -> None:
    """Reports about a page whose URL has `url_kwarg` are about the `model` row it names."""
    _REPORT_TARGETS[url_kwarg] = model


def reported_object(url: str):
    """The work, chapter's work, comment or user a site URL points at, or None."""
    path = urlsplit(url or "").path
    if not path.startswith("/"):
        return None
    try:
        match = resolve(path)
    except Resolver404:
        return None
    kwargs = match.kwargs
    for url_kwarg, model in _REPORT_TARGETS.items():
        if url_kwarg in kwargs:
            return model.objects.filter(pk=kwargs[url_kwarg]).first()
    if "login" in kwargs:
        return User.objects.filter(username__iexact=kwargs["login"]).first()
    return None


def report_create(
    *, url: str, reason: str, details: str, reporter=None, reporter_email=""
) -> AbuseReport:
    target = reported_object(url)
    with transaction.atomic():
        return AbuseReport.objects.create(
            url=url,
            reason=reason,
            details=details,
            reporter=reporter if reporter and reporter.is_authenticated else None,
            reporter_email=reporter_email,
            content_type=ContentType.objects.get_for_model(target) if target else None,
            object_id=target.pk if target else None,
        )


def report_update(*, report: AbuseReport, moderator, fields: dict) -> AbuseReport:
    """Change a report's status, assignee or notes; recorded."""
    with transaction.atomic():
        for name, value in fields.items():
            setattr(report, name, value)
        report.save()
        summary = ", ".join(
            f"{name}: {getattr(report, f'get_{name}_display')() if name == 'status' else value}"
            for name, value in fields.items()
            if name != "notes"
        )
        record_action(
            moderator=moderator,
            kind=ModeratorAction.Kind.UPDATE_REPORT,
            target=report,
            reason=summary + (" (notes changed)" if "notes" in fields else ""),
        )
    return report
