"""Sending a visitor to the log-in page and back.

`login_required` and `login_redirect` are Django's, except that the way back (`?next=`) is
the page's full path only when it is of a sane length: a hostile query string of many
kilobytes would make a redirect Django refuses (DisallowedRedirect, logged with a
traceback), so an overlong path comes back without its query, or to the home page.
"""

from functools import wraps

from django.contrib.auth.views import redirect_to_login  # noqa: F401  (re-exported)

MAX_RETURN_PATH = 2_000


def return_path(request) -> str:
    """The page to come back to: its full path when short enough, else less of it."""
    for candidate in (request.get_full_path(), request.path):
        if len(candidate) <= MAX_RETURN_PATH:
            return candidate
    return "/"


def login_redirect(request, *, for_restricted_work=False):
    """To the log-in page, with the way back to this page. `for_restricted_work`: the page
    is a restricted work; the log-in page says so in AO3's words (`?restricted=true`), which
    FanFicFare looks for before it logs in."""
    response = redirect_to_login(return_path(request))
    if for_restricted_work:
        response["Location"] += "&restricted=true"
    return response


def login_required(view):
    """Like Django's decorator, through `login_redirect`."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return login_redirect(request)
        return view(request, *args, **kwargs)

    return wrapper
