"""The benchmark floor: a bare Django view rendering a 6,000-word page without the database.

Served at /bench/floor only by the benchmark's URLs (tests/bench/urls.py, which
tests/bench/settings.py selects and tests/bench/run.py sets); the archive's own URLs never
expose it. Every page's throughput is reported as a fraction of this view's, so the numbers
mean something on any machine. Its template (floor.html, next to this file) goes through the
project's template engine and context processors, as render() would send it.
"""

import random
from pathlib import Path

from django.http import HttpResponse
from django.template import engines

from tests.bench.generate.vocabulary import VOCABULARY

FLOOR_WORDS = 6000
TEMPLATE = engines["django"].from_string((Path(__file__).parent / "floor.html").read_text())


def _paragraphs(words: int) -> list[str]:
    rng = random.Random(6000)
    paragraphs, left = [], words
    while left > 0:
        n = min(left, rng.randint(40, 120))
        paragraphs.append(" ".join(rng.choices(VOCABULARY, k=n)).capitalize() + ".")
        left -= n
    return paragraphs


PARAGRAPHS = _paragraphs(FLOOR_WORDS)


def floor(request):
    context = {"paragraphs": PARAGRAPHS, "words": FLOOR_WORDS}
    return HttpResponse(TEMPLATE.render(context, request))
