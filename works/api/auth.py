"""Who is asking the API, and what they may do.

Three ways in, tried in order by every operation:
- `Authorization: Bearer fa_…`: a personal access token (archive.services.tokens). A token
  that is wrong, revoked or its owner's account closed answers 401 at once; it never falls
  back to a guest.
- the site's own session cookie, for the site's JavaScript: every scope, and Django's CSRF
  check on unsafe methods as on the pages.
- nobody: a guest, who may read what a guest may read.

`request.auth` is a `Caller`; `request.user` is its user (AnonymousUser for a guest), so the
pages' querysets (`listable_by(request.user)`, `visible_to(...)`) apply unchanged.
Handlers that write call `require_scope(request, Scope.WRITE_WORKS)` first; reads apply the
visibility of `reader(request)` (a token without the read scope reads as a guest).
"""

from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext as _
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from archive.models import AccessToken
from archive.services.tokens import token_for_secret
from works.api.problems import Problem

Scope = AccessToken.Scope
EVERY_SCOPE = frozenset(Scope.values)


@dataclass(frozen=True)
class Caller:
    user: object
    token: AccessToken | None
    scopes: frozenset

    @property
    def is_guest(self) -> bool:
        return not self.user.is_authenticated


class TokenAuth(HttpBearer):
    """A personal access token in the Authorization header."""

    def authenticate(self, request, token):
        found = token_for_secret(token.strip())
        if found is None:
            raise Problem(
                401,
                _("That access token is not valid, or has been revoked."),
                code="invalid_token",
            )
        request.user = found.user
        return Caller(user=found.user, token=found, scopes=frozenset(found.scopes))


class SiteSessionAuth(APIKeyCookie):
    """The site's own pages calling the API with the reader's session: every scope; CSRF
    checked on unsafe methods, as the pages' forms are."""

    param_name = "sessionid"

    def __init__(self):
        super().__init__(csrf=False)

    def __call__(self, request):
        if not request.user.is_authenticated:
            return None
        if request.method not in ("GET", "HEAD", "OPTIONS"):
            if check_csrf(request) is not None:
                raise Problem(
                    403,
                    _("The request came without this site's CSRF token; reload the page."),
                    code="csrf",
                )
        return Caller(user=request.user, token=None, scopes=EVERY_SCOPE)

    def authenticate(self, request, key):  # pragma: no cover - __call__ decides
        return None


def guest(request):
    """Nobody logged in and no token: a guest, who may read."""
    request.user = AnonymousUser()
    return Caller(user=request.user, token=None, scopes=frozenset({Scope.READ}))


def caller(request) -> Caller:
    return request.auth


def require_scope(request, scope: str) -> Caller:
    """The caller, if they may use `scope`; else 401 for a guest, 403 for a token without it."""
    who = caller(request)
    if who.is_guest:
        raise Problem(
            401,
            _("Log in, or send a personal access token, to do this."),
            code="login_required",
        )
    if scope not in who.scopes:
        raise Problem(
            403,
            _("This access token does not have the “%(scope)s” scope.") % {"scope": scope},
            code="scope_missing",
        )
    return who


def reader(request):
    """Whom reads are for: the caller's account when they may read as it (a session, or a
    token with the read scope); else a guest, who sees what every guest sees."""
    who = caller(request)
    if who.token is not None and Scope.READ not in who.scopes:
        return AnonymousUser()
    return who.user
