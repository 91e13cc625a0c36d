"""Middleware of the site-wide app."""

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
