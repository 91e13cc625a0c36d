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
