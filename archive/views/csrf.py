"""The answer to a post whose CSRF token is missing or wrong.

AO3's script endpoints (`/kudos.js`, `/comments.js`) answer AO3's 422 JSON
`{"errors": {"auth_error": …}}`, which AO3 clients (ao3-api) read as "refresh the token";
every other page keeps Django's 403 page.
"""

from django.http import JsonResponse
from django.views.csrf import csrf_failure as django_csrf_failure


def csrf_failure(request, reason=""):
    if request.path.endswith(".js"):
        message = "Your session has expired. Please reload the page and try again."
        return JsonResponse({"errors": {"auth_error": message}}, status=422)
    return django_csrf_failure(request, reason=reason)
