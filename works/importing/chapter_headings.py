"""Recognising a chapter heading in a story's text: "Chapter 3", "Chapter 3: The Storm",
"chapter 3 - The Storm", "Ch. 3", "Chapter Three", "Chapter Twenty-One", "Chapter XII.",
"**Chapter 3**", "Prologue", "Epilogue", and the words for chapter of a few other languages
(Capítulo, Kapitel, Chapitre). Used by works/importing/ffn_text.py; a heading must be a line
of its own, so "Chapter two of my life began..." is text."""

from __future__ import annotations

import re

from works.importing.text_blocks import Block

NUMBER_WORDS = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen"
).split()
TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70}
TENS |= {"eighty": 80, "ninety": 90}
_NUMBER = r"\d{1,4}|[ivxlc]{1,7}|[a-z]+(?:[\s-][a-z]+)?"
HEADING = re.compile(
    rf"^(?:chapter|ch\.|chap\.|capítulo|capitulo|kapitel|chapitre)\s*({_NUMBER})\s*"
    r"(?:[:.\-–—)]\s*(.*))?$",
    re.I,
)
NAMED_HEADING = re.compile(r"^(prologue|epilogue)\s*(?:[:.\-–—]\s*(.*))?$", re.I)


def chapter_heading(block: Block):
    """(number or None, title) when the block is a chapter heading, else None."""
    if block.kind == "break" or len(block.text) > 120:
        return None
    text = block.text.strip().strip("*_~=#").strip()
    match = HEADING.match(text)
    if match:
        number = heading_number(match.group(1))
        if number is None:
            return None
        return number, (match.group(2) or "").strip()
    named = NAMED_HEADING.match(text)
    if named:
        return None, (named.group(2) or "").strip() or named.group(1).capitalize()
    return None


def heading_number(word: str) -> int | None:
    word = word.lower().replace("-", " ")
    if word.isdigit():
        return int(word)
    if re.fullmatch(r"[ivxlc]+", word):
        return roman_number(word)
    parts = word.split()
    if len(parts) == 1 and parts[0] in NUMBER_WORDS:
        return NUMBER_WORDS.index(parts[0])
    if parts and parts[0] in TENS:
        if len(parts) == 1:
            return TENS[parts[0]]
        if len(parts) == 2 and parts[1] in NUMBER_WORDS[1:10]:
            return TENS[parts[0]] + NUMBER_WORDS.index(parts[1])
    return None


def roman_number(word: str) -> int | None:
    values = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100}
    total = 0
    for a, b in zip(word, word[1:] + " ", strict=True):
        total += -values[a] if b != " " and values[b] > values[a] else values[a]
    return total if total > 0 else None
