"""Every string a template shows is inside a translation tag (tests/i18n/visible_text.py)."""

import pytest

from tests.i18n.visible_text import TEMPLATES, template_files, untranslated


@pytest.mark.parametrize(
    "path", list(template_files()), ids=lambda p: str(p.relative_to(TEMPLATES))
)
def test_template_shows_no_untranslated_text(path):
    assert untranslated(path.read_text(encoding="utf-8")) == []


def test_the_checker_finds_text_buttons_and_labels_but_not_markup_or_symbols():
    source = (
        '{% load i18n %}<p class="words">Hello {{ name }}</p><input type="submit" value="Go">'
        '<img alt="A cat"><nav aria-label="Pages"></nav><button value="read">{% translate "Ok" %}'
        '</button><input type="hidden" name="a" value="x"> 12 &middot; → {# a note #}'
        "{% comment %}Not shown{% endcomment %}{% blocktranslate %}Shown{% endblocktranslate %}"
        "<script>var a = 'text';</script>"
    )
    assert untranslated(source) == ['value="Go"', 'alt="A cat"', 'aria-label="Pages"', "Hello"]
