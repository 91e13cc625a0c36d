"""The benchmark floor: a bare Django view rendering a 6,000-word page without the database.

Mounted at /bench/ only when the environment says ARCHIVE_BENCH=1 (tests/bench/run.py sets
it); production never exposes it. Every page's throughput is reported as a fraction of this
view's, so the numbers mean something on any machine.
"""

import random

from django.shortcuts import render
from django.urls import path

from works.generate import VOCABULARY

FLOOR_WORDS = 6000


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
    return render(request, "bench/floor.html", {"paragraphs": PARAGRAPHS, "words": FLOOR_WORDS})


urlpatterns = [path("floor", floor, name="bench_floor")]
