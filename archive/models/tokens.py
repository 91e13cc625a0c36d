"""Personal access tokens for the API (issue 21): made by their owner at /users/<login>/tokens,
shown once, stored only as a SHA-256 digest, revocable, each with the scopes it may use.

The secret is `fa_` and 40 URL-safe characters (240 random bits), so a plain digest is enough
to store it: nobody can guess a secret from its digest, and a lookup is one indexed equality.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = ["AccessToken"]


class AccessToken(models.Model):
    class Scope(models.TextChoices):
        READ = "read", _("Read: works, drafts and everything else you may see")
        WRITE_WORKS = "write:works", _("Write works: post, edit and delete works and chapters")
        WRITE_FEEDBACK = (
            "write:feedback",
            _("Write feedback: kudos, comments, bookmarks, subscriptions and history"),
        )

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="access_tokens",
        verbose_name=_("Owner"),
    )
    name = models.CharField(max_length=100, verbose_name=_("Name"))
    # The first characters of the secret, shown in the list so an owner can tell tokens apart.
    prefix = models.CharField(max_length=12, verbose_name=_("Starts with"))
    digest = models.CharField(max_length=64, unique=True, verbose_name=_("SHA-256 digest"))
    scopes = models.JSONField(default=list, verbose_name=_("Scopes"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("Created"))
    last_used_on = models.DateField(null=True, blank=True, verbose_name=_("Last used"))
    revoked_at = models.DateTimeField(null=True, blank=True, verbose_name=_("Revoked"))

    class Meta:
        verbose_name = _("access token")
        verbose_name_plural = _("access tokens")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @property
    def active(self) -> bool:
        return self.revoked_at is None

    def allows(self, scope: str) -> bool:
        return scope in self.scopes
