"""A clone of this repository is all the test suite needs: nothing tracked points at files
beside it, and the hostile-input corpus is here in full (tests/security/README.md)."""

import re
import subprocess
from pathlib import Path

from tests.security import CHECKER, CORPUS_SIZE, check_xss, corpus_cases

REPO = Path(__file__).resolve().parents[1]

# A path into the sibling folder the design notes and corpus once lived in: up one level and
# into it, a file or folder inside it named as such, or the same path built with pathlib.
# Spelled with character classes so that this file does not match itself.
OUTSIDE = re.compile(
    r"\.\.[/\\]shared\b"
    r"|\bshared[/](DESIGN|MARKUP|STYLE|security|seeds|hooks)\b"
    r"|[\"']shared[\"']\s*/"
)


def _tracked_files():
    listing = subprocess.run(
        ["git", "ls-files", "-z"], cwd=REPO, capture_output=True, check=True, text=True
    )
    paths = [REPO / name for name in listing.stdout.split("\0") if name]
    assert paths, "git ls-files listed nothing"
    return paths


def _text(path):
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:  # binary files (images, fonts) cannot hold a path we care about
        return ""


def test_the_pattern_finds_references_outside_the_repository():
    # Assembled at run time, so that this file holds no reference itself.
    folder = "shared"
    for text in [
        f"see ../{folder}/MARKUP.md",
        f"{folder}/DESIGN.md section 6",
        f'ROOT / "{folder}" / "x"',
    ]:
        assert OUTSIDE.search(text), text
    for text in ["the shared Redis cache", "shared_buffers = 2GB", "tests/security/README.md"]:
        assert not OUTSIDE.search(text), text


def test_no_tracked_file_refers_outside_the_repository():
    found = [
        f"{path.relative_to(REPO)}:{number}: {line.strip()}"
        for path in _tracked_files()
        if path.is_file()
        for number, line in enumerate(_text(path).splitlines(), start=1)
        if OUTSIDE.search(line)
    ]
    assert not found, "\n".join(found)


def test_the_corpus_holds_every_case_once():
    cases = corpus_cases()
    assert len(cases) == CORPUS_SIZE == 717
    assert len({case["id"] for case in cases}) == CORPUS_SIZE
    assert all(case["input"] and case["category"] and case["source"] for case in cases)


def test_the_checker_reads_the_corpus_beside_it():
    assert Path(check_xss.DEFAULT_CORPUS) == CHECKER.parent / "xss_corpus.json"
