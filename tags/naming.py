"""AO3's escapes for tag names in URLs: "/"→"*s*", "&"→"*a*", "."→"*d*", "?"→"*q*", "#"→"*h*".

Authors may not type "*" in a tag name, so the escapes can never be ambiguous.
"""

_ESCAPES = [("/", "*s*"), ("&", "*a*"), (".", "*d*"), ("?", "*q*"), ("#", "*h*")]


def escape_tag_name(name: str) -> str:
    for char, escape in _ESCAPES:
        name = name.replace(char, escape)
    return name


def unescape_tag_name(escaped: str) -> str:
    for char, escape in _ESCAPES:
        escaped = escaped.replace(escape, char)
    return escaped
