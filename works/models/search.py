"""Models behind listings and search (issue 4): a reader's excluded tags and the stored
search document of each work.

`WorkSearch` holds the text a search matches, one row per work, kept current by
works.listing.search.work_search_refresh (called from services.work_refresh). On PostgreSQL a
migration adds a generated, weighted `tsvector` column (`vector`) with a GIN index; Django
does not know that column, so the model works unchanged on SQLite, where search falls back
to icontains over the same text.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tags.models import Tag

__all__ = ["ExcludedTag", "WorkSearch"]


class ExcludedTag(models.Model):
    """A tag a reader never wants to see: works found under it (its synonyms and sub tags
    too, through the filter rows) are left out of every listing, search and count."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="excluded_tags",
        verbose_name=_("User"),
    )
    tag = models.ForeignKey(
        Tag, on_delete=models.CASCADE, related_name="excluded_by", verbose_name=_("Tag")
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("Created"))

    class Meta:
        verbose_name = _("excluded tag")
        verbose_name_plural = _("excluded tags")
        constraints = [
            models.UniqueConstraint(fields=["user", "tag"], name="uniq_excluded_tag"),
        ]

    def __str__(self):
        return f"{self.user} excludes {self.tag}"


class WorkSearch(models.Model):
    """The searchable text of one work, split by weight (title and creators weigh most)."""

    work = models.OneToOneField(
        "works.Work",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="search",
        verbose_name=_("Work"),
    )
    title = models.TextField(blank=True, verbose_name=_("Title"))
    creators = models.TextField(blank=True, verbose_name=_("Creators' names"))
    tags = models.TextField(blank=True, verbose_name=_("Tag names"))
    text = models.TextField(blank=True, verbose_name=_("Searchable text"))  # summary and notes

    class Meta:
        verbose_name = _("work search document")
        verbose_name_plural = _("work search documents")

    def __str__(self):
        return f"search document of work {self.work_id}"
