"""`make bench BENCH_ARGS=--replica`: the pages served with a streaming replica of the bench
database, and how much of each page's reading the replica did.

`StreamingReplica` starts a hot standby of the bench database's server with deploy/replica.sh
(tests/bench/stack.py's Replica, on a free port) and waits until it has replayed everything the
primary had written; the servers then run with DATABASE_REPLICA_URLS pointing at it, so the
archive's router (archive/replicas.py) sends a guest's or a reader's GET to it.

`ReadCounts` reads pg_stat_database on both servers around each measured run: transactions
committed (`xact_commit`; the archive runs in autocommit, so one per query outside `atomic`)
and rows read (`tup_returned` + `tup_fetched`) in the bench database. Each server counts only
what ran on it, so the two deltas say which one served the page. A backend reports its counts
when it goes idle, at most once a second: the second reading waits `SETTLE_SECONDS` first.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from tests.bench import stack

SETTLE_SECONDS = 1.5
STATS_SQL = (
    "SELECT xact_commit, tup_returned + tup_fetched FROM pg_stat_database WHERE datname = %s"
)


def _connect(url: str):
    import psycopg

    return psycopg.connect(url, autocommit=True)


def _with_database(base: str, dbname: str) -> str:
    return urlunsplit(urlsplit(base)._replace(path="/" + dbname))


@dataclass
class Reads:
    """What one server did for the bench database between two readings."""

    transactions: int = 0
    rows: int = 0


def database_reads(url: str, dbname: str) -> Reads:
    """The counts so far of `dbname` on the server `url` reaches (its own, not its primary's)."""
    with _connect(_with_database(url, dbname)) as conn:
        transactions, rows = conn.execute(STATS_SQL, [dbname]).fetchone()
    return Reads(transactions, rows)


def since(before: Reads, after: Reads) -> Reads:
    """What ran between two readings, less the earlier reading's own transaction."""
    return Reads(max(0, after.transactions - before.transactions - 1), after.rows - before.rows)


@dataclass
class ReadShare:
    replica: Reads
    primary: Reads

    @property
    def replica_fraction(self) -> float:
        total = self.replica.transactions + self.primary.transactions
        return self.replica.transactions / total if total else 0.0


class StreamingReplica:
    """A hot standby of the server `database_url` names (start on enter, stop on exit);
    `url` is the bench database on it."""

    def __init__(self, database_url: str, port: int | None = None):
        parts = urlsplit(database_url)
        self.primary_url = database_url
        self.dbname = parts.path.lstrip("/")
        self.port = port or stack.free_port()
        self.replica = stack.Replica(self.port)
        self.replica.env.update(
            PRIMARY_HOST=parts.hostname or "127.0.0.1",
            PRIMARY_PORT=str(parts.port or 5432),
            PRIMARY_USER=parts.username or "postgres",
        )
        self.url = ""

    def __enter__(self):
        started = time.monotonic()
        self.replica.__enter__()
        if not self.replica.base:
            raise RuntimeError("deploy/replica.sh is missing")
        self.url = _with_database(self.replica.base, self.dbname)
        self.wait_for_replay()
        self.start_seconds = time.monotonic() - started
        return self

    def __exit__(self, *exc):
        self.replica.__exit__(*exc)

    def wait_for_replay(self, timeout: float = 120.0) -> None:
        with _connect(self.primary_url) as primary:
            target = primary.execute("SELECT pg_current_wal_lsn()").fetchone()[0]
        deadline = time.monotonic() + timeout
        with _connect(self.url) as replica:
            while True:
                row = replica.execute(
                    "SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [target]
                ).fetchone()
                if row[0]:
                    return
                if time.monotonic() > deadline:
                    raise RuntimeError(f"the replica did not replay to {target} in {timeout} s")
                time.sleep(0.2)

    def status(self) -> str:
        return self.replica.status()

    def server_env(self) -> dict:
        """What the app servers need to read from it."""
        return {"DATABASE_REPLICA_URLS": self.url}


class ReadCounts:
    """pg_stat_database of the bench database on the primary and on the replica."""

    def __init__(self, replica: StreamingReplica):
        self.replica = replica

    def _reading(self) -> dict[str, Reads]:
        dbname = self.replica.dbname
        return {
            "primary": database_reads(self.replica.primary_url, dbname),
            "replica": database_reads(self.replica.url, dbname),
        }

    def start(self) -> None:
        time.sleep(SETTLE_SECONDS)  # the warm-up's counts reported before the first reading
        self.before = self._reading()

    def stop(self) -> ReadShare:
        time.sleep(SETTLE_SECONDS)
        after = self._reading()
        return ReadShare(
            replica=since(self.before["replica"], after["replica"]),
            primary=since(self.before["primary"], after["primary"]),
        )


def columns(share: ReadShare | None, requests: int) -> list[str]:
    """The table's replica columns: per request, transactions and rows on each server."""
    if share is None or not requests:
        return ["-", "-", "-"]

    def per_request(reads: Reads) -> str:
        return f"{reads.transactions / requests:.1f} / {reads.rows / requests:,.0f}"

    transactions = share.replica.transactions + share.primary.transactions
    # A page that runs no query (the floor, a cached page) has no share to speak of: the few
    # transactions counted are the server's own, not the page's.
    fraction = f"{share.replica_fraction:.0%}" if transactions >= requests / 20 else "no queries"
    return [per_request(share.replica), per_request(share.primary), fraction]


HEADER = ["replica: xacts / rows per req", "primary: xacts / rows per req", "replica share"]


def description(replica: StreamingReplica) -> str:
    return (
        f"- Read replica: a streaming hot standby of the bench database's server on port "
        f"{replica.port} (deploy/replica.sh, made in {replica.start_seconds:.0f} s), as "
        f"DATABASE_REPLICA_URLS; status at the end `{replica.status()}`. Per row, what each "
        "server ran for the bench database during the measured seconds (pg_stat_database "
        "deltas: transactions committed, rows returned + fetched) divided by the requests "
        "served, and the replica's share of the transactions"
    )


def port_from_env() -> int | None:
    value = os.environ.get("BENCH_REPLICA_PORT", "")
    return int(value) if value.isdigit() else None
