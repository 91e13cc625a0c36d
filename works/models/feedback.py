"""Reader feedback: kudos, comments, bookmarks, subscriptions and reading history.

Uniqueness that double clicks and concurrent requests must not break is enforced by database
constraints (docs/design.md section 10); the services in works/feedback.py catch the
IntegrityError and only then touch WorkStats, with F().
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tags.models import Tag
from works.models.visibility import BookmarkQuerySet, CommentQuerySet
from works.rendering import RENDER_VERSION, render_comment

COMMENT_MAX_LENGTH = 10000
BOOKMARK_NOTES_MAX_LENGTH = 5000
GUEST_NAME_MAX_LENGTH = 100

__all__ = ["Bookmark", "Comment", "Kudos", "Reading", "Subscription"]


class Kudos(models.Model):
    """One per account, or for guests one per IP address, per work."""

    work = models.ForeignKey(
        "works.Work", on_delete=models.CASCADE, related_name="kudos", verbose_name=_("Work")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="kudos",
        verbose_name=_("User"),
    )
    ip = models.GenericIPAddressField(null=True, blank=True, verbose_name=_("IP address"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("Created"))

    class Meta:
        verbose_name = _("kudos")
        verbose_name_plural = _("kudos")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["work", "user"], condition=Q(user__isnull=False), name="uniq_kudos_user"
            ),
            models.UniqueConstraint(
                fields=["work", "ip"], condition=Q(user__isnull=True), name="uniq_kudos_guest_ip"
            ),
            models.CheckConstraint(
                condition=Q(user__isnull=False) | Q(ip__isnull=False), name="kudos_has_giver"
            ),
        ]

    def __str__(self):
        return f"kudos on work {self.work_id}"


class Comment(models.Model):
    """A comment on a chapter, or a reply to another comment (`parent`)."""

    class Status(models.TextChoices):
        APPROVED = "approved", _("Approved")
        UNREVIEWED = "unreviewed", _("Unreviewed")
        HIDDEN = "hidden", _("Hidden by a moderator")

    work = models.ForeignKey(
        "works.Work", on_delete=models.CASCADE, related_name="comments", verbose_name=_("Work")
    )
    chapter = models.ForeignKey(
        "works.Chapter",
        on_delete=models.CASCADE,
        related_name="comments",
        verbose_name=_("Chapter"),
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="replies",
        verbose_name=_("Reply to"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="comments",
        verbose_name=_("User"),
    )
    guest_name = models.CharField(_("Guest name"), max_length=GUEST_NAME_MAX_LENGTH, blank=True)
    guest_email = models.EmailField(_("Guest email"), blank=True)
    content = models.TextField(_("Comment"), max_length=COMMENT_MAX_LENGTH)
    content_html = models.TextField(blank=True, editable=False, verbose_name=_("Comment text"))
    render_version = models.PositiveSmallIntegerField(
        default=0, editable=False, verbose_name=_("Renderer version")
    )
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.APPROVED, verbose_name=_("Status")
    )
    is_deleted = models.BooleanField(default=False, verbose_name=_("Deleted"))
    # Its commenter deleted their account (works/services/leaving.py): the comment stays and
    # its byline reads AO3's "Account Deleted".
    is_by_deleted_account = models.BooleanField(
        default=False, verbose_name=_("By a deleted account")
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("Created"))
    edited_at = models.DateTimeField(null=True, blank=True, verbose_name=_("Edited"))

    objects = CommentQuerySet.as_manager()

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["chapter", "created_at"]),
            models.Index(fields=["work", "status"]),
        ]

    def __str__(self):
        return f"comment {self.pk} on work {self.work_id}"

    def save(self, *args, **kwargs):
        self.content_html = render_comment(self.content or "")
        self.render_version = RENDER_VERSION
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("works:comment", args=[self.pk])

    @property
    def author_name(self) -> str:
        if self.user_id:
            return self.user.username
        if self.is_by_deleted_account:
            return str(_("Account Deleted"))
        return self.guest_name

    @property
    def is_unreviewed(self) -> bool:
        return self.status == self.Status.UNREVIEWED

    @property
    def is_hidden(self) -> bool:
        return self.status == self.Status.HIDDEN


class Bookmark(models.Model):
    """A reader's bookmark of a work: notes, their own tags, private or public, rec."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="bookmarks",
        verbose_name=_("User"),
    )
    # The pseud it is bookmarked under (AO3's bookmark[pseud_id]); always one of `user`'s.
    pseud = models.ForeignKey(
        "archive.Pseud",
        on_delete=models.RESTRICT,
        related_name="bookmarks",
        verbose_name=_("Pseud"),
    )
    work = models.ForeignKey(
        "works.Work", on_delete=models.CASCADE, related_name="bookmarks", verbose_name=_("Work")
    )
    notes = models.TextField(_("Notes"), blank=True, max_length=BOOKMARK_NOTES_MAX_LENGTH)
    notes_html = models.TextField(blank=True, editable=False, verbose_name=_("Notes"))
    render_version = models.PositiveSmallIntegerField(
        default=0, editable=False, verbose_name=_("Renderer version")
    )
    tags = models.ManyToManyField(Tag, blank=True, related_name="bookmarks", verbose_name=_("Tags"))
    is_private = models.BooleanField(_("Private bookmark"), default=False)
    is_rec = models.BooleanField(_("Rec"), default=False)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("Created"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("Updated"))

    objects = BookmarkQuerySet.as_manager()

    class Meta:
        verbose_name = _("bookmark")
        verbose_name_plural = _("bookmarks")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "work"], name="uniq_bookmark_user_work")
        ]
        indexes = [models.Index(fields=["work", "is_private"])]

    def __str__(self):
        return f"bookmark of work {self.work_id} by {self.user_id}"

    def save(self, *args, **kwargs):
        self.notes_html = render_comment(self.notes or "")
        self.render_version = RENDER_VERSION
        super().save(*args, **kwargs)


class Subscription(models.Model):
    """Tell `user` about new chapters of a work, new works of an author or new parts of a
    series. Exactly one target is set."""

    class Kind(models.TextChoices):
        WORK = "work", _("Work")
        AUTHOR = "author", _("Author")
        SERIES = "series", _("Series")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="subscriptions",
        verbose_name=_("User"),
    )
    kind = models.CharField(max_length=8, choices=Kind.choices, verbose_name=_("Kind"))
    work = models.ForeignKey(
        "works.Work",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="subscribers",
        verbose_name=_("Work"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="subscribers",
        verbose_name=_("Creator"),
    )
    series = models.ForeignKey(
        "works.Series",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="subscribers",
        verbose_name=_("Series"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("Created"))

    class Meta:
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "work"], condition=Q(work__isnull=False), name="uniq_sub_work"
            ),
            models.UniqueConstraint(
                fields=["user", "author"],
                condition=Q(author__isnull=False),
                name="uniq_sub_author",
            ),
            models.UniqueConstraint(
                fields=["user", "series"],
                condition=Q(series__isnull=False),
                name="uniq_sub_series",
            ),
            models.CheckConstraint(
                condition=(
                    Q(kind="work", work__isnull=False, author__isnull=True, series__isnull=True)
                    | Q(kind="author", work__isnull=True, author__isnull=False, series__isnull=True)
                    | Q(kind="series", work__isnull=True, author__isnull=True, series__isnull=False)
                ),
                name="subscription_one_target",
            ),
        ]

    def __str__(self):
        return f"{self.user_id} subscribed to {self.kind}"

    @property
    def target(self):
        return {"work": self.work, "author": self.author, "series": self.series}[self.kind]


class Reading(models.Model):
    """A logged-in reader's history of one work, and their "Marked for Later"."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="readings",
        verbose_name=_("User"),
    )
    work = models.ForeignKey(
        "works.Work", on_delete=models.CASCADE, related_name="readings", verbose_name=_("Work")
    )
    first_visited_at = models.DateTimeField(auto_now_add=True, verbose_name=_("First visited"))
    last_visited_at = models.DateTimeField(null=True, blank=True, verbose_name=_("Last visited"))
    visit_count = models.PositiveIntegerField(default=0, verbose_name=_("Visits"))
    # The work's posted chapters at the last visit: more now means "Update available".
    chapters_seen = models.PositiveIntegerField(default=0, verbose_name=_("Chapters read"))
    marked_for_later = models.BooleanField(default=False, verbose_name=_("Marked for later"))

    class Meta:
        verbose_name = _("reading history entry")
        verbose_name_plural = _("reading history")
        ordering = ["-last_visited_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "work"], name="uniq_reading_user_work")
        ]

    def __str__(self):
        return f"{self.user_id} read work {self.work_id}"
