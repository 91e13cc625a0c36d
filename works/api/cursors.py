"""Cursor pagination for the API's lists of works and bookmarks.

A cursor is opaque and signed (django.core.signing): it names the last item a page gave (its
id and its sort key), the number of items before the next page, and a digest of the filters
it was made for. A cursor that was tampered with, or is sent with other filters, answers 422.

The next page starts after that last item, so paging stays stable while works are posted or
updated: from the listing's own ids in order when counting read them (or the presort's
candidates, works.listing.presort), and otherwise by keyset, "after (sort key, id)" on the
listing's ordered queryset, which reads an index from that point instead of an OFFSET.
"""

import datetime
import hashlib
import json
from dataclasses import dataclass

from django.core import signing
from django.db import connection
from django.db.models import F, Q
from django.db.models.expressions import OrderBy
from django.db.models.sql.where import WhereNode
from django.utils.translation import gettext as _

from works.api.problems import Problem

SALT = "works.api.cursor"
DEFAULT_LIMIT = 20
MAX_LIMIT = 100


@dataclass(frozen=True)
class Cursor:
    position: int  # items before the next page
    last_id: int
    key: list  # the last item's sort key values (datetimes as ["dt", iso])


def filters_digest(path: str, params: dict) -> str:
    """What a cursor is bound to: the endpoint and every parameter but `cursor` and `limit`."""
    kept = {k: v for k, v in params.items() if k not in ("cursor", "limit") and v not in (None, [])}
    text = json.dumps([path, kept], sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _bad_cursor() -> Problem:
    message = _("This cursor is not valid for this list; start again without it.")
    return Problem(422, f"cursor: {message}", code="invalid", errors={"cursor": [message]})


def encode(cursor: Cursor, digest: str) -> str:
    payload = {"p": cursor.position, "i": cursor.last_id, "k": cursor.key, "f": digest}
    return signing.dumps(payload, salt=SALT, compress=True)


def decode(text: str | None, digest: str) -> Cursor | None:
    """The cursor sent, None without one; 422 for one tampered with or for other filters."""
    if not text:
        return None
    try:
        payload = signing.loads(text[:2000], salt=SALT)
        cursor = Cursor(int(payload["p"]), int(payload["i"]), list(payload["k"]))
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise _bad_cursor() from None
    if payload.get("f") != digest or cursor.position < 0:
        raise _bad_cursor()
    return cursor


# Keyset --------------------------------------------------------------------------------


def _order_keys(ordered) -> list[OrderBy]:
    keys = []
    for item in ordered.query.order_by:
        if isinstance(item, str):
            keys.append(OrderBy(F(item.lstrip("-")), descending=item.startswith("-")))
        else:
            keys.append(item)
    return keys


def _nulls_last(key: OrderBy) -> bool:
    if key.nulls_last or key.nulls_first:
        return bool(key.nulls_last)
    # Each database's default: PostgreSQL sorts NULL as the largest value, SQLite the smallest.
    largest = connection.vendor == "postgresql"
    return largest != key.descending


def _dump(value):
    if isinstance(value, datetime.datetime):
        return ["dt", value.isoformat()]
    if isinstance(value, datetime.date):
        return ["d", value.isoformat()]
    if value is None or isinstance(value, (int, float, str)):
        return value
    return float(value)


def _load(value):
    if isinstance(value, list) and len(value) == 2 and value[0] in ("dt", "d"):
        if value[0] == "dt":
            return datetime.datetime.fromisoformat(value[1])
        return datetime.date.fromisoformat(value[1])
    return value


def sort_key(ordered, item_id: int) -> list:
    """The sort key of one item the listing gave (one query by its id: the listing's own
    conditions, such as its tags, are left out, since the item is known to meet them)."""
    keys = _order_keys(ordered)
    names = {f"_key{i}": key.expression for i, key in enumerate(keys)}
    unfiltered = ordered.all()
    unfiltered.query.where = WhereNode()
    row = unfiltered.filter(pk=item_id).annotate(**names).values_list(*names).first()
    return [_dump(v) for v in row] if row else []


def _later(names, keys, values) -> Q:
    """Rows after `values` on the keys `names` (lexicographic, NULLs where the order puts
    them); for the keys after the first, which break its ties."""
    condition, equal = Q(pk__in=[]), Q()
    for name, order, value in zip(names, keys, values, strict=True):
        nulls_last = _nulls_last(order)
        if value is None:
            later = Q(pk__in=[]) if nulls_last else Q(**{f"{name}__isnull": False})
            same = Q(**{f"{name}__isnull": True})
        else:
            later = Q(**{f"{name}__{'lt' if order.descending else 'gt'}": value})
            if nulls_last:
                later |= Q(**{f"{name}__isnull": True})
            same = Q(**{name: value})
        condition |= equal & later
        equal &= same
    return condition


def after_ids(ordered, key: list, limit: int) -> list[int]:
    """Up to `limit` ids of the listing's works after the sort key `key`, in order (keyset:
    no OFFSET). The first key is bounded on its own ("<= v", which an index can start from)
    and its NULLs, which sort apart, are read by a second query only when the page reaches
    them."""
    keys = _order_keys(ordered)
    if len(key) != len(keys) or not keys:
        raise _bad_cursor()
    names = [f"_key{i}" for i in range(len(keys))]
    aliased = ordered.alias(**{name: k.expression for name, k in zip(names, keys, strict=True)})
    values = [_load(v) for v in key]
    first, order, value = names[0], keys[0], values[0]
    rest = _later(names[1:], keys[1:], values[1:]) if len(keys) > 1 else Q(pk__in=[])
    nulls_last = _nulls_last(order)
    if value is None:
        parts = [Q(**{f"{first}__isnull": True}) & rest]
        if not nulls_last:
            parts.append(Q(**{f"{first}__isnull": False}))
    else:
        bound = "lte" if order.descending else "gte"
        strictly = "lt" if order.descending else "gt"
        parts = [
            Q(**{f"{first}__{bound}": value})
            & (Q(**{f"{first}__{strictly}": value}) | (Q(**{first: value}) & rest))
        ]
        if nulls_last:
            parts.append(Q(**{f"{first}__isnull": True}))
    ids = []
    for part in parts:
        ids += aliased.filter(part).values_list("pk", flat=True)[: limit - len(ids)]
        if len(ids) >= limit:
            break
    return ids
