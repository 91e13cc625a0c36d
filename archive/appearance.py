"""Site skins and reading preferences, applied server side so a page never flashes.

A member's choices live on their account (archive.models.User); a guest's skin lives in the
`skin` cookie (archive.skins). The context processor puts them into every template: the skin
on `<html data-skin>`, the reading preferences as classes on the work page's `<body>`
(classes, never inline style, which the Content-Security-Policy forbids).
"""

from django import forms
from django.contrib.auth import get_user_model

from archive.skins import Reading, Skin, guest_skin


def skin_for(request) -> str:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return user.skin if user.skin in Skin.values else Skin.DEFAULT
    return guest_skin(request)


def reading_for(request) -> Reading:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return Reading()
    return Reading(
        text_size=user.text_size,
        line_width=user.line_width,
        hide_creator_styling=user.hide_creator_styling,
    )


def appearance(request) -> dict:
    """Context processor: `skin` for `<html data-skin>`, `skins` for the skin menu and
    `reading` for the work page."""
    return {"skin": skin_for(request), "skins": Skin.choices, "reading": reading_for(request)}


class AppearanceForm(forms.ModelForm):
    """The member's skin and reading preferences (/users/<login>/preferences)."""

    class Meta:
        model = get_user_model()
        fields = ["skin", "text_size", "line_width", "hide_creator_styling", "interface_language"]
        widgets = {
            "skin": forms.RadioSelect,
            "text_size": forms.RadioSelect,
            "line_width": forms.RadioSelect,
            "interface_language": forms.RadioSelect,
        }
