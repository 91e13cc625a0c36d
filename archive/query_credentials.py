"""AO3 clients that log in with their credentials in a POST's query string (ao3-api's
`Session` posts `/users/login?user[login]=…&user[password]=…&authenticity_token=…`).

- `QueryCredentialsMiddleware`: on a POST to the log-in page only, those fields move from the
  query string into the form data, and out of `QUERY_STRING` and `request.GET`, so the usual
  log-in view, rate limits and CSRF check (the authenticity token against the CSRF cookie)
  apply unchanged and nothing later reads or logs them. A GET never logs anyone in.
- `RedactQueryCredentials`: a logging filter that blanks the query string of any logged
  request line naming a password (the development server logs request lines).
"""

import logging
import re
from urllib.parse import parse_qsl, urlencode

from django.http import QueryDict
from django.urls import reverse

MOVED_FIELDS = ("user[login]", "user[password]", "user[remember_me]", "authenticity_token")
_PASSWORD_IN_QUERY = re.compile(r"\?[^\s\"]*password[^\s\"]*", re.IGNORECASE)


class QueryCredentialsMiddleware:
    """Must come after StripNulMiddleware and before AuthenticityTokenMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method == "POST" and request.path == reverse("login"):
            _move_credentials(request)
        return self.get_response(request)


def _move_credentials(request):
    pairs = parse_qsl(request.META.get("QUERY_STRING", ""), keep_blank_values=True)
    moved = [(key, value) for key, value in pairs if key in MOVED_FIELDS]
    if not moved:
        return
    kept = [(key, value) for key, value in pairs if key not in MOVED_FIELDS]
    request.META["QUERY_STRING"] = urlencode(kept)
    request.GET = QueryDict(request.META["QUERY_STRING"])
    post = request.POST.copy()
    for key, value in moved:
        if key not in post:
            post[key] = value
    post._mutable = False
    request.POST = post
    # A body-less POST has no form content type, so AuthenticityTokenMiddleware would not
    # read the token: hand it to the CSRF check here, which still compares it to the cookie.
    token = post.get("authenticity_token")
    if token and "csrfmiddlewaretoken" not in post and "HTTP_X_CSRFTOKEN" not in request.META:
        request.META["HTTP_X_CSRFTOKEN"] = token


class RedactQueryCredentials(logging.Filter):
    def filter(self, record):
        if record.args and isinstance(record.args, tuple):
            record.args = tuple(
                _PASSWORD_IN_QUERY.sub("?[redacted]", arg) if isinstance(arg, str) else arg
                for arg in record.args
            )
        if isinstance(record.msg, str):
            record.msg = _PASSWORD_IN_QUERY.sub("?[redacted]", record.msg)
        return True
