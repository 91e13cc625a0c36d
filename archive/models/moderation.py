"""Moderation records: abuse reports, moderator actions, user sanctions and notifications.

Imported at the end of archive/models.py, so these are models of the `archive` app.
Writes go through archive.services.moderation (services); reads through the querysets here.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

__all__ = ["AbuseReport", "ModeratorAction", "Notification", "UserSanction"]


class AbuseReport(models.Model):
    """A reader's report of a work, comment or user, queued for moderators."""

    class Reason(models.TextChoices):
        SPAM = "spam", _("Spam or commercial promotion")
        HARASSMENT = "harassment", _("Harassment or threats")
        PERSONAL_INFO = "personal_info", _("Personal information posted without consent")
        PLAGIARISM = "plagiarism", _("Plagiarism or copyright")
        TAGS = "tags", _("Missing or wrong ratings, warnings or tags")
        ILLEGAL = "illegal", _("Illegal content")
        OTHER = "other", _("Something else")

    class Status(models.TextChoices):
        NEW = "new", _("New")
        IN_PROGRESS = "in_progress", _("In progress")
        RESOLVED = "resolved", _("Resolved")
        DISMISSED = "dismissed", _("Dismissed")

    url = models.CharField(_("URL of the page"), max_length=2000)
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    details = models.TextField(_("details"), max_length=10000)
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reporter"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="abuse_reports_sent",
    )
    reporter_email = models.EmailField(_("reporter's email"), blank=True)
    # The object the URL resolved to, when it did (a work, a comment, a user).
    content_type = models.ForeignKey(
        ContentType,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("Content type"),
    )
    object_id = models.PositiveBigIntegerField(null=True, blank=True, verbose_name=_("Object id"))
    reported_object = GenericForeignKey("content_type", "object_id")
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.NEW
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assignee"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="abuse_reports_assigned",
        limit_choices_to={"is_staff": True},
    )
    notes = models.TextField(_("moderators' notes"), blank=True)
    created_at = models.DateTimeField(_("reported at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("abuse report")
        verbose_name_plural = _("abuse reports")
        ordering = ("-created_at", "-id")
        indexes = [models.Index(fields=["status", "-created_at"])]

    def __str__(self):
        return f"#{self.pk} {self.get_reason_display()}: {self.url}"


class ModeratorAction(models.Model):
    """One thing a moderator did: who, what, to which object, when and why. Append-only."""

    class Kind(models.TextChoices):
        HIDE_WORK = "hide_work", _("Hid a work")
        UNHIDE_WORK = "unhide_work", _("Unhid a work")
        SUSPEND_USER = "suspend_user", _("Suspended a user")
        BAN_USER = "ban_user", _("Banned a user")
        LIFT_SANCTION = "lift_sanction", _("Lifted a suspension or ban")
        HIDE_COMMENT = "hide_comment", _("Hid a comment")
        UNHIDE_COMMENT = "unhide_comment", _("Unhid a comment")
        DELETE_COMMENT = "delete_comment", _("Deleted a comment")
        MARK_SPAM = "mark_spam", _("Marked a comment as spam")
        UPDATE_REPORT = "update_report", _("Updated an abuse report")

    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("moderator"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="moderator_actions",
    )
    kind = models.CharField(_("action"), max_length=30, choices=Kind.choices)
    content_type = models.ForeignKey(
        ContentType,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("Content type"),
    )
    object_id = models.PositiveBigIntegerField(null=True, blank=True, verbose_name=_("Object id"))
    target = GenericForeignKey("content_type", "object_id")
    # Kept as text so the record survives the object's deletion.
    target_repr = models.CharField(_("object"), max_length=300)
    reason = models.TextField(_("reason"), blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("moderator action")
        verbose_name_plural = _("moderator actions")
        ordering = ("-created_at", "-id")

    def __str__(self):
        return f"{self.get_kind_display()}: {self.target_repr}"


class UserSanctionQuerySet(models.QuerySet):
    def active(self, now=None):
        now = now or timezone.now()
        return self.filter(lifted_at__isnull=True).filter(
            Q(ends_at__isnull=True) | Q(ends_at__gt=now)
        )


class UserSanction(models.Model):
    """A suspension (no posting until a date) or a ban (no posting, works hidden)."""

    class Kind(models.TextChoices):
        SUSPENSION = "suspension", _("Suspension")
        BAN = "ban", _("Ban")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="sanctions",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    reason = models.TextField(_("reason"))
    ends_at = models.DateTimeField(
        _("ends at"), null=True, blank=True, help_text=_("Empty: until lifted.")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("since"), auto_now_add=True)
    lifted_at = models.DateTimeField(_("lifted at"), null=True, blank=True)

    objects = UserSanctionQuerySet.as_manager()

    class Meta:
        verbose_name = _("suspension or ban")
        verbose_name_plural = _("suspensions and bans")
        ordering = ("-created_at", "-id")
        indexes = [models.Index(fields=["user", "lifted_at"])]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.user}"


class Notification(models.Model):
    """A message to a user shown on their dashboard (e.g. "your work was hidden")."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    text = models.TextField(_("text"))
    url = models.CharField(_("link"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    read = models.BooleanField(_("read"), default=False)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ("-created_at", "-id")
        indexes = [models.Index(fields=["user", "read", "-created_at"])]

    def __str__(self):
        return self.text[:80]
