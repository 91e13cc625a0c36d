"""Made-up text: sentences, titles and fandom names, and the pools works draw from.

Chapter bodies, summaries and notes are stored already rendered, as works.rendering would
render them, so the pools hold (source, html) pairs.
"""

from __future__ import annotations

import random

from tests.bench.generate.vocabulary import ADJECTIVES, NOUNS, VERBS, VOCABULARY
from works.rendering import render_markdown, render_summary


def sentence(rng: random.Random, words: int) -> str:
    chosen = rng.choices(VOCABULARY, k=words)
    chosen[0] = chosen[0].capitalize()
    return " ".join(chosen) + "."


def paragraph(rng: random.Random, words: int) -> str:
    parts, left = [], words
    while left > 0:
        n = min(left, rng.randint(6, 18))
        parts.append(sentence(rng, n))
        left -= n
    return " ".join(parts)


def title(rng: random.Random) -> str:
    pattern = rng.randrange(6)
    noun, noun2 = rng.choice(NOUNS).capitalize(), rng.choice(NOUNS).capitalize()
    adj, verb = rng.choice(ADJECTIVES).capitalize(), rng.choice(VERBS).capitalize()
    return (
        f"The {adj} {noun}",
        f"{noun} and {noun2}",
        f"{verb} the {noun}",
        f"What the {noun} Kept",
        f"{adj} {noun}s",
        f"A {noun} of {noun2}s",
    )[pattern]


def fandom_name(rng: random.Random) -> str:
    noun, noun2 = rng.choice(NOUNS).capitalize(), rng.choice(NOUNS).capitalize()
    adj = rng.choice(ADJECTIVES).capitalize()
    return (
        f"The {adj} {noun}",
        f"{noun} of the {adj} {noun2}",
        f"{adj} {noun} Chronicles",
        f"{noun}{noun2.lower()} Academy",
        f"Tales of {noun2}",
    )[rng.randrange(5)]


class TextPools:
    """Texts drawn once per seed (from their own generator) and reused by every work."""

    def __init__(self, seed: int):
        rng = random.Random(seed * 7919 + 1)
        self.paragraphs = []
        for _ in range(400):
            words = rng.randint(40, 120)
            self.paragraphs.append((paragraph(rng, words), words))
        # Short bodies of the bulk of the works: two short paragraphs each.
        self.short_bodies = []
        for _ in range(500):
            a, b = paragraph(rng, rng.randint(12, 30)), paragraph(rng, 12)
            self.short_bodies.append((f"{a}\n\n{b}", f"<p>{a}</p>\n<p>{b}</p>"))
        self.summaries = []
        for _ in range(500):
            text = paragraph(rng, rng.randint(15, 60))
            self.summaries.append((text, str(render_summary(text))))
        self.notes = []
        for _ in range(100):
            text = paragraph(rng, rng.randint(10, 40))
            self.notes.append((text, str(render_markdown(text))))
        self.titles = [title(rng) for _ in range(5000)]
        self.chapter_titles = [title(rng) for _ in range(500)]

    def full_text(self, rng: random.Random, words: int) -> tuple[str, str]:
        """Body and rendered body with exactly `words` words (what count_words counts)."""
        paragraphs, left = [], words
        while left > 0:
            text, n = rng.choice(self.paragraphs)
            if n > left:
                text = " ".join(text.split()[:left])
                if not text.endswith("."):
                    text += "."
                n = left
            paragraphs.append(text)
            left -= n
        body = "\n\n".join(paragraphs)
        html = "\n".join(f"<p>{p}</p>" for p in paragraphs)
        return body, html
