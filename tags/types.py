"""Tag types (their own module so that querysets can use them before the models load;
tags.models re-exports TagType)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class TagType(models.TextChoices):
    """Tag types; the order is AO3's display order in a work's header."""

    RATING = "rating", _("Rating")
    WARNING = "warning", _("Archive Warning")
    CATEGORY = "category", _("Category")
    FANDOM = "fandom", _("Fandom")
    RELATIONSHIP = "relationship", _("Relationship")
    CHARACTER = "character", _("Character")
    FREEFORM = "freeform", _("Additional Tags")
    PROMPT = "prompt", _("Prompt")
    MEDIA = "media", _("Media")
