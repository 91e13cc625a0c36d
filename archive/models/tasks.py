"""Background tasks that failed for good (archive/queue.py), for moderators to look at."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class FailedTask(models.Model):
    """A task that raised on its last allowed attempt. Its arguments let a moderator or a
    developer run it again (`enqueue`) once the cause is fixed."""

    task_path = models.CharField(max_length=300, verbose_name=_("Task"))
    arguments = models.JSONField(default=dict, verbose_name=_("Arguments"))
    attempts = models.PositiveSmallIntegerField(verbose_name=_("Attempts"))
    error = models.CharField(max_length=500, verbose_name=_("Error"))
    traceback = models.TextField(blank=True, verbose_name=_("Traceback"))
    failed_at = models.DateTimeField(auto_now_add=True, verbose_name=_("Failed at"))

    class Meta:
        verbose_name = _("failed task")
        verbose_name_plural = _("failed tasks")
        ordering = ["-failed_at", "-id"]

    def __str__(self):
        return f"{self.task_path} ({self.error})"
