"""A work's tags: the tags its author chose, and the filter rows it is found under."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from taggit.models import TaggedItemBase

from tags.models import Tag
from works.models.works import Work


class TaggedWork(TaggedItemBase):
    """The tags an author put on a work (the source of truth for display and wrangling)."""

    # No single-column indexes: the unique (work, tag) and the (tag, work) index cover both.
    tag = models.ForeignKey(
        Tag,
        on_delete=models.CASCADE,
        related_name="tagged_works",
        db_index=False,
        verbose_name=_("Tag"),
    )
    content_object = models.ForeignKey(
        Work,
        on_delete=models.CASCADE,
        related_name="taggings",
        db_index=False,
        verbose_name=_("Work"),
    )

    class Meta:
        verbose_name = _("work tagging")
        verbose_name_plural = _("work taggings")
        constraints = [
            models.UniqueConstraint(fields=["content_object", "tag"], name="uniq_work_tag")
        ]
        indexes = [models.Index(fields=["tag", "content_object"])]


class FilterTagging(models.Model):
    """Materialised filter rows: every canonical tag a work can be found under.

    For each tag on the work: its canonical form (the tag itself, or its merger) and all its
    meta tags, transitively. Kept exact by works.services.filter_rows whenever a work's tags
    change or a tag is wrangled, so that "works in tag X" is one indexed lookup.
    """

    # No single-column indexes: the unique (work, tag) and the (tag, work) index cover both.
    work = models.ForeignKey(
        Work,
        on_delete=models.CASCADE,
        related_name="filter_taggings",
        db_index=False,
        verbose_name=_("Work"),
    )
    tag = models.ForeignKey(
        Tag,
        on_delete=models.CASCADE,
        related_name="filter_taggings",
        db_index=False,
        verbose_name=_("Tag"),
    )

    class Meta:
        verbose_name = _("filter tagging")
        verbose_name_plural = _("filter taggings")
        constraints = [models.UniqueConstraint(fields=["work", "tag"], name="uniq_filter_tagging")]
        indexes = [models.Index(fields=["tag", "work"])]

    def __str__(self):
        return f"work {self.work_id} under tag {self.tag_id}"
