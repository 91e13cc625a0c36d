"""Rate limits: fixed-window counters in the shared cache (locmem in development, Redis in
production), so every process behind the load balancer counts together.

API:
- `check(scope, ident)`: count one attempt; returns None when allowed, else the seconds until
  the window ends (for Retry-After).
- `too_many_requests(request, retry_after)`: the readable 429 page with a Retry-After header.
- `@rate_limit(scope, key="ip", methods=("POST",))`: a view decorator doing both; `key` is
  "ip", "user" (the account, or the IP for guests) or a callable(request) -> str | None.
  The IP is `archive.client.client_address(request)`, the same address hits and guest kudos
  use (X-Forwarded-For only behind ARCHIVE_TRUSTED_PROXIES).

Limits per scope come from settings.ARCHIVE_RATE_LIMITS: {scope: (attempts, seconds)}.
"""

import hashlib
import math
import time
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render

from archive.client import client_address

DEFAULT_LIMITS = {
    "login_ip": (5, 20),
    "login_account": (5, 20),
    "signup": (5, 3600),
    "invite_request": (5, 3600),
    "invite_status": (20, 600),
    "invitation_send": (10, 3600),
    "comment": (10, 60),
    "kudos": (30, 60),
    "report": (5, 600),
    "search": (30, 60),
    "claim_request": (5, 3600),
    # The API (issue 21, works/api/limits.py): per personal access token, and per address
    # for guests and the site's own session.
    "api_token": (600, 60),
    "api_address": (120, 60),
}


def limits(scope: str) -> tuple[int, int]:
    configured = getattr(settings, "ARCHIVE_RATE_LIMITS", {}) or {}
    return configured.get(scope) or DEFAULT_LIMITS[scope]


def _key(scope: str, ident: str, window_start: int) -> str:
    digest = hashlib.sha256(ident.encode()).hexdigest()[:32]
    return f"ratelimit:{scope}:{digest}:{window_start}"


def check(scope: str, ident: str, *, now: float | None = None) -> int | None:
    """Count one attempt for (scope, ident). None if allowed, else seconds to wait."""
    if not getattr(settings, "ARCHIVE_RATE_LIMITS_ENABLED", True):
        return None
    attempts, window = limits(scope)
    now = time.time() if now is None else now
    window_start = int(now // window * window)
    key = _key(scope, ident, window_start)
    cache.add(key, 0, timeout=window + 1)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=window + 1)
        count = 1
    if count <= attempts:
        return None
    return max(1, math.ceil(window_start + window - now))


def too_many_requests(request, retry_after: int):
    response = render(request, "429.html", {"retry_after": retry_after}, status=429)
    response["Retry-After"] = str(retry_after)
    return response


def ip_ident(request) -> str:
    """The rate-limit identity of the client's address."""
    return f"ip:{client_address(request) or 'unknown'}"


def _ident(request, key) -> str | None:
    if callable(key):
        return key(request)
    if key == "user" and getattr(request, "user", None) and request.user.is_authenticated:
        return f"user:{request.user.pk}"
    return ip_ident(request)


def rate_limit(scope: str, *, key="ip", methods=("POST",)):
    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if methods is None or request.method in methods:
                ident = _ident(request, key)
                if ident is not None:
                    retry_after = check(scope, ident)
                    if retry_after is not None:
                        return too_many_requests(request, retry_after)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
