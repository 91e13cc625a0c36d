"""The header's language menu (/language?language=es&next=/works): Django's language cookie,
so a GET form that needs no CSRF token and keeps guests' pages cacheable. A member who uses
it (a POST form, with its token) also keeps the choice as their preference."""

from django.conf import settings
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods


def _back(request, data) -> str:
    back = data.get("next", "")
    if not back.startswith("/") or not url_has_allowed_host_and_scheme(
        back, {request.get_host()}, request.is_secure()
    ):
        return "/"
    return back


@require_http_methods(["GET", "POST"])
def language_choose(request):
    data = request.POST if request.method == "POST" else request.GET
    code = data.get("language", "")
    if code not in dict(settings.LANGUAGES):
        code = settings.LANGUAGE_CODE
    if request.method == "POST" and request.user.is_authenticated:
        request.user.interface_language = code
        request.user.save(update_fields=["interface_language"])
    response = redirect(_back(request, data))
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
    )
    return response
