"""Site-wide models: the archive's user account."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from archive.languages import InterfaceLanguage
from archive.skins import LineWidth, Skin, TextSize


class User(AbstractUser):
    """An account. `username` is the login that appears in every /users/<login> URL.

    Pseuds (several display names per account) can come later; until then every account
    has one default pseud named after its login, and bylines already link to it.
    """

    email = models.EmailField(_("email address"), unique=True)
    view_adult = models.BooleanField(
        _("show adult works without a warning"),
        default=False,
        help_text=_("Skip the adult-content notice on Mature, Explicit and Not Rated works."),
    )
    comment_emails = models.BooleanField(
        _("email me about comments on my works"),
        default=True,
        help_text=_("Besides the inbox, send an email for each new comment or reply."),
    )
    history_enabled = models.BooleanField(
        _("keep my history"),
        default=True,
        help_text=_("Remember the works I read at /users/<login>/readings."),
    )
    # Appearance (archive/appearance.py): the site skin and how works read.
    skin = models.CharField(
        _("site skin"),
        max_length=16,
        choices=Skin,
        default=Skin.DEFAULT,
        help_text=_("Default is light or dark as your device is set."),
    )
    text_size = models.PositiveSmallIntegerField(
        _("text size of works"), choices=TextSize, default=TextSize.NORMAL
    )
    line_width = models.CharField(
        _("line width of works"), max_length=8, choices=LineWidth, default=LineWidth.NORMAL
    )
    hide_creator_styling = models.BooleanField(
        _("hide creators' styling"),
        default=False,
        help_text=_("Show works without their creators' alignment, font sizes and fonts."),
    )
    # The interface language (archive/languages.py); blank follows the menu and the browser.
    interface_language = models.CharField(
        _("interface language"),
        max_length=8,
        choices=InterfaceLanguage,
        default=InterfaceLanguage.BROWSER,
        blank=True,
        help_text=_("The language of the archive's menus and pages. Works keep their own."),
    )
    # Sign-up (archive/services/signup.py): when the Terms were accepted, which version, and
    # how many invitations the account may still give (moderators grant more in the admin).
    terms_accepted_at = models.DateTimeField(_("terms accepted at"), null=True, blank=True)
    terms_version = models.CharField(_("terms version"), max_length=40, blank=True)
    invitations_left = models.PositiveIntegerField(_("invitations to give"), default=0)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(Lower("username"), name="user_username_ci_unique"),
        ]

    def __str__(self):
        return self.username

    @property
    def default_pseud(self):
        return self.username

    def get_absolute_url(self):
        return reverse("works:user_dashboard", args=[self.username])

    def get_pseud_url(self):
        return reverse("works:user_pseud", args=[self.username, self.default_pseud])
