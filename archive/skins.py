"""The site skins and reading preferences a reader can choose (archive/appearance.py applies
them). Kept free of models so the User model and the page cache can import it."""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

SKIN_COOKIE = "skin"
SKIN_COOKIE_AGE = 365 * 24 * 60 * 60


class Skin(models.TextChoices):
    DEFAULT = "default", _("Default")
    DARK = "dark", _("Dark")
    HIGH_CONTRAST = "high-contrast", _("High contrast")


class TextSize(models.IntegerChoices):
    SMALLER = 90, _("Smaller")
    NORMAL = 100, _("Normal")
    LARGER = 115, _("Larger")
    LARGEST = 130, _("Largest")


class LineWidth(models.TextChoices):
    NARROW = "narrow", _("Narrow (about 55 characters)")
    NORMAL = "normal", _("Normal (about 70 characters)")
    WIDE = "wide", _("Wide (the whole window)")


@dataclass(frozen=True)
class Reading:
    text_size: int = TextSize.NORMAL
    line_width: str = LineWidth.NORMAL
    hide_creator_styling: bool = False

    @property
    def classes(self) -> str:
        """The `<body>` classes of the work page, e.g. "text-115 width-narrow"."""
        names = [f"text-{self.text_size}", f"width-{self.line_width}"]
        if self.hide_creator_styling:
            names.append("hide-creator-styling")
        return " ".join(names)


def guest_skin(request) -> str:
    """The skin named by the guest's cookie; anything unknown is the default."""
    value = request.COOKIES.get(SKIN_COOKIE, "")
    return value if value in Skin.values else Skin.DEFAULT
