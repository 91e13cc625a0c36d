"""AO3's escapes for tag names in URLs: "/"→"*s*", "&"→"*a*", "."→"*d*", "?"→"*q*", "#"→"*h*".

Authors may not type "*" in a tag name, so an escaped name is a run of plain characters and
escape tokens, and reading it left to right in one pass is never ambiguous. (Replacing each
escape in turn is not: "&s/" escapes to "*a*s*s*", where "*s*" also appears across the
first two tokens.)
"""

import re

_ESCAPES = {"/": "*s*", "&": "*a*", ".": "*d*", "?": "*q*", "#": "*h*"}
_UNESCAPES = {escape: char for char, escape in _ESCAPES.items()}
_ESCAPE_CHARS = re.compile("[" + re.escape("".join(_ESCAPES)) + "]")
_ESCAPE_TOKENS = re.compile(r"\*[sadqh]\*")


def escape_tag_name(name: str) -> str:
    """The form of a tag name used in URLs: `escape_tag_name("Kirk/Spock") == "Kirk*s*Spock"`."""
    return _ESCAPE_CHARS.sub(lambda match: _ESCAPES[match.group()], name)


def unescape_tag_name(escaped: str) -> str:
    """The tag name an escaped URL segment stands for (the inverse of escape_tag_name)."""
    return _ESCAPE_TOKENS.sub(lambda match: _UNESCAPES[match.group()], escaped)
