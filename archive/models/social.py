"""Between users: the inbox (notifications of comments, replies and new postings) and blocks.

Mute lives in archive/models/mutes.py (issue 4); a block is stronger: the blocked user can no
longer comment on, reply to, or leave kudos on the blocker's works.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = ["Block", "InboxItem"]


class Block(models.Model):
    blocker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="blocks",
        verbose_name=_("Blocker"),
    )
    blocked = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="blocked_by",
        verbose_name=_("Blocked person"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("Created"))

    class Meta:
        verbose_name = _("blocked user")
        verbose_name_plural = _("blocked users")
        constraints = [
            models.UniqueConstraint(fields=["blocker", "blocked"], name="uniq_block"),
            models.CheckConstraint(
                condition=~models.Q(blocker=models.F("blocked")), name="block_not_self"
            ),
        ]

    def __str__(self):
        return f"{self.blocker} blocks {self.blocked}"


class InboxItem(models.Model):
    """One notification in /users/<login>/inbox."""

    class Kind(models.TextChoices):
        COMMENT = "comment", _("Comment")
        REPLY = "reply", _("Reply")
        CHAPTER = "chapter", _("New chapter")
        WORK = "work", _("New work")
        PART = "part", _("New part of a series")
        GIFT = "gift", _("Gift")
        CREATORSHIP = "creator", _("Co-creator invitation")
        TAG_NOMINATION = "tagnom", _("Tag nomination reviewed")
        CLAIM = "claim", _("Prompt claimed")
        FILL = "fill", _("Prompt filled")
        ASSIGNMENT = "assign", _("Challenge assignment")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="inbox_items",
        verbose_name=_("Recipient"),
    )
    kind = models.CharField(max_length=8, choices=Kind.choices, verbose_name=_("Kind"))
    comment = models.ForeignKey(
        "works.Comment",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Comment"),
    )
    work = models.ForeignKey(
        "works.Work",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Work"),
    )
    chapter = models.ForeignKey(
        "works.Chapter",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Chapter"),
    )
    series = models.ForeignKey(
        "works.Series",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Series"),
    )
    # Issue 20, part 2: the nomination whose review this tells of (kind TAG_NOMINATION).
    tag_nomination = models.ForeignKey(
        "works.TagNomination",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Tag nomination"),
    )
    # The prompt a claim or a fill is of (prompt memes, issue 20).
    prompt = models.ForeignKey(
        "works.Prompt",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Prompt"),
    )
    is_read = models.BooleanField(default=False, verbose_name=_("Read"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("Created"))
    # What it tells of ("comment:<id>", "chapter:<id>", "work:<id>"): one item per recipient
    # and event, so a notification task that runs again tells no one twice.
    event = models.CharField(max_length=40, blank=True, default="", verbose_name=_("Event"))

    class Meta:
        verbose_name = _("inbox item")
        verbose_name_plural = _("inbox items")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "is_read", "-created_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "recipient"],
                condition=~models.Q(event=""),
                name="inbox_one_item_per_event",
            )
        ]

    def __str__(self):
        return f"{self.kind} for {self.recipient_id}"
