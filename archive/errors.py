"""The one way a service refuses a write.

A service that will not do what it was asked raises `Refused` with the message for the user
and, when one input is to blame, the name of that field (as the archive's forms name it).
Views never look inside the message: they hand the refusal to `add_refusal()` (a form error
next to that field, or above the form) or to `message_refusal()` (a message on the next page),
and tell refusals apart, when they must, by `code`.

`Refused` is a Django ValidationError, so the admin and forms take it as they take their own
errors (`messages`, `message_dict` when a field is named).
"""

from django.contrib import messages
from django.core.exceptions import ValidationError


class Refused(ValidationError):
    """A write the archive's rules refuse. `message` is meant for the user; `field` names the
    input at fault (None: the request as a whole); `code` is a stable name for tests and views."""

    def __init__(self, message: str, *, field: str | None = None, code: str | None = None):
        if field is None:
            super().__init__(message, code=code)
        else:
            super().__init__({field: [ValidationError(message, code=code)]})
        self.message = message
        self.field = field
        self.code = code

    def __str__(self) -> str:
        return str(self.message)


def add_refusal(form, refused: Refused, *, default_field: str | None = None) -> None:
    """Show the refusal on the bound form: next to its field when the form has that field,
    else next to `default_field` (None: above the form). What was typed stays in the form."""
    field = refused.field if refused.field in form.fields else default_field
    form.add_error(field, refused.message)


def message_refusal(request, refused: Refused) -> None:
    """Show the refusal as an error message on the page the user is sent to."""
    messages.error(request, refused.message)
