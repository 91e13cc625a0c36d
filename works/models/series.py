"""Series: works an author groups in a numbered order."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from works.models.works import NOTES_MAX_LENGTH, TITLE_MAX_LENGTH, RenderedTextMixin, Work


class Series(RenderedTextMixin, models.Model):
    rendered_fields = {"description": "markdown", "notes": "markdown"}

    title = models.CharField(_("Series Title"), max_length=TITLE_MAX_LENGTH)
    description = models.TextField(_("Description"), blank=True, max_length=NOTES_MAX_LENGTH)
    description_html = models.TextField(blank=True, editable=False, verbose_name=_("Description"))
    notes = models.TextField(_("Notes"), blank=True, max_length=NOTES_MAX_LENGTH)
    notes_html = models.TextField(blank=True, editable=False, verbose_name=_("Notes"))
    render_version = models.PositiveSmallIntegerField(
        default=0, editable=False, verbose_name=_("Renderer version")
    )
    creators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="series", verbose_name=_("Creators")
    )
    is_complete = models.BooleanField(_("Complete"), default=False)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("Created"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("Updated"))

    class Meta:
        verbose_name = _("series")
        verbose_name_plural = _("series")
        ordering = ["title"]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.render_text()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("works:series", args=[self.pk])


class SeriesWork(models.Model):
    """A work's place in a series ("Part 2 of ...")."""

    series = models.ForeignKey(
        Series, on_delete=models.CASCADE, related_name="series_works", verbose_name=_("Series")
    )
    work = models.ForeignKey(
        Work, on_delete=models.CASCADE, related_name="series_works", verbose_name=_("Work")
    )
    position = models.PositiveIntegerField(default=1, verbose_name=_("Position"))

    class Meta:
        verbose_name = _("series entry")
        verbose_name_plural = _("series entries")
        ordering = ["position", "id"]
        constraints = [models.UniqueConstraint(fields=["series", "work"], name="uniq_series_work")]

    def __str__(self):
        return f"work {self.work_id} in series {self.series_id} (part {self.position})"
