"""Finds interface text a template shows without `{% translate %}`: the text between tags and
the attributes readers see or hear (alt, title, placeholder, aria-label, a button's value).

Only symbols, numbers and markup may stay untranslated. Template comments, `<script>` and
`<style>` bodies and the insides of `{% blocktranslate %}` are skipped."""

import re
from pathlib import Path

from django.template.base import Lexer, TokenType

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
# Django's own admin templates are translated by Django; ours extend them.
SKIPPED_BLOCKS = {
    "comment": "endcomment",
    "blocktranslate": "endblocktranslate",
    "blocktrans": "endblocktrans",
}
# Blocks that hold class names, never text.
CLASS_BLOCKS = {"body_class", "main_class", "bodyclass"}
TAG = re.compile(r"<(script|style)\b.*?</\1\s*>|<!--.*?-->|<[^>]*>", re.S | re.I)
ELEMENT = re.compile(r"<[a-z][^>]*>", re.I)
SEEN_ATTRIBUTE = re.compile(
    r"""\b(alt|title|placeholder|aria-label|label)\s*=\s*"([^"]*)\"""", re.I
)
BUTTON_VALUE = re.compile(
    r"""\btype\s*=\s*"(?:submit|button|reset)".*?\b(value)\s*=\s*"([^"]*)\"""", re.I | re.S
)
# Words readers' AO3 tools match exactly, so they stay English in every interface language
# (docs/markup.md: FanFicFare and ao3-api look for img[title="Restricted"]).
CLIENT_CONTRACT = {'alt="(Restricted)"', 'title="Restricted"'}
PLACEHOLDER = "\x00"  # where a {{ variable }} or {% tag %} stood
ENTITY = re.compile(r"&#?\w+;")
WORDLIKE = re.compile(r"[^\W\d_]", re.U)


def _template_text(source: str) -> str:
    """The template's markup with template tags replaced by PLACEHOLDER and skipped blocks
    left out."""
    parts, closing = [], None
    for token in Lexer(source).tokenize():
        if closing:
            if token.token_type == TokenType.BLOCK and token.contents.split()[0] == closing:
                closing = None
            continue
        if token.token_type == TokenType.TEXT:
            parts.append(token.contents)
        elif token.token_type == TokenType.BLOCK:
            name, *args = token.contents.split()
            closing = SKIPPED_BLOCKS.get(name)
            if name == "block" and args and args[0] in CLASS_BLOCKS:
                closing = "endblock"
            parts.append(PLACEHOLDER)
        elif token.token_type == TokenType.VAR:
            parts.append(PLACEHOLDER)
    return "".join(parts)


def _is_text(fragment: str) -> bool:
    fragment = ENTITY.sub(" ", fragment.replace(PLACEHOLDER, " "))
    return bool(WORDLIKE.search(fragment))


def untranslated(source: str) -> list[str]:
    """Visible strings of one template that are not inside a translation tag."""
    markup = _template_text(source)
    found = []
    for element in ELEMENT.findall(markup):
        pairs = SEEN_ATTRIBUTE.findall(element)
        if element[:6].lower() == "<input":  # a <button>'s value is never shown
            pairs += BUTTON_VALUE.findall(element)
        found.extend(
            shown
            for shown in (f'{name}="{value.strip()}"' for name, value in pairs if _is_text(value))
            if shown not in CLIENT_CONTRACT
        )
    for text in TAG.sub(PLACEHOLDER, markup).split(PLACEHOLDER):
        if _is_text(text):
            found.append(" ".join(text.split()))
    return found


def template_files():
    for path in sorted(TEMPLATES.rglob("*")):
        if path.suffix in {".html", ".txt"}:
            yield path
