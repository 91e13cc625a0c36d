"""A small HTML reader for markup tests: html5lib parses as a browser does, and `select()`
understands the selectors docs/markup.md is written in: `tag#id.class.class[attr][attr=value]`,
joined by spaces (descendant) or `>` (child). `[attr^=v]` and `[attr$=v]` match the start
or the end of a value."""

import re
import xml.etree.ElementTree as ET

import html5lib

_PART = re.compile(
    r"#(?P<id>[\w-]+)"
    r"|\.(?P<cls>[\w-]+)"
    r"|\[(?P<attr>[\w-]+)(?:(?P<op>[\^$*]?=)(?P<val>[^\]]*))?\]"
)
_TAG = re.compile(r"^[a-zA-Z][a-zA-Z0-9]*|^\*")


def parse(content) -> ET.Element:
    if isinstance(content, bytes):
        content = content.decode("utf-8")
    return html5lib.parse(content, namespaceHTMLElements=False)


def text(element: ET.Element) -> str:
    """The element's text with runs of white space made single spaces."""
    return " ".join("".join(element.itertext()).split())


def _compile(compound: str):
    tag_match = _TAG.match(compound)
    tag = tag_match.group(0) if tag_match else "*"
    rest = compound[tag_match.end() :] if tag_match else compound
    ids, classes, attrs, position = [], [], [], 0
    for part in _PART.finditer(rest):
        if part.start() != position:
            raise ValueError(f"cannot read selector {compound!r}")
        position = part.end()
        if part.group("id"):
            ids.append(part.group("id"))
        elif part.group("cls"):
            classes.append(part.group("cls"))
        else:
            value = part.group("val")
            if value is not None:
                value = value.strip("\"'")
            attrs.append((part.group("attr"), part.group("op"), value))
    if position != len(rest):
        raise ValueError(f"cannot read selector {compound!r}")
    return tag, ids, classes, attrs


def _matches(element: ET.Element, compiled) -> bool:
    tag, ids, classes, attrs = compiled
    if not isinstance(element.tag, str):
        return False
    if tag != "*" and element.tag != tag:
        return False
    if any(element.get("id") != wanted for wanted in ids):
        return False
    present = (element.get("class") or "").split()
    if any(cls not in present for cls in classes):
        return False
    for name, op, value in attrs:
        actual = element.get(name)
        if actual is None:
            return False
        if op == "=" and actual != value:
            return False
        if op == "^=" and not actual.startswith(value):
            return False
        if op == "$=" and not actual.endswith(value):
            return False
        if op == "*=" and value not in actual:
            return False
    return True


def select(root: ET.Element, selector: str) -> list[ET.Element]:
    """Elements under `root` matching `selector`, in document order."""
    tokens = selector.replace(">", " > ").split()
    current = None  # the first compound may match `root` itself, as in querySelectorAll
    combinator = " "
    for token in tokens:
        if token == ">":
            combinator = ">"
            continue
        compiled = _compile(token)
        found = {}
        if current is None:
            candidates = list(root.iter())
        else:
            candidates = [
                element
                for base in current
                for element in (list(base) if combinator == ">" else list(base.iter())[1:])
            ]
        for element in candidates:
            if _matches(element, compiled):
                found[id(element)] = element
        current = list(found.values())
        combinator = " "
    wanted = {id(e) for e in current or ()}
    return [e for e in list(root.iter())[1:] if id(e) in wanted]


def select_one(root: ET.Element, selector: str) -> ET.Element:
    found = select(root, selector)
    assert len(found) == 1, f"{selector!r}: expected one element, found {len(found)}"
    return found[0]


def parent_map(root: ET.Element) -> dict:
    return {child: parent for parent in root.iter() for child in parent}
