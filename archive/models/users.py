"""Site-wide models: the archive's user account."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from archive.languages import InterfaceLanguage
from archive.skins import LineWidth, Skin, TextSize

BIO_MAX_LENGTH = 2000


class User(AbstractUser):
    """An account. `username` is the login that appears in every /users/<login> URL.

    An account writes under its pseuds (archive/models/pseuds.py); the default one is made
    with the account and named as its login. `bio` is the profile's "About me" (author text;
    `bio_html` is filled by works/services/pseuds.py, the renderer being works').
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
    gift_emails = models.BooleanField(
        _("email me about gifts"),
        default=True,
        help_text=_("Besides the inbox, send an email when someone gives me a work."),
    )
    disallow_gifts = models.BooleanField(
        _("Don't allow others to give me gifts"),
        default=False,
        help_text=_("Works cannot be given to any of my pseuds."),
    )
    history_enabled = models.BooleanField(
        _("keep my history"),
        default=True,
        help_text=_("Remember the works I read at /users/<login>/readings."),
    )
    allow_cocreator_invitations = models.BooleanField(
        _("allow others to invite me to be a co-creator"),
        default=True,
        help_text=_("Others may name you as a co-creator of their works; you accept or decline."),
    )
    cocreator_without_asking = models.BooleanField(
        _("add me as a co-creator without asking"),
        default=False,
        help_text=_("An invitation to co-create a work adds you at once."),
    )
    bio = models.TextField(_("About me"), blank=True, max_length=BIO_MAX_LENGTH)
    bio_html = models.TextField(blank=True, editable=False, verbose_name=_("About me"))
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
    def default_pseud(self) -> str:
        """The login: the name the default pseud is made with, and what lists that name users
        without loading their pseuds show (comments, collection staff). Bylines of works and
        bookmarks show `Pseud.byline` instead."""
        return self.username

    def get_absolute_url(self):
        return reverse("works:user_dashboard", args=[self.username])

    def get_pseud_url(self):
        """The default pseud's page by the login's name, which always reaches it (works'
        user_pseud falls back to the default pseud): for lists that name users without
        loading their pseuds (comments, collection staff)."""
        return reverse("works:user_pseud", args=[self.username, self.username])
