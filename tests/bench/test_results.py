"""RESULTS.md keeps the latest run of each archive size and set-up (tests/bench/results.py), and
the replica's columns say where each page's queries ran (tests/bench/replica_reads.py)."""

from tests.bench import replica_reads, results
from tests.bench.replica_reads import Reads, ReadShare


def section(works, suffix="", marker=""):
    return f"## {works:,} works{suffix}\n\n- run {marker}\n"


def test_a_replica_run_keeps_the_plain_run_of_the_same_size_and_replaces_its_own(
    tmp_path, monkeypatch
):
    monkeypatch.setattr(results, "RESULTS", tmp_path / "RESULTS.md")
    replica = results.REPLICA_SUFFIX
    results.write_results(section(1_000_000, marker="million"))
    results.write_results(section(100_000, marker="plain"))
    results.write_results(section(100_000, replica, marker="replica, first"))
    results.write_results(section(100_000, replica, marker="replica, second"))
    text = results.RESULTS.read_text()
    headings = [line for line in text.splitlines() if line.startswith("## ")]
    assert headings == [
        "## 100,000 works",
        f"## 100,000 works{replica}",
        "## 1,000,000 works",
    ]
    assert "- run plain" in text and "- run million" in text
    assert "- run replica, second" in text and "replica, first" not in text


def test_a_run_keeps_the_sections_of_other_benchmarks(tmp_path, monkeypatch):
    monkeypatch.setattr(results, "RESULTS", tmp_path / "RESULTS.md")
    results.write_results(section(1_000_000, marker="first"))
    with results.RESULTS.open("a") as file:
        file.write("\n## Download builds (tests/bench/downloads.py)\n\n- built\n")
    results.write_results(section(1_000_000, marker="second"))
    results.write_results(section(100_000, marker="small"))
    text = results.RESULTS.read_text()
    headings = [line for line in text.splitlines() if line.startswith("## ")]
    assert headings == [
        "## 100,000 works",
        "## 1,000,000 works",
        "## Download builds (tests/bench/downloads.py)",
    ]
    assert "- built" in text and "- run second" in text and "- run first" not in text


def test_the_replica_columns_show_per_request_counts_and_the_replica_share():
    share = ReadShare(replica=Reads(transactions=450, rows=90_000), primary=Reads(50, 1_000))
    assert replica_reads.columns(share, requests=100) == ["4.5 / 900", "0.5 / 10", "90%"]


def test_a_page_without_queries_has_no_replica_share():
    share = ReadShare(replica=Reads(transactions=1, rows=0), primary=Reads(1, 0))
    assert replica_reads.columns(share, requests=4_000)[2] == "no queries"
