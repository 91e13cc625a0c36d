"""Every API error as RFC 9457 problem details (`application/problem+json`):

    {"type": "https://<site>/api/v1/docs#problem-<code>", "title": "Not Found", "status": 404,
     "detail": "…", "code": "not_found", "errors": {"title": ["This field is required."]}}

`errors` holds the same field messages the posting and feedback forms give, keyed by the
field's name in the API. Handlers raise `Problem(status, detail, code=, errors=)`, or
`Problem.from_form(form)` / `Problem.from_refusal(refused)`; `install(api)` turns those, the
services' `Refused`, Django's 404s, pydantic's validation errors, failed authentication and
rate limits into problems. A 404 never says more than "not found", whatever was asked for.
"""

from http import HTTPStatus

from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404, JsonResponse, RawPostDataException
from django.utils.translation import gettext as _
from ninja import Schema
from ninja.errors import (
    AuthenticationError,
    AuthorizationError,
    HttpError,
    Throttled,
    ValidationError,
)

from archive.errors import Refused

MEDIA_TYPE = "application/problem+json"


class ProblemOut(Schema):
    """The body of every error response."""

    type: str
    title: str
    status: int
    detail: str
    code: str
    errors: dict[str, list[str]] = {}


class Problem(Exception):
    def __init__(
        self,
        status: int,
        detail: str,
        *,
        code: str | None = None,
        errors: dict[str, list[str]] | None = None,
        headers: dict[str, str] | None = None,
    ):
        super().__init__(detail)
        self.status, self.detail = status, str(detail)
        self.code = code or HTTPStatus(status).phrase.lower().replace(" ", "_")
        self.errors = errors or {}
        self.headers = headers or {}

    @classmethod
    def from_form(cls, form, *, names: dict[str, str] | None = None) -> "Problem":
        """A bound Django form's errors, keyed by the API's field names (`names` maps a
        form's field name to the API's where they differ); errors of the whole form under
        "non_field_errors"."""
        names = names or {}
        errors = {}
        for field, messages in form.errors.items():
            key = "non_field_errors" if field == "__all__" else names.get(field, field)
            errors.setdefault(key, []).extend(str(message) for message in messages)
        first = next(iter(errors.values()))[0] if errors else _("The request is not valid.")
        return cls(422, first, code="invalid", errors=errors)

    @classmethod
    def from_refusal(cls, refused: Refused, *, names: dict[str, str] | None = None) -> "Problem":
        errors = {}
        if refused.field:
            errors[(names or {}).get(refused.field, refused.field)] = [refused.message]
        return cls(422, refused.message, code=refused.code or "refused", errors=errors)

    def body(self, request) -> dict:
        return {
            "type": request.build_absolute_uri(f"/api/v1/docs#problem-{self.code}"),
            "title": HTTPStatus(self.status).phrase,
            "status": self.status,
            "detail": self.detail,
            "code": self.code,
            "errors": self.errors,
        }


def respond(request, problem: Problem) -> JsonResponse:
    response = JsonResponse(
        problem.body(request),
        status=problem.status,
        content_type=MEDIA_TYPE,
        json_dumps_params={"ensure_ascii": False},
    )
    for name, value in problem.headers.items():
        response[name] = value
    if problem.status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="api"'
    return response


def _field_name(location) -> str:
    """pydantic's location of an error (("body", "payload", "title"), ("query", "page")) as
    the field's name: its last named part."""
    named = [str(part) for part in location if isinstance(part, str)]
    skipped = {"body", "query", "path", "header", "cookie", "payload", "filters"}
    useful = [part for part in named if part not in skipped]
    return useful[-1] if useful else (named[-1] if named else "non_field_errors")


def validation_problem(exc: ValidationError) -> Problem:
    errors: dict[str, list[str]] = {}
    for error in exc.errors:
        message = str(error.get("msg", "")).removeprefix("Value error, ")
        errors.setdefault(_field_name(error.get("loc", ())), []).append(message)
    if not errors:
        errors["non_field_errors"] = [_("The request is not valid.")]
    first_field, messages = next(iter(errors.items()))
    detail = messages[0] if first_field == "non_field_errors" else f"{first_field}: {messages[0]}"
    return Problem(422, detail, code="invalid", errors=errors)


def install(api) -> None:
    """Register the handlers that turn exceptions into problems."""

    @api.exception_handler(Problem)
    def on_problem(request, exc):
        return respond(request, exc)

    @api.exception_handler(Refused)
    def on_refused(request, exc):
        return respond(request, Problem.from_refusal(exc))

    @api.exception_handler(ValidationError)
    def on_invalid(request, exc):
        return respond(request, validation_problem(exc))

    def on_not_found(request, exc):
        return respond(request, Problem(404, _("Not found."), code="not_found"))

    api.add_exception_handler(Http404, on_not_found)
    api.add_exception_handler(ObjectDoesNotExist, on_not_found)

    @api.exception_handler(RawPostDataException)
    def on_unreadable_body(request, exc):
        # A multipart form, already read by a middleware as request.POST: not JSON.
        problem = Problem(
            415,
            _("Send the request's body as JSON (Content-Type: application/json)."),
            code="unsupported_media_type",
        )
        return respond(request, problem)

    @api.exception_handler(AuthenticationError)
    def on_unauthenticated(request, exc):
        problem = Problem(
            401, _("Log in, or send a personal access token, to do this."), code="login_required"
        )
        return respond(request, problem)

    @api.exception_handler(AuthorizationError)
    def on_forbidden(request, exc):
        return respond(request, Problem(403, _("You may not do this."), code="forbidden"))

    @api.exception_handler(Throttled)
    def on_throttled(request, exc):
        # ninja adds Retry-After to the response from the throttle's wait().
        problem = Problem(
            429,
            _("Too many requests; wait a little before trying again."),
            code="rate_limited",
        )
        return respond(request, problem)

    @api.exception_handler(HttpError)
    def on_http_error(request, exc):
        status = exc.status_code
        detail = _("Not found.") if status == 404 else str(exc)
        return respond(request, Problem(status, detail))
