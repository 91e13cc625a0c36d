"""Download builds: time and memory to build each format for a 5,000-word and a 500,000-word
work (issue 16). Prints a table; never part of `make test`.

    .venv/bin/python -m tests.bench.downloads            # a scratch SQLite archive in /tmp

The works are generated (original filler text), in a scratch archive of their own; each
format is built from nothing once (EPUB and HTML in this process, AZW3, MOBI and PDF by
Calibre's ebook-convert from the EPUB, which is built first). Memory: this process's peak
Python allocations (tracemalloc), and the largest resident size any ebook-convert child
reached so far (getrusage keeps only the maximum: "-" where a build did not raise it).
The serving throughput of a stored file against the floor is the "download" row of
`make bench` (tests/bench/run.py).
"""

import os
import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

SENTENCE = "The keeper trimmed the wick and counted ships until the fog lifted at dawn. "


def setup(folder: Path) -> None:
    os.environ.pop("DATABASE_URL", None)
    os.environ["ARCHIVE_DATA_DIR"] = str(folder)
    os.environ["ARCHIVE_DOWNLOADS_DIR"] = str(folder / "downloads")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archive.settings")
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def make(words: int, chapters: int):
    from django.contrib.auth import get_user_model

    from tags.models import TagType
    from works.services import posting

    user = get_user_model().objects.get_or_create(username="benchwriter")[0]
    per_chapter = words // chapters
    text = "\n\n".join([SENTENCE * 8] * max(1, per_chapter // (8 * 14)))
    work = posting.work_create(
        creator=user,
        fields={
            "title": f"Bench {words} words",
            "summary": "Generated.",
            "expected_chapters": chapters,
        },
        tag_names={
            TagType.RATING: ["General Audiences"],
            TagType.WARNING: ["No Archive Warnings Apply"],
            TagType.FANDOM: ["Bench Fandom"],
        },
        chapter={"body": text},
        post=True,
    )
    for _ in range(chapters - 1):
        posting.chapter_add(work=work, fields={"body": text}, post=True)
    work.refresh_from_db()
    return work


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="bench-downloads-"))
    setup(folder)
    from works.downloads import store
    from works.downloads.formats import available

    rows = []
    for words, chapters in ((5_000, 1), (500_000, 50)):
        work = make(words, chapters)
        for f in available():
            tracemalloc.start()
            before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
            started = time.perf_counter()
            place = store.build_download(work.pk, f.extension)
            seconds = time.perf_counter() - started
            _current, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
            size = store.storage().size(place.path)
            rows.append(
                (work.word_count, f.label, seconds, peak, child if child > before else 0, size)
            )
    print("| work | format | build s | Python peak MB | ebook-convert max RSS MB | file KB |")
    print("| ---: | --- | ---: | ---: | ---: | ---: |")
    for words, label, seconds, peak, child, size in rows:
        rss = f"{child / 1024:.0f}" if child else "-"
        kb = f"{size / 1024:,.0f}"
        print(f"| {words:,} | {label} | {seconds:.2f} | {peak / 2**20:.1f} | {rss} | {kb} |")


if __name__ == "__main__":
    main()
