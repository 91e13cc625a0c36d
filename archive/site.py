"""Absolute links to the archive, for anything read away from the site (emails first of all).

API:
- `site_url(path)`: settings.ARCHIVE_SITE_URL joined with a URL path such as
  `work.get_absolute_url()` or `reverse(...)`: "https://archive.example.org/works/1".
- `site_email_context()`: `protocol` and `domain` for Django's own emails (password reset),
  taken from the same setting, so `{{ protocol }}://{{ domain }}` agrees with `site_url`.
- In templates: `{% load site_links %}{% site_url path %}`.

ARCHIVE_SITE_URL is the address readers use (scheme, host, and port when not the default);
the request's own Host header is never used, so an email cannot be made to point elsewhere.
"""

from urllib.parse import urlsplit

from django.conf import settings


def _base() -> str:
    return settings.ARCHIVE_SITE_URL.rstrip("/")


def site_url(path: str = "/") -> str:
    """The absolute address of `path` on this archive."""
    if not path.startswith("/"):
        path = "/" + path
    return _base() + path


def site_email_context() -> dict[str, str]:
    parts = urlsplit(_base())
    return {"protocol": parts.scheme, "domain": parts.netloc + parts.path}
