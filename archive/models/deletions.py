"""Accounts their owners deleted (works/services/leaving.py): one row each, for moderators.

The row keeps what moderators need to answer "what happened to this account and its works"
and nothing of the account's private data: no email, no history, no password, no IP address.
The login is kept because it was public (every byline and /users/<login> URL showed it).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = ["AccountDeletion"]


class AccountDeletion(models.Model):
    login = models.CharField(_("login"), max_length=150)
    former_user_id = models.PositiveIntegerField(_("former user id"))
    deleted_at = models.DateTimeField(_("deleted at"), auto_now_add=True)
    works_orphaned = models.PositiveIntegerField(_("works orphaned"), default=0)
    works_deleted = models.PositiveIntegerField(_("works deleted"), default=0)
    works_left_to_co_creators = models.PositiveIntegerField(
        _("co-created works left to their other creators"), default=0
    )
    comments_kept = models.PositiveIntegerField(_("comments kept"), default=0)

    class Meta:
        verbose_name = _("deleted account")
        verbose_name_plural = _("deleted accounts")
        ordering = ["-deleted_at", "-id"]

    def __str__(self):
        return f"{self.login} (deleted {self.deleted_at:%Y-%m-%d})"
