"""Middleware of the site-wide app."""

import re
from urllib.parse import quote

from django.contrib.auth import get_user_model
from django.http import HttpResponsePermanentRedirect, QueryDict

from archive.models import FormerLogin

CSRF_FORM_FIELD = "csrfmiddlewaretoken"
AO3_TOKEN_FIELD = "authenticity_token"
FORM_CONTENT_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


class AuthenticityTokenMiddleware:
    """Accept AO3's `authenticity_token` form field as the CSRF token.

    Tools written for AO3 (downloaders, userscripts) scrape `authenticity_token` from a form
    and post it back. When a form post carries that field but not Django's own
    `csrfmiddlewaretoken`, its value is handed to CsrfViewMiddleware as the X-CSRFToken
    header, so the usual check (token against the CSRF cookie) still applies unchanged.
    Must come before CsrfViewMiddleware.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            request.method == "POST"
            and request.content_type in FORM_CONTENT_TYPES
            and "HTTP_X_CSRFTOKEN" not in request.META
        ):
            post = request.POST
            if CSRF_FORM_FIELD not in post and post.get(AO3_TOKEN_FIELD):
                request.META["HTTP_X_CSRFTOKEN"] = post[AO3_TOKEN_FIELD]
        return self.get_response(request)


class StripNulMiddleware:
    """Take NUL characters out of every query and form parameter, keys and values.

    No form field or filter can mean a NUL, and PostgreSQL refuses one in any text it is
    sent (a DataError: a 500 for a hostile query such as `?work_search[query]=%00`), so it
    is removed where the request is read, before any view, filter or form sees it. Files
    are left as they are. Must come before anything that reads request.GET or request.POST.
    A path with a NUL (`/users/%00`) is not this middleware's: no URL pattern matches one
    (`<id:>` and `<name:>`, archive/params.py), so it answers 404 before any view.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        query = request.META.get("QUERY_STRING", "")
        if "%00" in query or "\x00" in query:
            request.GET = _without_nul(request.GET)
        if request.method == "POST" and request.content_type in FORM_CONTENT_TYPES:
            if _has_nul(request.POST):
                request.POST = _without_nul(request.POST)
        return self.get_response(request)


def _has_nul(params: QueryDict) -> bool:
    return any("\x00" in key or any("\x00" in v for v in values) for key, values in params.lists())


def _without_nul(params: QueryDict) -> QueryDict:
    cleaned = QueryDict(mutable=True, encoding=params.encoding)
    for key, values in params.lists():
        cleaned.setlist(key.replace("\x00", ""), [value.replace("\x00", "") for value in values])
    cleaned._mutable = False
    return cleaned


# A login as <name:login> takes it (archive/params.py NameConverter): no slash, no NUL.
_USER_PATH = re.compile(r"^/users/(?P<login>[^/\x00]+)(?P<rest>/.*)?$")


class FormerLoginMiddleware:
    """Old links keep working after a login changes (archive/models/pseuds.py): a GET that
    answers 404 under /users/<login>/... where <login> is no account's but was one's before
    is sent on, permanently, to the same page under the account's login now. Only 404s are
    looked at, so other requests cost nothing."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code != 404 or request.method not in ("GET", "HEAD"):
            return response
        match = _USER_PATH.match(request.path)
        if match is None:
            return response
        login = match["login"]
        User = get_user_model()
        if User.objects.filter(username__iexact=login).exists():
            return response
        former = (
            FormerLogin.objects.filter(login__iexact=login, user__is_active=True)
            .select_related("user")
            .order_by("-changed_at", "-id")
            .first()
        )
        if former is None:
            return response
        target = f"/users/{quote(former.user.username)}{match['rest'] or ''}"
        query = request.META.get("QUERY_STRING", "")
        return HttpResponsePermanentRedirect(f"{target}?{query}" if query else target)
