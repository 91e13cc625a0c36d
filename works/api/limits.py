"""The API's rate limits, counted in the shared cache with the pages' (archive.ratelimit), so
every app server counts together:

- a request with a personal access token counts against the token ("api_token");
- any other request (a guest, the site's session) against the client's address ("api_address").

Limits come from ARCHIVE_RATE_LIMITS like every other (defaults in archive.ratelimit). Going
over answers 429 with `Retry-After` (the seconds until the window ends), as problem+json.
Writes that the pages limit too (comments, kudos) also spend the pages' own scope through
`spend(request, scope)`, so the API is no way around them.
"""

import threading

from django.utils.translation import gettext as _
from ninja.throttling import BaseThrottle

from archive import ratelimit
from works.api.problems import Problem


class CallerThrottle(BaseThrottle):
    """One throttle for both kinds of caller; ninja runs it after authentication."""

    def __init__(self):
        self._waits = threading.local()

    def allow_request(self, request) -> bool:
        who = getattr(request, "auth", None)
        token = getattr(who, "token", None)
        if token is not None:
            retry_after = ratelimit.check("api_token", f"token:{token.pk}")
        else:
            retry_after = ratelimit.check("api_address", ratelimit.ip_ident(request))
        self._waits.value = retry_after
        return retry_after is None

    def wait(self):
        return getattr(self._waits, "value", None)


def spend(request, scope: str) -> None:
    """Count one attempt against a page's limit (e.g. "comment", "kudos") for this account, or
    this address for a guest; 429 when it is used up."""
    who = getattr(request, "auth", None)
    user = getattr(who, "user", None)
    ident = f"user:{user.pk}" if user is not None and user.is_authenticated else None
    retry_after = ratelimit.check(scope, ident or ratelimit.ip_ident(request))
    if retry_after is not None:
        raise Problem(
            429,
            _("Too many requests; wait a little before trying again."),
            code="rate_limited",
            headers={"Retry-After": str(retry_after)},
        )
