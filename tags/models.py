"""The typed Tag model (django-taggit's TagBase with AO3's tag types and wrangling)."""

from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from taggit.models import NaturalKeyManager, TagBase

from tags.naming import escape_tag_name
from tags.querysets import TagQuerySet
from tags.types import TagType

# Types an author may type freely on the posting form (the fixed sets are chosen, not typed).
USER_TAG_TYPES = (TagType.FANDOM, TagType.RELATIONSHIP, TagType.CHARACTER, TagType.FREEFORM)
FIXED_TAG_TYPES = (TagType.RATING, TagType.WARNING, TagType.CATEGORY)
TAG_NAME_MAX_LENGTH = 150
TAG_NAME_FORBIDDEN = ",^*<>{}=`\\%"

# English labels for the disambiguating suffix: "Spock (Character)".
TYPE_SUFFIX = {
    TagType.RATING: "Rating",
    TagType.WARNING: "Archive Warning",
    TagType.CATEGORY: "Category",
    TagType.FANDOM: "Fandom",
    TagType.RELATIONSHIP: "Relationship",
    TagType.CHARACTER: "Character",
    TagType.FREEFORM: "Additional Tags",
    TagType.PROMPT: "Prompt",
    TagType.MEDIA: "Media",
}


class Tag(TagBase):
    # Longer than AO3's 150-character limit on what authors type, to leave room for
    # the " (Relationship)" suffix that keeps a cross-type clash apart.
    name = models.CharField(_("name"), unique=True, max_length=200)
    slug = models.SlugField(_("slug"), unique=True, max_length=255, allow_unicode=True)
    type = models.CharField(_("type"), max_length=16, choices=TagType.choices, db_index=True)
    canonical = models.BooleanField(_("canonical"), default=False)
    unwrangleable = models.BooleanField(_("unwrangleable"), default=False)
    merger = models.ForeignKey(
        "self",
        verbose_name=_("synonym of"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="synonyms",
        help_text=_("The canonical tag this tag is a synonym of."),
    )
    parents = models.ManyToManyField(
        "self",
        verbose_name=_("parent tags"),
        symmetrical=False,
        related_name="children",
        blank=True,
        help_text=_("Fandoms of a character, relationship or tag; media of a fandom."),
    )
    meta_tags = models.ManyToManyField(
        "self",
        verbose_name=_("meta tags"),
        symmetrical=False,
        related_name="sub_tags",
        blank=True,
        help_text=_("Broader canonical tags of the same type."),
    )
    # Posted, visible works carrying this tag directly; kept current by services.
    work_count = models.PositiveIntegerField(_("works"), default=0)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("Created"))

    objects = NaturalKeyManager.from_queryset(TagQuerySet)()

    class Meta:
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(Lower("name"), name="tag_name_ci_unique"),
        ]
        indexes = [models.Index(fields=["type", "canonical"])]

    def __str__(self):
        return self.name

    @property
    def url_name(self):
        return escape_tag_name(self.name)

    def get_absolute_url(self):
        return reverse("works:tag", args=[self.url_name])

    def get_works_url(self):
        return reverse("works:tag_works", args=[self.url_name])
