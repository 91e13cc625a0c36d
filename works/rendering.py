"""The one place that turns author text into HTML.

Markdown first (it lets plain HTML through, so text pasted from AO3 or a word processor keeps
its markup), then bleach with an allow-list close to AO3's, then our own URL check: bleach
alone keeps shapes such as `href="java&#09;script:..."` whose scheme a browser still reads.
Text is rendered once, when it is saved; RENDER_VERSION goes up whenever the output for the
same input would change, and `manage.py rerender` upgrades older rows.

bleach is deprecated upstream, so this is the only module that imports it.
"""

import html
import re
import unicodedata
from html.parser import HTMLParser

import bleach
import markdown
from django.utils.safestring import SafeString, mark_safe

RENDER_VERSION = 1

ALLOWED_SCHEMES = frozenset({"http", "https", "mailto"})

_INLINE_TAGS = {
    "a",
    "abbr",
    "acronym",
    "b",
    "big",
    "br",
    "cite",
    "code",
    "del",
    "dfn",
    "em",
    "i",
    "ins",
    "kbd",
    "q",
    "s",
    "samp",
    "small",
    "span",
    "strike",
    "strong",
    "sub",
    "sup",
    "tt",
    "u",
    "var",
}
_BLOCK_TAGS = {"blockquote", "p", "div", "ul", "ol", "li", "dl", "dt", "dd", "hr", "pre"}
_RICH_TAGS = {
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "img",
    "center",
    "details",
    "summary",
    "ruby",
    "rb",
    "rp",
    "rt",
    "rtc",
    "table",
    "caption",
    "colgroup",
    "col",
    "thead",
    "tbody",
    "tfoot",
    "tr",
    "th",
    "td",
    "figure",
    "figcaption",
}

_COMMON_ATTRIBUTES = ["title", "lang", "dir", "align", "class"]
_ATTRIBUTES = {
    "a": ["href", "name", "rel"],
    "img": ["src", "alt", "width", "height"],
    "ol": ["start", "type", "reversed"],
    "ul": ["type"],
    "li": ["value"],
    "td": ["colspan", "rowspan", "headers", "abbr"],
    "th": ["colspan", "rowspan", "headers", "abbr", "scope"],
    "col": ["span", "width"],
    "colgroup": ["span", "width"],
    "details": ["open"],
    "blockquote": ["cite"],
    "q": ["cite"],
    "del": ["cite", "datetime"],
    "ins": ["cite", "datetime"],
    "table": ["summary", "width"],
}
_URL_ATTRIBUTES = {"href", "src", "cite"}
# Everything a browser ignores inside a URL scheme: whitespace, controls, format characters.
_INVISIBLE_CATEGORIES = {"Cc", "Cf", "Zs", "Zl", "Zp"}
_SCHEME_RE = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):")


def _is_safe_url(value: str) -> bool:
    """True for relative URLs, fragments and http(s)/mailto; False for any other scheme."""
    decoded = html.unescape(value)
    visible = "".join(ch for ch in decoded if unicodedata.category(ch) not in _INVISIBLE_CATEGORIES)
    visible = unicodedata.normalize("NFKC", visible)
    match = _SCHEME_RE.match(visible)
    if match:
        return match.group(1).lower() in ALLOWED_SCHEMES
    # A colon before any "/", "?" or "#" would be read as a scheme by some parser: refuse it.
    head = re.split(r"[/?#]", visible, maxsplit=1)[0]
    return ":" not in head


def _attribute_filter(allowed):
    def check(tag, name, value):
        if name not in _COMMON_ATTRIBUTES and name not in allowed.get(tag, ()):
            return False
        if name in _URL_ATTRIBUTES:
            return _is_safe_url(value)
        return True

    return check


def _make_cleaner(tags, attributes):
    return bleach.sanitizer.Cleaner(
        tags=frozenset(tags),
        attributes=_attribute_filter(attributes),
        protocols=ALLOWED_SCHEMES,
        strip=True,
        strip_comments=True,
        filters=[],
    )


_FULL_CLEANER = _make_cleaner(_INLINE_TAGS | _BLOCK_TAGS | _RICH_TAGS, _ATTRIBUTES)
# Summaries and comments: no images, headings or tables.
_STRICT_CLEANER = _make_cleaner(
    _INLINE_TAGS | _BLOCK_TAGS,
    {k: v for k, v in _ATTRIBUTES.items() if k in _INLINE_TAGS | _BLOCK_TAGS},
)

_MARKDOWN_EXTENSIONS = ["tables", "fenced_code", "sane_lists", "nl2br"]


def _markdown_to_html(text: str) -> str:
    # A fresh Markdown instance per call: the class keeps state between conversions.
    md = markdown.Markdown(extensions=_MARKDOWN_EXTENSIONS, output_format="html")
    # Prose pasted from a word processor often starts paragraphs with a tab or four spaces;
    # as Markdown that would be a code block. Fenced code (```) still works.
    md.parser.blockprocessors.deregister("code")
    return md.convert(text)


def _render(text: str, cleaner) -> SafeString:
    if not text or not text.strip():
        return mark_safe("")
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    cleaned = cleaner.clean(_markdown_to_html(text))
    return mark_safe(cleaned.strip())


def render_markdown(text: str) -> SafeString:
    """Chapter text, notes, end notes, series and collection descriptions."""
    return _render(text, _FULL_CLEANER)


def render_summary(text: str) -> SafeString:
    """Summaries: the stricter list (no images, headings or tables)."""
    return _render(text, _STRICT_CLEANER)


def render_comment(text: str) -> SafeString:
    """Comments and bookmark notes: the same strict list as summaries."""
    return _render(text, _STRICT_CLEANER)


# Scripts written without spaces between words: each character counts as one word (AO3 counts
# the Han, Hiragana, Katakana and Thai scripts this way).
_CHARACTER_WORDS = (
    "\u0e00-\u0e7f"  # Thai
    "\u2e80-\u2fdf\u3005\u3007\u3021-\u3029\u3038-\u303b"  # Han radicals and marks
    "\u3041-\u3096\u309d-\u309f"  # Hiragana
    "\u30a1-\u30ff\u31f0-\u31ff\uff66-\uff9d"  # Katakana, small and halfwidth forms
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"  # Han
    "\U0001b000-\U0001b16f"  # Kana supplement and extensions
    "\U00020000-\U0003134f"  # Han, supplementary planes
)
_CHARACTER_WORD_RE = re.compile(f"[{_CHARACTER_WORDS}]")


def _mark_ranges() -> str:
    """Combining marks as a regex class body: they belong to the word they sit in (Devanagari
    vowel signs, decomposed accents), though Python's \\w leaves them out."""
    ranges, start, previous = [], None, None
    for code in range(0x300, 0x20000):
        if unicodedata.category(chr(code)) in ("Mn", "Mc", "Me"):
            if start is None:
                start = code
            elif code != previous + 1:
                ranges.append((start, previous))
                start = code
            previous = code
    ranges.append((start, previous))
    ranges.append((0xE0100, 0xE01EF))  # variation selectors supplement
    return "".join(f"\\U{a:08x}-\\U{b:08x}" for a, b in ranges)


_WORD_RUN_RE = re.compile(f"[\\w{_mark_ranges()}]+")
# Dropped before counting, so "one-word" and "one's" are one word; "--" stands for a dash.
_JOINERS_RE = re.compile("[-'\u2018\u2019\u2010\u2011]")


class _TextNodes(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.nodes: list[str] = []

    def handle_data(self, data):
        self.nodes.append(data)


def count_words(rendered_html: str) -> int:
    """Words in rendered text, as AO3 counts them.

    Each text node is counted on its own (markup separates words, and is never counted); runs
    of letters, digits and marks are words once hyphens and apostrophes are dropped, so text
    made only of punctuation counts nothing; each CJK or Thai character is one word.
    """
    if not rendered_html:
        return 0
    parser = _TextNodes()
    parser.feed(rendered_html)
    parser.close()
    total = 0
    for node in parser.nodes:
        text = _JOINERS_RE.sub("", node.replace("--", "\u2014"))
        total += len(_CHARACTER_WORD_RE.findall(text))
        text = _CHARACTER_WORD_RE.sub(" ", text)
        total += sum(1 for run in _WORD_RUN_RE.findall(text) if run.strip("_"))
    return total


# E-books ----------------------------------------------------------------------------------
# EPUB 3 wants XHTML: well-formed XML, HTML5's content models, no remote images, and links
# that resolve. `ebook_xhtml` takes HTML this module already sanitized (and the download
# templates' own markup around it) and rewrites what an e-book reader would reject.

_EBOOK_RENAMES = {
    "acronym": ("abbr", None),
    "big": ("span", "big"),
    "strike": ("s", None),
    "tt": ("code", None),
    "center": ("div", "center"),
    "rb": ("span", None),
    "rtc": ("span", None),
}
# Attributes HTML5 made obsolete, per element ("*": every element).
_EBOOK_DROPPED = {
    "*": {"align"},
    "table": {"summary", "width"},
    "col": {"width"},
    "colgroup": {"width"},
    "ul": {"type"},
    "img": {"width", "height"},
}
_EBOOK_RELS = {"tag", "author", "nofollow", "noopener", "noreferrer", "external", "bookmark"}
_LANG_RE = re.compile(r"^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$")
_XML_INVALID_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_VOID = {"br", "hr", "img", "col", "wbr"}
_LIST_PARENTS = {"li": {"ul", "ol", "menu"}, "dt": {"dl"}, "dd": {"dl"}}


def _ebook_href(value: str, base_url: str, ids: set[str]) -> str | None:
    if value.startswith("#"):
        return value if value[1:] in ids else None
    if not _is_safe_url(value):
        return None
    if _SCHEME_RE.match(value):
        return value
    if value.startswith("//"):
        return "https:" + value
    from urllib.parse import urljoin

    return urljoin(base_url.rstrip("/") + "/", value)


def ebook_xhtml(sanitized_html: str, *, base_url: str) -> str:
    """The same content as XHTML an EPUB 3 checker accepts: obsolete elements and attributes
    become their HTML5 forms, images by URL become links to them (an EPUB may not load remote
    images), relative links point at the archive (`base_url`), links to missing anchors and
    unknown rel values go, and list items outside a list become plain blocks."""
    from lxml import etree
    from lxml import html as lxml_html

    text = _XML_INVALID_RE.sub("", sanitized_html or "")
    if not text.strip():
        return ""
    root = lxml_html.fragment_fromstring(text, create_parent="div")
    for comment in root.xpath("//comment() | //processing-instruction()"):
        comment.getparent().remove(comment)
    ids = set()
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        anchor = element.attrib.pop("name", None) if element.tag == "a" else None
        if anchor and "id" not in element.attrib and not re.search(r"\s", anchor):
            element.attrib["id"] = anchor
        element_id = element.attrib.get("id")
        if element_id:
            if element_id in ids:
                del element.attrib["id"]
            else:
                ids.add(element_id)
    for element in list(root.iter()):
        if not isinstance(element.tag, str):
            continue
        tag = element.tag.lower()
        if tag in _EBOOK_RENAMES:
            tag, css = _EBOOK_RENAMES[tag]
            if css:
                element.attrib["class"] = f"{element.attrib.get('class', '')} {css}".strip()
        parents = _LIST_PARENTS.get(tag)
        parent = element.getparent()
        if parents and (parent is None or parent.tag not in parents):
            tag = "div"
        element.tag = tag
        for name in _EBOOK_DROPPED["*"] | _EBOOK_DROPPED.get(tag, set()):
            element.attrib.pop(name, None)
        lang = element.attrib.get("lang")
        if lang is not None and not _LANG_RE.match(lang):
            del element.attrib["lang"]
        if element.attrib.get("dir") not in (None, "ltr", "rtl", "auto"):
            del element.attrib["dir"]
        if tag == "a":
            rels = [r for r in element.attrib.pop("rel", "").split() if r.lower() in _EBOOK_RELS]
            if rels:
                element.attrib["rel"] = " ".join(rels)
            href = element.attrib.pop("href", None)
            href = _ebook_href(href, base_url, ids) if href else None
            if href:
                element.attrib["href"] = href
        elif tag == "img":
            src = element.attrib.get("src")
            src = _ebook_href(src, base_url, ids) if src else None
            label = element.attrib.get("alt") or element.attrib.get("title") or "image"
            link = etree.Element("a", {"class": "image"})
            if src:
                link.attrib["href"] = src
            link.text = f"[{label}]"
            link.tail = element.tail
            element.getparent().replace(element, link)
        for name in ("src", "cite"):
            value = element.attrib.get(name)
            if value is not None:
                fixed = _ebook_href(value, base_url, ids)
                if fixed and not fixed.startswith("#"):
                    element.attrib[name] = fixed
                else:
                    del element.attrib[name]
    for element in root.iter():
        # Characters XML forbids, written as entities in the source (&#65534;).
        if element.text:
            element.text = _XML_INVALID_RE.sub("", element.text)
        if element.tail:
            element.tail = _XML_INVALID_RE.sub("", element.tail)
        for name, value in list(element.attrib.items()):
            element.attrib[name] = _XML_INVALID_RE.sub("", value)
        # <a id="x"></a>, not <a id="x"/>: readers that parse the page as HTML would open an
        # element there that swallows the rest.
        if isinstance(element.tag, str) and element.tag not in _VOID and len(element) == 0:
            element.text = element.text or ""
    parts = [etree.tostring(child, method="xml", encoding="unicode") for child in root]
    head = html.escape(root.text, quote=False) if root.text else ""
    return head + "".join(parts)


def render_ebook(text: str) -> SafeString:
    """Chapter text as an e-book page holds it (render_markdown, then ebook_xhtml): the
    security corpus runs through this path too."""
    return mark_safe(ebook_xhtml(render_markdown(text), base_url="https://archive.invalid/"))
