"""Invitations, for an archive that signs up by invitation (ARCHIVE_SIGNUP = "invite"), as AO3.

- The queue: `invite_request_add(email=…)` puts a visitor in line; `invite_request_find`
  and `invite_request_position` answer their status page.
- Codes: `invitation_send(email=…, creator=None)` makes one and emails its sign-up link
  (after the transaction commits, in the language it was asked in). The site sends them
  from the queue: a moderator with the admin action (`invite_requests_send`), and the
  every-minute tick with `queue_task`, which sends up to ARCHIVE_INVITES_PER_DAY a day
  (UTC), oldest request first, so a restarted or doubled tick never sends more.
- Members: `invitation_give(user=…, email=…)` spends one of the user's `invitations_left`.
- Sign-up: `invitation_usable(code)` finds an unused code or refuses; the account service
  (archive/services/signup.py) marks it used.

The email lives here, not in works/services/notifications.py, because archive may not import
works (docs/architecture.md); it is sent the same way: after commit, fail silently, links from
ARCHIVE_SITE_URL.
"""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from archive import backends
from archive.errors import Refused
from archive.models import Invitation, InviteRequest
from archive.queue import job
from archive.site import site_url


def _normal(email: str) -> str:
    return (email or "").strip()


def _has_account(email: str) -> bool:
    return get_user_model().objects.filter(email__iexact=email).exists()


# ---------------------------------------------------------------------------------------------
# The queue


def invite_request_add(*, email: str, language: str = "") -> InviteRequest:
    """Put `email` at the end of the queue; refuses an email already queued or of an account."""
    email = _normal(email)
    if _has_account(email):
        raise Refused(
            _("An account with that email address already exists. Log in, or reset your password."),
            field="email",
            code="has_account",
        )
    if InviteRequest.objects.filter(email__iexact=email).exists():
        raise Refused(
            _("That email address is already in the queue. You can check its place below."),
            field="email",
            code="queued",
        )
    try:
        with transaction.atomic():
            return InviteRequest.objects.create(email=email, language=language[:8])
    except IntegrityError:  # the same address, posted twice at once
        raise Refused(
            _("That email address is already in the queue. You can check its place below."),
            field="email",
            code="queued",
        ) from None


def invite_request_find(email: str) -> InviteRequest | None:
    email = _normal(email)
    if not email:
        return None
    return InviteRequest.objects.select_related("invitation").filter(email__iexact=email).first()


def waiting():
    """The requests still waiting for an invitation, oldest first."""
    return InviteRequest.objects.filter(invitation__isnull=True).order_by("created_at", "id")


def invite_request_position(invite_request: InviteRequest) -> int | None:
    """1 for the next in line; None once its invitation was sent."""
    if invite_request.invitation_id is not None:
        return None
    ahead = waiting().filter(created_at__lt=invite_request.created_at).count()
    same_moment = (
        waiting().filter(created_at=invite_request.created_at, id__lt=invite_request.id).count()
    )
    return ahead + same_moment + 1


# ---------------------------------------------------------------------------------------------
# Codes


def _email_text(invitation: Invitation) -> tuple[str, str]:
    subject = _("Your invitation to the archive")
    if invitation.creator is not None:
        opening = _("%(name)s has invited you to join the archive.") % {
            "name": invitation.creator.username
        }
    else:
        opening = _("Your invitation to join the archive has arrived.")
    body = _(
        "%(opening)s\n\nCreate your account here:\n%(url)s\n\n"
        "The link works once. If you did not ask for it, you can ignore this email."
    ) % {"opening": opening, "url": site_url(invitation.get_signup_url())}
    return subject, body


def _mail_on_commit(invitation: Invitation, language: str) -> None:
    code = language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
    with translation.override(code):
        subject, body = _email_text(invitation)
    address = invitation.email
    transaction.on_commit(
        lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [address], fail_silently=True)
    )


@transaction.atomic
def invitation_send(
    *, email: str, creator=None, invite_request: InviteRequest | None = None, language: str = ""
) -> Invitation:
    """A new code for `email`, emailed once the transaction commits."""
    invitation = Invitation.objects.create(
        email=_normal(email), creator=creator, sent_at=timezone.now()
    )
    if invite_request is not None:
        invite_request.invitation = invitation
        invite_request.save(update_fields=["invitation"])
        language = language or invite_request.language
    _mail_on_commit(invitation, language)
    return invitation


def invite_requests_send(*, requests) -> int:
    """Send an invitation to each request of `requests` still waiting (the admin action).
    Requests whose address signed up meanwhile are dropped. Returns how many were sent."""
    sent = 0
    for invite_request in requests.filter(invitation__isnull=True).order_by("created_at", "id"):
        with transaction.atomic():
            locked = (
                InviteRequest.objects.select_for_update()
                .filter(pk=invite_request.pk, invitation__isnull=True)
                .first()
            )
            if locked is None:
                continue
            if _has_account(locked.email):
                locked.delete()
                continue
            invitation_send(email=locked.email, invite_request=locked)
            sent += 1
    return sent


def sent_from_queue_today(now: datetime.datetime | None = None) -> int:
    now = now or timezone.now()
    midnight = now.astimezone(datetime.UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    return InviteRequest.objects.filter(
        invitation__isnull=False,
        invitation__creator__isnull=True,
        invitation__sent_at__gte=midnight,
    ).count()


def queue_send_due(*, per_day: int | None = None, now: datetime.datetime | None = None) -> int:
    """Send what is left of today's allowance to the oldest waiting requests."""
    per_day = settings.ARCHIVE_INVITES_PER_DAY if per_day is None else per_day
    due = per_day - sent_from_queue_today(now)
    if due <= 0:
        return 0
    ids = list(waiting().values_list("pk", flat=True)[:due])
    return invite_requests_send(requests=InviteRequest.objects.filter(pk__in=ids))


@job(max_attempts=1)  # the next minute's run sends what this one did not
def queue_task() -> int:
    if settings.ARCHIVE_SIGNUP != "invite":
        return 0
    return queue_send_due()


# ---------------------------------------------------------------------------------------------
# Members' invitations and sign-up


def invitation_give(*, user, email: str, language: str = "") -> Invitation:
    """`user` invites `email`, spending one of their invitations."""
    email = _normal(email)
    if _has_account(email):
        raise Refused(
            _("That person already has an account here."), field="email", code="has_account"
        )
    with transaction.atomic():
        spent = (
            get_user_model()
            .objects.filter(pk=user.pk, invitations_left__gt=0)
            .update(invitations_left=F("invitations_left") - 1)
        )
        if not spent:
            raise Refused(
                _("You have no invitations left to give."), field="email", code="none_left"
            )
        invitation = invitation_send(email=email, creator=user, language=language)
        backends.forget(user.pk)  # update() skips the signal that drops the cached account
    user.refresh_from_db(fields=["invitations_left"])
    return invitation


def invitation_by_code(code: str) -> Invitation | None:
    """The invitation with this code; None for anything that cannot be a code."""
    code = (code or "").strip()
    if not (code.isascii() and code.isalnum() and len(code) <= 40):
        return None
    return Invitation.objects.select_related("creator").filter(code=code).first()


def invitation_usable(code: str) -> Invitation:
    """The unused invitation with this code, or a refusal saying what is wrong."""
    code = (code or "").strip()
    if not code:
        raise Refused(
            _("You need an invitation to create an account. Ask for one in the queue."),
            field="invitation_code",
            code="missing",
        )
    invitation = invitation_by_code(code)
    if invitation is None:
        raise Refused(
            _("That invitation code is not valid. Check the link in your invitation email."),
            field="invitation_code",
            code="wrong",
        )
    if invitation.is_used:
        raise Refused(
            _("That invitation has already been used to create an account."),
            field="invitation_code",
            code="used",
        )
    return invitation
