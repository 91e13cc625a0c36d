"""Pseuds: the names an account writes under (AO3's pseuds), and the logins it had before.

Every account has exactly one default pseud, made with the account (named as its login) by
`default_pseud_create`, connected to User's post_save in archive/apps.py so that every way of
making an account (sign-up, createsuperuser, tests, the admin) gets one. A pseud's description
is author text: its rendered twin `description_html` is filled by the works service that saves
it (works/services/pseuds.py), because only works/rendering.py renders and archive may not
import works (docs/architecture.md).

A changed login renames the pseud that bore the old one (`default_pseud_follow_login`, on
User's pre_save). `FormerLogin` remembers each login an account gave up, so /users/<old>/...
links keep working (archive/middleware.py redirects them) and a login changes at most once
every 7 days.
"""

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

PSEUD_NAME_MAX_LENGTH = 40
PSEUD_DESCRIPTION_MAX_LENGTH = 500


class Pseud(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="pseuds",
        verbose_name=_("User"),
    )
    name = models.CharField(_("Name"), max_length=PSEUD_NAME_MAX_LENGTH)
    description = models.TextField(
        _("Description"), blank=True, max_length=PSEUD_DESCRIPTION_MAX_LENGTH
    )
    description_html = models.TextField(blank=True, editable=False, verbose_name=_("Description"))
    is_default = models.BooleanField(_("Default pseud"), default=False)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("Created"))

    class Meta:
        verbose_name = _("pseud")
        verbose_name_plural = _("pseuds")
        ordering = [Lower("name"), "id"]
        constraints = [
            models.UniqueConstraint("user", Lower("name"), name="pseud_name_ci_unique_per_user"),
            models.UniqueConstraint(
                fields=["user"], condition=models.Q(is_default=True), name="one_default_pseud"
            ),
        ]

    def __str__(self):
        return self.byline

    def get_absolute_url(self):
        return reverse("works:user_pseud", args=[self.user.username, self.name])

    def get_pseud_url(self):
        """The pseud's page, under the name bylines call it by (as `User.get_pseud_url`)."""
        return self.get_absolute_url()

    @property
    def byline(self) -> str:
        """AO3's byline: "Pseud (login)" when the names differ, the login alone otherwise."""
        login = self.user.username
        return self.name if self.name == login else f"{self.name} ({login})"


class FormerLogin(models.Model):
    """A login an account used before it changed it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="former_logins",
        verbose_name=_("User"),
    )
    login = models.CharField(_("Former login"), max_length=150)
    changed_at = models.DateTimeField(_("Changed"), auto_now_add=True)

    class Meta:
        verbose_name = _("former login")
        verbose_name_plural = _("former logins")
        ordering = ["-changed_at", "-id"]
        indexes = [models.Index(Lower("login"), name="former_login_ci")]

    def __str__(self):
        return self.login


def default_pseud_follow_login(sender, instance, raw=False, update_fields=None, **kwargs):
    """pre_save of User: when the login changes (works' login_change, or a moderator in the
    admin), the pseud named as the old login takes the new one, unless another of the
    account's pseuds already has that name. Saves that leave the login alone cost nothing."""
    if raw or instance.pk is None:
        return
    if update_fields is not None and "username" not in update_fields:
        return
    old = sender.objects.filter(pk=instance.pk).values_list("username", flat=True).first()
    if not old or old == instance.username:
        return
    pseuds = Pseud.objects.filter(user_id=instance.pk)
    if not pseuds.filter(name__iexact=instance.username).exclude(name=old).exists():
        pseuds.filter(name=old).update(name=instance.username)


def default_pseud_create(sender, instance, created, raw=False, **kwargs):
    """post_save of User: a new account gets its default pseud, named as its login."""
    if created and not raw:
        Pseud.objects.get_or_create(
            user=instance, is_default=True, defaults={"name": instance.username}
        )
