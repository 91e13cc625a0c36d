"""Sign-up by invitation (ARCHIVE_SIGNUP = "invite"): the queue of people asking for one, and
the invitation codes that open the sign-up form (archive/services/invitations.py)."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

CODE_LENGTH = 20


def new_code() -> str:
    """A random code of CODE_LENGTH letters and digits (about 119 bits)."""
    alphabet = "abcdefghijkmnpqrstuvwxyzACDEFGHJKLMNPQRTUVWXY346789"  # nothing mistaken
    return "".join(secrets.choice(alphabet) for _ in range(CODE_LENGTH))


class Invitation(models.Model):
    """One invitation code: made by a member from their allowance, by a moderator or by the
    daily job from the queue (no creator: the site), spent by the account signed up with it."""

    code = models.CharField(_("code"), max_length=40, unique=True, blank=True)
    creator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="invitations_made",
        verbose_name=_("made by"),
        help_text=_("Empty when the site sent it (the queue or a moderator)."),
    )
    email = models.EmailField(_("sent to"), blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    used_by = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="invitation_used",
        verbose_name=_("used by"),
    )
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.code

    def save(self, *args, **kwargs):
        if not self.code:
            self.code = new_code()
        super().save(*args, **kwargs)

    @property
    def is_used(self) -> bool:
        return self.used_at is not None

    def get_signup_url(self) -> str:
        return reverse("signup_invited", args=[self.code])


class InviteRequest(models.Model):
    """A visitor's place in the queue, by email. The queue runs oldest first; once the
    request's invitation is sent it stays, so its status page can say when."""

    email = models.EmailField(_("email"))
    language = models.CharField(
        _("language"),
        max_length=8,
        blank=True,
        help_text=_("The interface language it was asked in: the invitation is written in it."),
    )
    invitation = models.OneToOneField(
        Invitation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="request",
        verbose_name=_("invitation"),
    )
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("invitation request")
        verbose_name_plural = _("invitation requests")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="invite_request_email_ci_unique"),
        ]

    def __str__(self):
        return self.email
