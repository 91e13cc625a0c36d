"""Who and where the client is, for every part of the archive that needs to know.

API:
- `client_address(request)`: the client's IP address as a string, or None when it cannot be
  told. REMOTE_ADDR, or, when settings.ARCHIVE_TRUSTED_PROXIES (a count of reverse proxies in
  front of the archive, each appending the address it saw to X-Forwarded-For) is 1 or more,
  the address the outermost trusted proxy saw. Rate limits, hits, guest kudos and everything
  else that tells guests apart use this one function, so a guest is the same guest to all.
"""

import ipaddress

from django.conf import settings


def _valid(address: str) -> str | None:
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


def client_address(request) -> str | None:
    """The client's address. X-Forwarded-For is only believed behind trusted proxies.

    With ARCHIVE_TRUSTED_PROXIES = N, the client is the N-th address from the right of
    X-Forwarded-For; anything further left was written by the client and is ignored. A value
    that is not an IP address falls back to REMOTE_ADDR.
    """
    remote = _valid(request.META.get("REMOTE_ADDR", "") or "")
    trusted = int(getattr(settings, "ARCHIVE_TRUSTED_PROXIES", 0) or 0)
    if trusted <= 0:
        return remote
    forwarded = [
        part.strip()
        for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if part.strip()
    ]
    if not forwarded:
        return remote
    chosen = forwarded[-trusted] if len(forwarded) >= trusted else forwarded[0]
    return _valid(chosen) or remote
