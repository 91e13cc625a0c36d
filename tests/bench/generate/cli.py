"""The generator's command line: `python -m tests.bench.generate --works N [--seed S]`.

It refuses to touch a database that already holds works unless told to add to them
(--append) or to wipe them first (--force).
"""

from __future__ import annotations

import argparse
import sys

from django.db import connection

from tests.bench.generate.generator import ArchiveGenerator, archive_wipe
from works.models import Work


def positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m tests.bench.generate",
        description="Generate a large, realistic archive (users, tags, works, stats) for "
        "benchmarks, into the database DATABASE_URL names.",
    )
    parser.add_argument("--works", type=positive, required=True, help="How many works to make.")
    parser.add_argument("--seed", type=int, default=1, help="Random seed (default 1).")
    parser.add_argument(
        "--batch", type=int, default=10000, help="Works per COPY batch (default 10000)."
    )
    group = parser.add_mutually_exclusive_group()
    group.add_argument(
        "--append",
        action="store_true",
        help="Add to an archive that already holds works (with a new set of generated tags "
        "and users beside the existing ones).",
    )
    group.add_argument(
        "--force",
        action="store_true",
        help="Delete all works, series, non-fixed tags and generated users first.",
    )
    parser.add_argument(
        "--no-vacuum",
        action="store_true",
        help="On PostgreSQL, only ANALYZE at the end (no VACUUM).",
    )
    return parser


def log(message: str) -> None:
    print(message, flush=True)


def main(argv: list[str] | None = None) -> int:
    """Run the generator as the command line asks (Django already set up); 0 when done."""
    args = parser().parse_args(argv)
    existing = Work.objects.count()
    if existing and not (args.append or args.force):
        print(
            f"This database already holds {existing:,} works. The generator protects real "
            "archives: use --append to add to them or --force to delete them first.",
            file=sys.stderr,
        )
        return 1
    if existing and args.force:
        archive_wipe(log=log)
    database = f"{connection.vendor} {connection.settings_dict.get('NAME')}"
    log(f"Generating {args.works:,} works (seed {args.seed}) into the {database} database...")
    ArchiveGenerator(
        works=args.works, seed=args.seed, batch=args.batch, log=log, vacuum=not args.no_vacuum
    ).run()
    return 0
