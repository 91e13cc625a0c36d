"""A user's export of their account (works/services/exports.py): asked for with a POST,
built on the task queue into the "exports" storage, downloadable by its owner until it
expires. One row per request; the newest is the one the export page shows."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

__all__ = ["AccountExport"]


class AccountExport(models.Model):
    class Status(models.TextChoices):
        PREPARING = "preparing", _("Being prepared")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="account_exports",
        verbose_name=_("User"),
    )
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.PREPARING, verbose_name=_("Status")
    )
    path = models.CharField(max_length=300, blank=True, verbose_name=_("File"))
    requested_at = models.DateTimeField(auto_now_add=True, verbose_name=_("Requested"))
    ready_at = models.DateTimeField(null=True, blank=True, verbose_name=_("Ready"))
    expires_at = models.DateTimeField(null=True, blank=True, verbose_name=_("Expires"))

    class Meta:
        verbose_name = _("account export")
        verbose_name_plural = _("account exports")
        ordering = ["-requested_at", "-id"]

    def __str__(self):
        return f"export {self.pk} of {self.user_id} ({self.status})"

    @property
    def is_downloadable(self) -> bool:
        return (
            self.status == self.Status.READY
            and bool(self.path)
            and self.expires_at is not None
            and self.expires_at > timezone.now()
        )
