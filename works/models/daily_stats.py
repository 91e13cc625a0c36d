"""Daily statistics for a work's creators: one row per work, chapter and day with activity.

A row with no chapter is the work as a whole (its hits, kudos, comments, bookmarks and
subscriptions of that day); a chapter's row holds what happened on that chapter: its
readers (visitors who opened it that day, once each), the comments left on it and the
kudos given from its page. Rows older than a year are merged into one row per week
(`period` WEEK, `day` the Monday) by works.stats.daily.rollup.

Counts only: no row says who read or left anything. Writes go through works.stats.daily.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from works.models.chapters import Chapter
from works.models.works import Work


class Period(models.TextChoices):
    DAY = "d", _("day")
    WEEK = "w", _("week")


class DailyStat(models.Model):
    work = models.ForeignKey(
        Work, on_delete=models.CASCADE, related_name="daily_stats", verbose_name=_("Work")
    )
    chapter = models.ForeignKey(
        Chapter,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="daily_stats",
        verbose_name=_("Chapter"),
    )
    day = models.DateField(_("day"))
    period = models.CharField(_("period"), max_length=1, choices=Period.choices, default=Period.DAY)
    hits = models.PositiveIntegerField(default=0, verbose_name=_("Hits"))
    kudos = models.PositiveIntegerField(default=0, verbose_name=_("Kudos"))
    comments = models.PositiveIntegerField(default=0, verbose_name=_("Comments"))
    bookmarks = models.PositiveIntegerField(default=0, verbose_name=_("Bookmarks"))
    subscriptions = models.PositiveIntegerField(default=0, verbose_name=_("Subscriptions"))

    class Meta:
        verbose_name = _("daily statistic")
        verbose_name_plural = _("daily statistics")
        constraints = [
            # NULLs are distinct in a unique index: one constraint for the work's own rows,
            # one for its chapters' rows (works.stats.daily names each in ON CONFLICT).
            models.UniqueConstraint(
                fields=["work", "period", "day"],
                condition=models.Q(chapter__isnull=True),
                name="daily_stat_work_day",
            ),
            models.UniqueConstraint(
                fields=["work", "chapter", "period", "day"],
                condition=models.Q(chapter__isnull=False),
                name="daily_stat_chapter_day",
            ),
        ]
        indexes = [models.Index(fields=["period", "day"], name="daily_stat_period_day")]

    def __str__(self):
        return f"stats of work {self.work_id} on {self.day}"
