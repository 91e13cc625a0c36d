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

import bleach
import markdown
from django.utils.html import strip_tags
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
        if name == "rel":
            return True
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
    return markdown.Markdown(extensions=_MARKDOWN_EXTENSIONS, output_format="html").convert(text)


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


# Scripts written without spaces between words: each character counts as one word (AO3).
_CHARACTER_WORDS = (
    r"\u0E00-\u0E7F"  # Thai
    r"\u3040-\u309F"  # Hiragana
    r"\u30A0-\u30FF"  # Katakana
    r"\u3400-\u4DBF\u4E00-\u9FFF\uF900-\uFAFF"  # Han
    r"\U00020000-\U0002FA1F"  # Han, supplementary planes
)
_CHARACTER_WORD_RE = re.compile(f"[{_CHARACTER_WORDS}]")
_WORD_RE = re.compile(r"[^\s]*\w[^\s]*")


def count_words(rendered_html: str) -> int:
    """Words in rendered text, as AO3 counts them: CJK and Thai characters one word each."""
    text = html.unescape(strip_tags(rendered_html))
    characters = len(_CHARACTER_WORD_RE.findall(text))
    rest = _CHARACTER_WORD_RE.sub(" ", text)
    return characters + len(_WORD_RE.findall(rest))
