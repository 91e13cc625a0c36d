"""Hostile requests for the fuzz test (tests/test_hostile_requests.py).

- `routes()` walks the URL configuration from the root resolver, so a view added tomorrow
  is fuzzed without a new test.
- `hostile_values()` is a Hypothesis strategy of values no form would send: Unicode digits
  and letters, NUL, huge and negative numbers, very long strings, AO3 tag escapes broken in
  the middle, plus a few ordinary values (real ids, "true") so that deeper branches run too.
- `encode()` turns drawn pairs into a raw query string or form body, some of whose escapes
  are invalid UTF-8 or not escapes at all.
- `ReadKeys` records which parameters a view reads from request.GET and request.POST.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote

from django.http import QueryDict
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RegexPattern, RoutePattern
from hypothesis import strategies as st

HOSTILE_TEXT = [
    "²",  # isdigit() is true, int() refuses it
    "٣",  # isdecimal() is true, int() reads it as 3
    "１２",  # full-width digits
    "Ⅻ",
    "\x00",
    "1\x00",
    "-1",
    "-0",
    "0",
    "00",
    "+1",
    " 1",
    "1 ",
    "1.5",
    "1e3",
    "0x1f",
    "NaN",
    "inf",
    "9" * 40,
    str(2**31),
    str(2**63),
    str(-(2**63) - 1),
    "",
    " ",
    "true",
    "false",
    "T",
    "null",
    "[]",
    "{}",
    "a" * 20_000,
    "é" * 3_000,
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "../../etc/passwd",
    "%",
    "*s*",  # AO3's tag escapes: *s* /, *a* &, *d* ., *q* ?, *h* #
    "Fandom*s",
    "Fandom*",
    "*a",
    "**",
    "*x*",
    "Tag*d*",
    "\ud7ff\ue000",
    "\u202e\u200b",
    "2026-02-30",
    "99999-01-01",
]

# One of each kind, for the sweep that sets every parameter a view reads to the same value.
SWEEP = [
    "²",
    "٣",
    "Ⅻ",
    "\x00",
    "-1",
    "0",
    str(2**63),
    "9" * 40,
    "1.5",
    "a" * 20_000,
    "Fandom*s",
    "",
]

# Escapes that are not valid UTF-8, or not escapes at all, written straight into the raw
# query string or body.
BROKEN_ESCAPES = ["%C2", "%FF%FE", "%ED%A0%80", "%C0%AF", "%", "%Z", "%%", "%00", "%E2%82"]


def hostile_values(real: list[str]) -> st.SearchStrategy[str]:
    ordinary = st.sampled_from(real) if real else st.nothing()
    return st.one_of(
        st.sampled_from(HOSTILE_TEXT),
        ordinary,
        st.integers(min_value=-(2**70), max_value=2**70).map(str),
        st.text(st.characters(categories=["Nd", "No", "Nl"]), min_size=1, max_size=6),
        st.text(max_size=40),
        st.builds(lambda a, b: f"{a}*{b}", st.text(max_size=8), st.sampled_from("sadqh*x")),
    )


def hostile_keys(known: list[str]) -> st.SearchStrategy[str]:
    """Mostly the keys the view reads, sometimes a key nobody reads or a mangled one."""
    strategies = [st.text(max_size=12), st.sampled_from(["page", "[]", "work_search[", "%"])]
    if known:
        strategies.insert(0, st.sampled_from(known))
        strategies.insert(0, st.sampled_from(known))
    return st.one_of(*strategies)


@st.composite
def pairs(draw, keys: list[str], real: list[str]):
    """A list of (key, value) pairs, keys often repeated, each value written as a string or
    as raw bytes (None marks 'write a broken escape instead of the value')."""
    key_strategy = hostile_keys(keys)
    value_strategy = hostile_values(real)
    result = []
    for _ in range(draw(st.integers(min_value=0, max_value=6))):
        key = draw(key_strategy)
        repeat = draw(st.integers(min_value=1, max_value=3))
        for _ in range(repeat):
            broken = draw(st.sampled_from([None] * 6 + BROKEN_ESCAPES))
            result.append((key, draw(value_strategy), broken))
    return result


def sweep(keys: list[str], value: str, broken: str | None = None) -> str:
    """Every key set to `value` (followed by a broken escape when given), as a raw query."""
    return encode([(key, value, broken) for key in keys])


def encode(drawn: list[tuple[str, str, str | None]]) -> str:
    """A raw, percent-escaped query string; a broken escape replaces or follows some values."""
    parts = []
    for key, value, broken in drawn:
        written = quote(value, safe="")
        if broken is not None:
            written = broken if len(written) % 2 else written + broken
        parts.append(f"{quote(key, safe='[]')}={written}")
    return "&".join(parts)


# The URL configuration --------------------------------------------------------------------

_ROUTE_PARAM = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")
_REGEX_GROUP = re.compile(r"\(\?P<(?P<name>\w+)>(?P<body>[^()]*)\)")


@dataclass(frozen=True)
class Route:
    """One leaf of the URL configuration: `template` has {name} for each path parameter;
    `params` maps a name to the regex its value must match (the converter's or the group's)."""

    name: str
    template: str
    params: tuple[tuple[str, str], ...]
    admin: bool

    def __str__(self) -> str:
        return self.template


def _part(pattern) -> tuple[str, list[tuple[str, str]]]:
    if isinstance(pattern, RoutePattern):
        route, params = str(pattern), []
        converters = pattern.converters

        def swap(match):
            name = match["name"]
            params.append((name, converters[name].regex))
            return "{" + name + "}"

        return _ROUTE_PARAM.sub(swap, route.replace("{", "{{").replace("}", "}}")), params
    assert isinstance(pattern, RegexPattern), pattern
    regex, params = str(pattern).lstrip("^").removesuffix("$"), []

    def group(match):
        params.append((match["name"], match["body"]))
        return "{" + match["name"] + "}"

    template = _REGEX_GROUP.sub(group, regex.replace("{", "{{").replace("}", "}}"))
    return template.replace("\\", ""), params


def _walk(patterns, prefix: str, params: list, namespace: str):
    for pattern in patterns:
        template, found = _part(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace or namespace
            yield from _walk(pattern.url_patterns, prefix + template, params + found, inner)
        elif isinstance(pattern, URLPattern):
            full = "/" + prefix + template
            name = f"{namespace}:{pattern.name}" if namespace else (pattern.name or full)
            yield Route(name, full, tuple(params + found), admin=full.startswith("/admin/"))


def routes() -> list[Route]:
    """Every URL pattern of the running configuration, once each."""
    seen, result = set(), []
    for route in _walk(get_resolver().url_patterns, "", [], ""):
        if route.template not in seen:
            seen.add(route.template)
            result.append(route)
    return result


# What a view reads --------------------------------------------------------------------------


class ReadKeys:
    """While active, records every key looked up in any QueryDict (request.GET, request.POST)."""

    _methods = ("__getitem__", "get", "getlist", "__contains__", "pop", "setdefault")

    def __init__(self):
        self.keys: set[str] = set()
        self._saved = {}

    def __enter__(self):
        for name in self._methods:
            original = getattr(QueryDict, name)
            self._saved[name] = original

            def recording(qd, key, *args, _original=original, **kwargs):
                if isinstance(key, str):
                    self.keys.add(key)
                return _original(qd, key, *args, **kwargs)

            setattr(QueryDict, name, recording)
        return self

    def __exit__(self, *exc):
        for name, original in self._saved.items():
            setattr(QueryDict, name, original)
        return False


_FIELD_NAME = re.compile(r"""<(?:input|select|textarea|button)\b[^>]*\bname=["']([^"']+)["']""")
_LINK_QUERY = re.compile(r"""href=["'][^"'?#]*\?([^"'#]+)""")


def page_keys(html: str) -> set[str]:
    """The form field names and link query keys a page offers its reader."""
    keys = set(_FIELD_NAME.findall(html))
    for query in _LINK_QUERY.findall(html):
        keys.update(QueryDict(query.replace("&amp;", "&")).keys())
    return keys
