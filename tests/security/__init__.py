"""The hostile-input corpus and its checker, kept with the tests (see README.md here).

Tests read the corpus through `corpus_cases()` and run the checker as `check_xss.main()`. A
missing or unreadable corpus raises, so the test that needed it fails instead of skipping.
"""

import json
from pathlib import Path

HERE = Path(__file__).resolve().parent
CORPUS = HERE / "xss_corpus.json"
CHECKER = HERE / "check_xss.py"
CORPUS_SIZE = 717


def corpus_cases():
    """Every case of the corpus: dicts with id, input, source and category."""
    return json.loads(CORPUS.read_text(encoding="utf-8"))


def corpus_inputs():
    """The hostile texts alone, in corpus order."""
    return [case["input"] for case in corpus_cases()]
