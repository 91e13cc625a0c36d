"""Muted users: a reader never sees works by someone they have muted (issue 4).

Listings, searches and their counts leave these works out in the same query
(works.models.visibility.WorkQuerySet.without_excluded_for); the mute and block pages build on this
model.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = ["Mute"]


class Mute(models.Model):
    muter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="mutes",
        verbose_name=_("Muter"),
    )
    muted = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="muted_by",
        verbose_name=_("Muted person"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("Created"))

    class Meta:
        verbose_name = _("muted user")
        verbose_name_plural = _("muted users")
        constraints = [models.UniqueConstraint(fields=["muter", "muted"], name="uniq_mute")]

    def __str__(self):
        return f"{self.muter} mutes {self.muted}"
