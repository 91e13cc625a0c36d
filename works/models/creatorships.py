"""Invitations to co-create a work (AO3's "Add co-creators?").

A creator who names another person's pseud on the posting or edit form invites them: the
invitation is kept apart from the work's creatorships (`WorkCreator`) so that nothing that
shows or finds a work's creators (bylines, listings, search, feeds, downloads, visibility)
can show an invited person before they accept. Accepting makes the WorkCreator and deletes
the invitation; declining deletes it (works/services/creatorships.py).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CreatorshipInvitation(models.Model):
    work = models.ForeignKey(
        "works.Work",
        on_delete=models.CASCADE,
        related_name="creatorship_invitations",
        verbose_name=_("Work"),
    )
    pseud = models.ForeignKey(
        "archive.Pseud",
        on_delete=models.CASCADE,
        related_name="creatorship_invitations",
        verbose_name=_("Pseud"),
    )
    # The pseud's user, kept alongside (as WorkCreator.user) for one invitation per person.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="creatorship_invitations",
        verbose_name=_("User"),
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Invited by"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("Created"))

    class Meta:
        verbose_name = _("co-creator invitation")
        verbose_name_plural = _("co-creator invitations")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["work", "user"], name="uniq_creatorship_invitation")
        ]

    def __str__(self):
        return f"{self.pseud_id} invited to work {self.work_id}"
