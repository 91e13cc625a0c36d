"""Gifts: a work given to someone (AO3's "Gift this work to").

A gift names either a pseud (an account's recipient, who is told and sees it at
/users/<login>/gifts) or, for someone without an account, a plain `recipient_name`. A refused
gift stays, marked `refused`, so the recipient can still find it (AO3's `?refused=true`) and the
work is not given again by an edit that keeps the old names; nothing else shows a refused gift.
Writes are in works/services/gifts.py; who may see the works listed, as everywhere, in
works/models/visibility.py.
"""

from django.db import models
from django.db.models import Exists, OuterRef, Prefetch
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

RECIPIENT_NAME_MAX_LENGTH = 100


class Gift(models.Model):
    work = models.ForeignKey(
        "works.Work", on_delete=models.CASCADE, related_name="gifts", verbose_name=_("Work")
    )
    pseud = models.ForeignKey(
        "archive.Pseud",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="gifts",
        verbose_name=_("Recipient pseud"),
    )
    recipient_name = models.CharField(
        _("Recipient name"), max_length=RECIPIENT_NAME_MAX_LENGTH, blank=True
    )
    refused = models.BooleanField(_("Refused"), default=False)
    refused_at = models.DateTimeField(_("Refused at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("Created"))

    class Meta:
        verbose_name = _("gift")
        verbose_name_plural = _("gifts")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["work", "pseud"],
                condition=models.Q(pseud__isnull=False),
                name="gift_one_per_pseud",
            ),
            models.UniqueConstraint(
                "work",
                Lower("recipient_name"),
                condition=models.Q(pseud__isnull=True),
                name="gift_one_per_name",
            ),
            models.CheckConstraint(
                condition=models.Q(pseud__isnull=False) | ~models.Q(recipient_name=""),
                name="gift_has_recipient",
            ),
        ]

    def __str__(self):
        return f"{self.work_id} for {self.name}"

    @property
    def name(self) -> str:
        """What "For <name>" shows: the pseud's byline, or the plain name."""
        return self.pseud.byline if self.pseud_id else self.recipient_name

    def get_recipient_url(self) -> str:
        """The recipient's gifts page ("" for a plain name)."""
        if not self.pseud_id:
            return ""
        return reverse("works:user_gifts", args=[self.pseud.user.username])


def gifts_shown() -> Prefetch:
    """Prefetch the gifts a work names (not the refused ones), with their pseuds and users,
    as `work.shown_gifts`: one query for a page of works."""
    queryset = Gift.objects.filter(refused=False).select_related("pseud__user")
    return Prefetch("gifts", queryset=queryset, to_attr="shown_gifts")


def with_gifted(works):
    """Annotate `gifted`: whether the work names any gift, in the work's own query, so a work
    page with none (most) spends no query on gifts (shown_gifts)."""
    named = Gift.objects.filter(work=OuterRef("pk"), refused=False)
    return works.annotate(gifted=Exists(named))


def shown_gifts(work) -> list[Gift]:
    """The gifts "For <name>" shows, from the prefetch when there is one."""
    if not work.pk or getattr(work, "gifted", None) is False:
        return []
    if hasattr(work, "shown_gifts"):
        return work.shown_gifts
    return list(work.gifts.filter(refused=False).select_related("pseud__user"))


def gift_names(work) -> str:
    """What "Gift this work to" shows when the work is edited: the gifts not refused."""
    return ", ".join(g.name for g in shown_gifts(work))
