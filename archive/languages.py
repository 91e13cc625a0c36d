"""The interface language: the member's preference, then the header's language menu (Django's
language cookie), then the browser's Accept-Language (LocaleMiddleware), then English.

A work's own language is its metadata (works.languages) and never follows this.
"""

from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _


class InterfaceLanguage(models.TextChoices):
    """The languages the archive is translated into, each named in itself; blank on an
    account means "as my browser asks"."""

    BROWSER = "", _("As my browser asks")
    ENGLISH = "en", "English"
    SPANISH = "es", "Español"
    GERMAN = "de", "Deutsch"
    ARABIC = "ar", "العربية"


def shipped() -> list[tuple[str, str]]:
    """(code, name) of every interface language, for the header menu."""
    return list(settings.LANGUAGES)


def preferred(request) -> str:
    """The member's chosen language, or "" when they have none (or are a guest)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return ""
    code = getattr(user, "interface_language", "")
    return code if code in dict(settings.LANGUAGES) else ""


class PreferredLanguageMiddleware:
    """After LocaleMiddleware (cookie, Accept-Language) and AuthenticationMiddleware: a
    member's own preference outranks both."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        code = preferred(request)
        if code:
            translation.activate(code)
            request.LANGUAGE_CODE = code
        return self.get_response(request)


def languages(request) -> dict:
    """Context processor: the header's language menu."""
    return {"interface_languages": shipped()}
