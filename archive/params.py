"""Numbers read from a request: the one parser every view, form and filter uses.

A number from a query string, a form field or a URL is accepted only when it is written in
ASCII digits (an optional leading ``-`` where negatives make sense) and lies within bounds.
``str.isdigit()`` and ``str.isdecimal()`` are not enough: ``"²".isdigit()`` is true but
``int("²")`` raises, and ``"٣".isdecimal()`` is true and ``int("٣")`` is 3, a number nobody
typed on an ASCII keyboard. Everything else is None, for the caller to answer with a normal
page (the first page, the filter ignored with a notice) or a 404.

- `parse_int(value, minimum=, maximum=)`: the number, or None.
- `parse_ints(values, ...)`: the valid numbers of a list, in order, without repeats.
- `IdConverter`: the ``<id:...>`` path converter, a positive database id or no match (404).
- `NumberField`, `IdChoiceField`, `IdMultipleChoiceField`: the same rules for form fields.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from django import forms
from django.core.exceptions import ValidationError

# The largest id a BigAutoField holds; ids above it can name no row.
MAX_ID = 2**63 - 1
# PostgreSQL's integer columns (counts, word counts) hold at most this.
MAX_INT = 2**31 - 1

_NUMBER = re.compile(r"-?[0-9]{1,19}", re.ASCII)


def parse_int(value: object, *, minimum: int = 0, maximum: int = MAX_INT) -> int | None:
    """`value` as an int when it is ASCII digits between `minimum` and `maximum`, else None."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        number = value
    elif isinstance(value, str) and _NUMBER.fullmatch(value):
        number = int(value)
    else:
        return None
    return number if minimum <= number <= maximum else None


def parse_ints(
    values: Iterable[object], *, minimum: int = 0, maximum: int = MAX_INT
) -> tuple[list[int], bool]:
    """The valid numbers among `values` in their first order, without repeats, and whether
    any non-empty value was not one."""
    numbers: list[int] = []
    bad = False
    for value in values:
        number = parse_int(value, minimum=minimum, maximum=maximum)
        if number is None:
            bad = bad or value not in ("", None)
        elif number not in numbers:
            numbers.append(number)
    return numbers, bad


def parse_id(value: object) -> int | None:
    """A database id: a positive number a BigAutoField can hold."""
    return parse_int(value, minimum=1, maximum=MAX_ID)


class IdConverter:
    """``<id:work_id>`` in a URL: a positive id in ASCII digits. Anything else (zero, a
    number no row can have) does not match the pattern, so the request answers 404."""

    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = parse_id(value)
        if number is None:
            raise ValueError(value)
        return number

    def to_url(self, value: int) -> str:
        return str(int(value))


class NameConverter:
    """``<name:login>`` in a URL: a name (a login, a pseud, a tag, a collection), any text
    without a slash, as Django's ``str``, and without a NUL: no name holds one, and PostgreSQL
    refuses one in a query, so a path with a NUL does not match and answers 404."""

    regex = r"[^/\x00]+"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value) -> str:
        return str(value)


# Form fields ---------------------------------------------------------------------------------


class NumberField(forms.IntegerField):
    """Django's IntegerField reads any Unicode digit ("٣" is 3); this one only ASCII digits,
    through `parse_int`, and says so when the value is not a whole number."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        number = parse_int(str(value).strip(), minimum=-MAX_INT, maximum=MAX_INT)
        if number is None:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return number


class IdChoiceField(forms.ModelChoiceField):
    """A ModelChoiceField whose submitted pk must be an id `parse_id` accepts."""

    def to_python(self, value):
        if value not in self.empty_values and parse_id(str(value)) is None:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class IdMultipleChoiceField(forms.ModelMultipleChoiceField):
    """A ModelMultipleChoiceField whose submitted pks must all be ids `parse_id` accepts."""

    def _check_values(self, value):
        for pk in value:
            if parse_id(str(pk)) is None:
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super()._check_values(value)
