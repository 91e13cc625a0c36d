"""What `make bench` prints and keeps in tests/bench/RESULTS.md: the machine, the commit, the
table of pages (with the replica's columns after `--replica`), one section per archive size
and set-up, the latest run of each."""

from __future__ import annotations

import os
import platform
import re
import subprocess
from pathlib import Path

from tests.bench import replica_reads

ROOT = Path(__file__).resolve().parents[2]
RESULTS = ROOT / "tests" / "bench" / "RESULTS.md"
# "## 100,000 works" or "## 100,000 works, with a read replica": the size, then the set-up.
SECTION_HEADING = re.compile(r"^## ([\d,]+) works(.*)$", re.M)
REPLICA_SUFFIX = ", with a streaming read replica"


def machine() -> dict:
    cpu = platform.processor() or "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = "unknown"
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f"{kb / 1024 / 1024:.1f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    return {
        "cores": os.cpu_count(),
        "cpu": cpu,
        "memory": memory,
        "load": " / ".join(f"{x:.2f}" for x in os.getloadavg()),
        "python": platform.python_version(),
    }


def commit() -> str:
    def git(*args):
        return subprocess.run(
            ["git", *args], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()

    head = git("rev-parse", "--short=12", "HEAD") or "unknown"
    dirty = git("status", "--porcelain", "--untracked-files=no")
    return f"{head}{' (with uncommitted changes)' if dirty else ''}"


def table(results: list) -> list[str]:
    """One row per page and worker count; with `--replica`, each row's replica columns
    (tests/bench/replica_reads.py) before the notes."""
    floors = {r.workers: r.requests_per_s for r in results if r.page.key == "floor" and r.ok}
    replica = any(r.reads is not None for r in results)
    extra = replica_reads.HEADER if replica else []
    heads = ["page", "workers", "req/s", "of floor", "p50 ms", "p95 ms", "p99 ms", *extra]
    lines = [
        "| " + " | ".join([*heads, "notes"]) + " |",
        "| --- | " + "---: | " * (len(heads) - 1) + "--- |",
    ]
    for r in results:
        if not r.ok:
            dashes = ["-"] * (len(heads) - 2)
            lines.append(
                "| " + " | ".join([r.page.label, str(r.workers), *dashes, r.status]) + " |"
            )
            continue
        floor = floors.get(r.workers)
        cells = [
            r.page.label,
            str(r.workers),
            f"{r.requests_per_s:,.1f}",
            f"{r.requests_per_s / floor:.2f}" if floor else "-",
            f"{r.p50_ms:.1f}",
            f"{r.p95_ms:.1f}",
            f"{r.p99_ms:.1f}",
        ]
        if replica:
            cells += replica_reads.columns(r.reads, r.requests)
        notes = [f"{r.size / 1024:.0f} KiB", *r.notes]
        lines.append("| " + " | ".join([*cells, ", ".join(notes)]) + " |")
    return lines


def section(works: int, facts: dict, pages: list, results, args, started, replica=None) -> str:
    """The RESULTS.md section of a run; `replica`: the StreamingReplica it read from."""
    m = machine()
    cache_label = "Redis" if args.redis_url else "local memory (no Redis)"
    lines = [
        f"## {works:,} works{REPLICA_SUFFIX if replica else ''}",
        "",
        f"- Date: {started:%Y-%m-%d %H:%M} UTC; commit {commit()}",
        f"- Machine: {m['cores']} cores ({m['cpu']}), {m['memory']} memory, Python {m['python']};"
        f" load average at the end {m['load']} (others' processes share this machine)",
        f"- PostgreSQL {facts['postgres']} (shared_buffers {facts['shared_buffers']}),"
        f" {facts['db_size']}: {facts['works']:,} works"
        f" ({facts['posted']:,} posted), {facts['chapters']:,} chapters, {facts['users']:,} users,"
        f" {facts['tags']:,} tags, {facts['taggings']:,} taggings,"
        f" {facts['filter_rows']:,} filter rows",
        f"- Method: gunicorn sync workers, DJANGO_DEBUG=0, cache {cache_label}; wrk over loopback,"
        f" {args.warmup} s warm-up then {args.duration} s per page, one connection per worker"
        " (latency is service time, not queueing)",
        f"- Fandom listing: {facts['fandom']['name']} ({facts['fandom']['works']:,} works)",
        *([replica_reads.description(replica)] if replica else []),
        "",
        *table(results),
        "",
        "Pages:",
        "",
        *[f"- {page.label}: `{page.path}`" for page in pages],
        "",
    ]
    return "\n".join(lines)


def write_results(text: str) -> None:
    """Puts the section `text` into RESULTS.md in place of the earlier run of the same archive
    size and set-up (sections ordered by size, the plain run before the replica's)."""
    header = (
        "# Benchmark results\n\n"
        "Written by `make bench` (tests/bench/run.py): the latest run at each archive size, and "
        "with `--replica` (a streaming read replica) the latest such run. "
        "Throughput is also given as a fraction of the floor, a bare Django view rendering a "
        "6,000-word template without the database, measured in the same run.\n"
    )

    def key(chunk: str) -> tuple[int, str]:
        size, setup = SECTION_HEADING.match(chunk).groups()
        return int(size.replace(",", "")), setup.strip()

    sections: dict[tuple[int, str], str] = {}
    others = []  # sections of other benchmarks (e.g. the download builds) stay, after these
    if RESULTS.exists():
        for chunk in re.split(r"^(?=## )", RESULTS.read_text(), flags=re.M)[1:]:
            if SECTION_HEADING.match(chunk):
                sections[key(chunk)] = chunk.rstrip() + "\n"
            else:
                others.append(chunk.rstrip() + "\n")
    sections[key(text)] = text.rstrip() + "\n"
    body = "\n".join([*(sections[k] for k in sorted(sections)), *others])
    RESULTS.write_text(header + "\n" + body)
