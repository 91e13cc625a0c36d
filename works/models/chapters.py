"""Chapters: the text of a work, in order."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from works.models.visibility import ChapterQuerySet
from works.models.works import (
    CHAPTER_MAX_LENGTH,
    NOTES_MAX_LENGTH,
    SUMMARY_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    RenderedTextMixin,
    Work,
)
from works.rendering import count_words


class Chapter(RenderedTextMixin, models.Model):
    rendered_fields = {
        "body": "markdown",
        "summary": "summary",
        "notes": "markdown",
        "endnotes": "markdown",
    }

    work = models.ForeignKey(
        Work, on_delete=models.CASCADE, related_name="chapters", verbose_name=_("Work")
    )
    position = models.PositiveIntegerField(_("position"), default=1)
    title = models.CharField(_("Chapter Title"), max_length=TITLE_MAX_LENGTH, blank=True)
    summary = models.TextField(_("Chapter Summary"), blank=True, max_length=SUMMARY_MAX_LENGTH)
    summary_html = models.TextField(blank=True, editable=False, verbose_name=_("Summary"))
    notes = models.TextField(_("Chapter Notes"), blank=True, max_length=NOTES_MAX_LENGTH)
    notes_html = models.TextField(blank=True, editable=False, verbose_name=_("Notes"))
    endnotes = models.TextField(_("Chapter End Notes"), blank=True, max_length=NOTES_MAX_LENGTH)
    endnotes_html = models.TextField(blank=True, editable=False, verbose_name=_("End notes"))
    body = models.TextField(_("Work Text"), max_length=CHAPTER_MAX_LENGTH)
    body_html = models.TextField(blank=True, editable=False, verbose_name=_("Text"))
    render_version = models.PositiveSmallIntegerField(
        default=0, editable=False, verbose_name=_("Renderer version")
    )
    word_count = models.PositiveIntegerField(default=0, editable=False, verbose_name=_("Words"))
    posted = models.BooleanField(_("posted"), default=False)
    published_at = models.DateField(_("Published"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("Created"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("Updated"))
    # AO3's chapter co-creators: some of the work's creatorships (none: all of them). Through
    # WorkCreator, so a chapter can only name someone who accepted the work, and follows its
    # creatorships when a pseud is deleted, a work orphaned or a creator leaves.
    creatorships = models.ManyToManyField(
        "works.WorkCreator", blank=True, related_name="chapters", verbose_name=_("Chapter by")
    )

    objects = ChapterQuerySet.as_manager()

    class Meta:
        verbose_name = _("chapter")
        verbose_name_plural = _("chapters")
        ordering = ["position", "id"]
        indexes = [models.Index(fields=["work", "posted", "position"])]

    def __str__(self):
        return self.full_title

    def save(self, *args, **kwargs):
        self.render_text()
        self.word_count = count_words(self.body_html)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("works:chapter", args=[self.work_id, self.pk])

    @property
    def full_title(self):
        base = _("Chapter %(number)s") % {"number": self.position}
        return f"{base}: {self.title}" if self.title else str(base)
