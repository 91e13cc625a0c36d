"""Tag sets (issue 20): the tags a challenge's sign-ups may use.

A `TagSet` is kept by its owners and moderators; during its nomination window participants
nominate tags (`TagNomination`, up to the set's limit per type), which the set's moderators
approve (the tag joins the set) or reject.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tags.models import Tag
from works.models.works import NOTES_MAX_LENGTH, TITLE_MAX_LENGTH, RenderedTextMixin

NOMINATION_NAME_MAX_LENGTH = 150


class TagSet(RenderedTextMixin, models.Model):
    rendered_fields = {"description": "markdown"}

    title = models.CharField(_("Title"), max_length=TITLE_MAX_LENGTH, unique=True)
    description = models.TextField(_("Description"), blank=True, max_length=NOTES_MAX_LENGTH)
    description_html = models.TextField(blank=True, editable=False, verbose_name=_("Description"))
    render_version = models.PositiveSmallIntegerField(
        default=0, editable=False, verbose_name=_("Renderer version")
    )
    owners = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="owned_tag_sets", verbose_name=_("Owners")
    )
    moderators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="moderated_tag_sets",
        verbose_name=_("Moderators"),
    )
    tags = models.ManyToManyField(Tag, blank=True, related_name="tag_sets", verbose_name=_("Tags"))
    nominations_open_at = models.DateTimeField(_("Nominations open"), null=True, blank=True)
    nominations_close_at = models.DateTimeField(_("Nominations close"), null=True, blank=True)
    fandom_nominations = models.PositiveSmallIntegerField(_("Fandoms per nominator"), default=0)
    character_nominations = models.PositiveSmallIntegerField(
        _("Characters per nominator"), default=0
    )
    relationship_nominations = models.PositiveSmallIntegerField(
        _("Relationships per nominator"), default=0
    )
    freeform_nominations = models.PositiveSmallIntegerField(
        _("Additional tags per nominator"), default=0
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("Created"))

    class Meta:
        verbose_name = _("tag set")
        verbose_name_plural = _("tag sets")
        ordering = ["title"]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.render_text()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("works:tag_set", args=[self.pk])

    def nominations_open(self, now=None) -> bool:
        """Whether nominations are open now (a window must be set to open them)."""
        now = now or timezone.now()
        if not self.nominations_open_at or now < self.nominations_open_at:
            return False
        return not (self.nominations_close_at and now >= self.nominations_close_at)

    def nomination_limit(self, tag_type: str) -> int:
        return getattr(self, f"{tag_type}_nominations", 0)


class TagNomination(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    tag_set = models.ForeignKey(
        TagSet, on_delete=models.CASCADE, related_name="nominations", verbose_name=_("Tag set")
    )
    nominator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="tag_nominations",
        verbose_name=_("Nominated by"),
    )
    tag_type = models.CharField(_("Type"), max_length=16)
    name = models.CharField(_("Tag name"), max_length=NOMINATION_NAME_MAX_LENGTH)
    # The fandom a character or relationship nomination belongs to, as typed.
    parent_name = models.CharField(_("Fandom"), max_length=NOMINATION_NAME_MAX_LENGTH, blank=True)
    tag = models.ForeignKey(
        Tag,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="nominations",
        verbose_name=_("Tag"),
    )
    status = models.CharField(
        _("Status"), max_length=8, choices=Status.choices, default=Status.PENDING
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("Reviewed"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("Created"))

    class Meta:
        verbose_name = _("tag nomination")
        verbose_name_plural = _("tag nominations")
        ordering = ["tag_type", "name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["tag_set", "nominator", "tag_type", "name"], name="uniq_nomination"
            )
        ]

    def __str__(self):
        return self.name
