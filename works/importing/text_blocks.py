"""A story's text, plain or HTML, cut into blocks (paragraphs, headings, scene breaks), each
with its plain text for the heuristics of works/importing/ffn_text.py and the HTML it becomes.

Plain text: blank lines separate paragraphs. Where a text has (almost) no blank lines, each
line is a paragraph, as in a file saved from a word processor; inside a blank-line paragraph,
lines wrapped at a fixed width are joined and other line breaks are kept as `<br>`. The first
paragraph of a text (where title, author and summary usually stand on lines of their own) and
any labelled or heading line are always blocks of their own.

HTML: `p`, headings, lists, block quotes, tables and `pre` are blocks as they are; text and
inline elements between them are cut into lines at each `<br>` and then read like plain text
(two `<br>` in a row make a blank line). Everything is kept as HTML: the posting services render
and sanitise it later (works/rendering.py), as they do what an author types.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

import lxml.html
from lxml import etree

BLOCK_TAGS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "ul", "ol", "pre", "table"}
BLOCK_TAGS |= {"dl", "figure", "details", "address"}
CONTAINER_TAGS = {"html", "body", "div", "section", "article", "main", "center", "header"}
CONTAINER_TAGS |= {"footer", "aside", "nav", "font", "form", "span"}
DROPPED_TAGS = {"head", "script", "style", "noscript", "template", "iframe", "object", "title"}
HTML_HINT = re.compile(r"<\s*(p|br|div|span|em|i|b|strong|h[1-6]|hr|html|body|center|font)\b", re.I)
UNSAFE_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
SEPARATOR = re.compile(r"^[\s*~=_#.+oOxX0°·•\-–—]{3,40}$")
# A line that starts something of its own: a label ("Summary:", "A/N:") or a chapter heading.
LABEL_START = re.compile(
    r"^\s*[\[(]?\s*(title|author|by|written by|summary|rating|rated|disclaimer|a/n|an|"
    r"author'?s notes?|authors? notes?|notes?|warnings?|fandoms?|characters?|pairings?|genres?)"
    r"\s*[:\-–—]",
    re.I,
)
HEADING_START = re.compile(
    r"^\s*(chapter|ch\.|chap\.|capítulo|capitulo|kapitel|chapitre|prologue|epilogue)\b", re.I
)


@dataclass
class Block:
    text: str  # plain text, whitespace collapsed
    html: str  # what the block becomes in a text field
    line: int  # where it starts in the source (1-based; HTML: the element's line)
    kind: str = "para"  # para, break (scene break), element (p, list, heading ...)
    # Blocks of one run of lines (no blank line between them) share this number; each
    # element is a run of its own.
    run: int = 0


def xml_safe(text: str) -> str:
    """The text without what no HTML document may hold and lxml refuses: NUL and other
    control characters (tab and line breaks stay), lone surrogates, U+FFFE and U+FFFF."""
    return UNSAFE_CHARACTERS.sub("", text)


def looks_like_html(text: str) -> bool:
    return bool(HTML_HINT.search(text))


def blocks(text: str, *, html_input: bool | None = None) -> tuple[list[Block], dict]:
    """The text's blocks, and what was noticed on the way ({"joined": True} when wrapped
    lines were joined, {"title": ...} for an HTML document's <title>)."""
    text = xml_safe(text).replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    if html_input is None:
        html_input = looks_like_html(text)
    notes: dict = {}
    items = _html_items(text, notes) if html_input else _plain_items(text)
    return _group(items, notes), notes


# --- items: lines, blank lines and whole elements ---------------------------------------------


@dataclass
class _Line:
    text: str
    html: str
    line: int


_BLANK = None


def _plain_items(text: str) -> list:
    items = []
    for number, line in enumerate(text.split("\n"), start=1):
        stripped = line.strip()
        if not stripped:
            items.append(_BLANK)
        else:
            items.append(
                _Line(" ".join(stripped.split()), html.escape(stripped, quote=False), number)
            )
    return items


def _html_items(text: str, notes: dict) -> list:
    try:
        root = lxml.html.document_fromstring(text)
    except (ValueError, etree.ParserError):
        return _plain_items(text)
    title = root.find(".//title")
    if title is not None and title.text_content().strip():
        notes["title"] = " ".join(title.text_content().split())
    items: list = []
    line = _LineBuilder(items)
    _walk(root, items, line)
    line.flush()
    return items


class _LineBuilder:
    """Collects text and inline elements into one line until a `<br>` or a block ends it."""

    def __init__(self, items):
        self.items, self.parts, self.texts, self.line, self.breaks = items, [], [], 0, 0

    def add(self, fragment: str, text: str, line: int | None):
        if text.strip() or (fragment.strip() and fragment.lstrip().startswith("<")):
            if not self.parts and line:
                self.line = line
            self.parts.append(fragment)
            self.texts.append(text)
            self.breaks = 0
        elif self.parts:
            self.parts.append(" ")
            self.texts.append(" ")

    def br(self):
        self.flush()
        self.breaks += 1
        if self.breaks == 2:
            self.items.append(_BLANK)

    def flush(self):
        fragment, text = "".join(self.parts).strip(), " ".join("".join(self.texts).split())
        self.parts, self.texts = [], []
        if fragment:
            self.items.append(_Line(text, fragment, self.line))


def _walk(element, items, line: _LineBuilder):
    line.add(_escaped(element.text), element.text or "", element.sourceline)
    for child in element:
        tag = child.tag.lower() if isinstance(child.tag, str) else ""
        if tag in DROPPED_TAGS or not tag:
            pass
        elif tag == "br":
            line.br()
        elif tag == "hr":
            line.flush()
            items.append(Block("", "<hr>", child.sourceline or 0, kind="break"))
        elif tag in BLOCK_TAGS:
            line.flush()
            items.append(_element_block(child))
            items.append(_BLANK)
        elif tag in CONTAINER_TAGS and _has_blocks(child):
            line.flush()
            _walk(child, items, line)
            line.flush()
        else:
            markup = lxml.html.tostring(child, encoding="unicode", with_tail=False)
            line.add(markup, child.text_content(), child.sourceline)
        line.add(_escaped(child.tail), child.tail or "", None)


def _escaped(text: str | None) -> str:
    return html.escape(text or "", quote=False)


def _has_blocks(element) -> bool:
    return any(
        isinstance(e.tag, str) and e.tag.lower() in BLOCK_TAGS | {"br", "hr"} | CONTAINER_TAGS
        for e in element.iterdescendants()
    )


def _element_block(element) -> Block:
    text = " ".join(element.text_content().split())
    markup = lxml.html.tostring(element, encoding="unicode", with_tail=False)
    return Block(text, markup, element.sourceline or 0, kind="element")


# --- grouping lines into paragraphs ----------------------------------------------------------


def _group(items: list, notes: dict) -> list[Block]:
    lines = [item for item in items if isinstance(item, _Line)]
    blank_runs = sum(
        1 for a, b in zip(items, items[1:], strict=False) if a is _BLANK and b is not _BLANK
    )
    # Paragraphs are separated by blank lines only if the text has a good share of them.
    by_blank_lines = blank_runs >= max(2, len(lines) // 5)
    result: list[Block] = []
    run: list[_Line] = []
    runs = 0

    def close_run():
        nonlocal runs
        if run:
            for block in _run_blocks(run, by_blank_lines and runs > 0, notes):
                block.run = runs
                result.append(block)
            runs += 1
        run.clear()

    for item in items:
        if item is _BLANK:
            close_run()
        elif isinstance(item, Block):
            close_run()
            item.run = runs
            runs += 1
            result.append(item)
        else:
            run.append(item)
    close_run()
    for block in result:
        if block.kind == "para" and SEPARATOR.match(block.text):
            block.kind = "break"
    return result


def _run_blocks(run: list[_Line], as_paragraphs: bool, notes: dict) -> list[Block]:
    """Lines between two blank lines: one paragraph, or one block per line."""
    if not as_paragraphs:
        return [_paragraph([line]) for line in run]
    blocks_out, current = [], []
    for line in run:
        starts_own = LABEL_START.match(line.text) or HEADING_START.match(line.text)
        if starts_own or SEPARATOR.match(line.text):
            if current:
                blocks_out.append(_joined(current, notes))
            current = [line]
            if not LABEL_START.match(line.text):  # a heading or separator stands alone
                blocks_out.append(_paragraph(current))
                current = []
        else:
            current.append(line)
    if current:
        blocks_out.append(_joined(current, notes))
    return blocks_out


def _joined(lines: list[_Line], notes: dict) -> Block:
    lengths = [len(line.text) for line in lines[:-1]]
    wrapped = len(lines) > 1 and all(50 <= n <= 100 for n in lengths)
    wrapped = wrapped and (max(lengths) - min(lengths) <= 30)
    if len(lines) > 1 and wrapped:
        notes["joined"] = True
    return _paragraph(lines, joiner=" " if wrapped else "<br>\n")


def _paragraph(lines: list[_Line], joiner: str = "<br>\n") -> Block:
    text = " ".join(line.text for line in lines)
    inner = joiner.join(line.html.strip() for line in lines)
    return Block(text, f"<p>{inner}</p>", lines[0].line)
