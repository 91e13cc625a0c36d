"""Collections: works gathered by their owner and moderators, with both sides' consent, and
the collection's prompts."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tags.models import Tag
from works.models.works import NOTES_MAX_LENGTH, TITLE_MAX_LENGTH, RenderedTextMixin, Work


class Collection(RenderedTextMixin, models.Model):
    rendered_fields = {"description": "markdown", "rules": "markdown"}

    name = models.SlugField(_("Collection name"), max_length=255, unique=True)
    title = models.CharField(_("Display title"), max_length=TITLE_MAX_LENGTH)
    description = models.TextField(_("Description"), blank=True, max_length=NOTES_MAX_LENGTH)
    description_html = models.TextField(blank=True, editable=False, verbose_name=_("Description"))
    rules = models.TextField(_("Rules"), blank=True, max_length=NOTES_MAX_LENGTH)
    rules_html = models.TextField(blank=True, editable=False, verbose_name=_("Rules"))
    render_version = models.PositiveSmallIntegerField(
        default=0, editable=False, verbose_name=_("Renderer version")
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent collection"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="children",
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="owned_collections",
        verbose_name=_("Owner"),
    )
    moderators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="moderated_collections",
        blank=True,
        verbose_name=_("Moderators"),
    )
    is_moderated = models.BooleanField(_("Moderated"), default=False)
    is_closed = models.BooleanField(_("Closed"), default=False)
    is_anonymous = models.BooleanField(_("Anonymous"), default=False)
    is_unrevealed = models.BooleanField(_("Unrevealed"), default=False)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("Created"))

    class Meta:
        verbose_name = _("collection")
        verbose_name_plural = _("collections")
        ordering = ["title"]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.render_text()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("works:collection", args=[self.name])


class CollectionItem(models.Model):
    """A work in a collection. It shows there only once both sides have agreed."""

    class Approval(models.TextChoices):
        PENDING = "pending", _("Awaiting approval")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    collection = models.ForeignKey(
        Collection, on_delete=models.CASCADE, related_name="items", verbose_name=_("Collection")
    )
    work = models.ForeignKey(
        Work, on_delete=models.CASCADE, related_name="collection_items", verbose_name=_("Work")
    )
    collection_approval = models.CharField(
        max_length=16,
        choices=Approval.choices,
        default=Approval.APPROVED,
        verbose_name=_("Approved by the collection"),
    )
    author_approval = models.CharField(
        max_length=16,
        choices=Approval.choices,
        default=Approval.APPROVED,
        verbose_name=_("Approved by the creator"),
    )
    created_at = models.DateTimeField(default=timezone.now, verbose_name=_("Created"))

    class Meta:
        verbose_name = _("collection item")
        verbose_name_plural = _("collection items")
        constraints = [
            models.UniqueConstraint(fields=["collection", "work"], name="uniq_collection_work")
        ]

    def __str__(self):
        return f"work {self.work_id} in collection {self.collection_id}"

    @property
    def is_approved(self):
        return (
            self.collection_approval == self.Approval.APPROVED
            and self.author_approval == self.Approval.APPROVED
        )


class CollectionPrompt(models.Model):
    """A prompt a collection lists (a prompt-type tag with its day or number)."""

    collection = models.ForeignKey(
        Collection, on_delete=models.CASCADE, related_name="prompts", verbose_name=_("Collection")
    )
    tag = models.ForeignKey(
        Tag, on_delete=models.CASCADE, related_name="collection_prompts", verbose_name=_("Tag")
    )
    position = models.PositiveIntegerField(_("day or number"), default=1)
    title = models.CharField(_("prompt"), max_length=TITLE_MAX_LENGTH)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("collection prompt")
        verbose_name_plural = _("collection prompts")
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["collection", "tag"], name="uniq_collection_prompt")
        ]

    def __str__(self):
        return self.tag.name
