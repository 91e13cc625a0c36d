"""How the archive looks to a reader: their preferences page, the skin menu every page shows
(a cookie for guests; members choose on their preferences page), and the About page."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from archive.appearance import AppearanceForm
from archive.auth import login_required
from archive.skins import SKIN_COOKIE, SKIN_COOKIE_AGE, Skin


def about(request):
    return render(request, "archive/about.html")


@login_required
def preferences(request, login):
    """Site skin, text size, line width and creators' styling."""
    if login.lower() != request.user.username.lower():
        raise Http404
    person = request.user
    form = AppearanceForm(request.POST or None, instance=person)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your preferences were successfully updated."))
        return redirect(request.path)
    return render(request, "archive/preferences.html", {"person": person, "form": form})


@require_GET
def skin_choose(request):
    """The guests' skin menu in the footer (/skin?skin=dark&next=/works): a cookie, so a
    GET form that needs no CSRF token and keeps guests' pages cacheable. Members choose on
    their preferences page."""
    skin = request.GET.get("skin", "")
    if skin not in Skin.values:
        skin = Skin.DEFAULT
    back = request.GET.get("next", "")
    if not back.startswith("/") or not url_has_allowed_host_and_scheme(
        back, {request.get_host()}, request.is_secure()
    ):
        back = "/"
    response = redirect(back)
    response.set_cookie(SKIN_COOKIE, skin, max_age=SKIN_COOKIE_AGE, samesite="Lax", httponly=True)
    return response
