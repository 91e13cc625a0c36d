"""A real streaming replica of the test database's server, made by deploy/replica.sh."""

import copy
import os
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
from django.db import connections

ROOT = Path(__file__).resolve().parents[2]
REPLICA_ALIAS = "replica1"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _replica_env(port: int, directory: str) -> dict:
    primary = connections["default"].settings_dict
    return dict(
        os.environ,
        PRIMARY_HOST=primary["HOST"] or "127.0.0.1",
        PRIMARY_PORT=str(primary["PORT"] or 5432),
        PRIMARY_USER=primary["USER"] or "postgres",
        REPLICA_PORT=str(port),
        REPLICA_DIR=directory,
    )


@pytest.fixture(scope="session")
def streaming_replica(django_db_setup, django_db_blocker):
    """The port of a hot standby streaming from the primary, for this test session."""
    if connections["default"].vendor != "postgresql":
        pytest.fail("tests/scale needs PostgreSQL (they are marked postgres_only)")
    port = _free_port()
    directory = tempfile.mkdtemp(prefix="archive-replica-")
    env = _replica_env(port, directory)
    script = str(ROOT / "deploy" / "replica.sh")
    subprocess.run([script, "start"], env=env, check=True, capture_output=True, text=True)
    try:
        yield port
    finally:
        if REPLICA_ALIAS in connections.settings:
            connections[REPLICA_ALIAS].close()
        subprocess.run([script, "stop"], env=env, check=False, capture_output=True)


@pytest.fixture
def through_router(streaming_replica, django_db_serialized_rollback, transactional_db, settings):
    """The archive's router, with the real replica as its one replica (alias replica1).

    Transactional tests: the data a test makes is committed on the primary, so it streams to
    the replica as a posted work does in production."""
    replica = copy.deepcopy(connections["default"].settings_dict)
    replica["PORT"] = str(streaming_replica)
    connections.settings[REPLICA_ALIAS] = replica
    settings.DATABASE_REPLICAS = [REPLICA_ALIAS]
    settings.DATABASE_ROUTERS = ["archive.replicas.ReplicaRouter"]
    # Connected here: pytest-django allows the test only the aliases it knew at its start.
    connections[REPLICA_ALIAS].connect()
    yield connections[REPLICA_ALIAS]
    connections[REPLICA_ALIAS].close()
    del connections.settings[REPLICA_ALIAS]


def wait_for_replay(timeout: float = 20.0) -> None:
    """Until the replica has replayed everything the primary has written so far."""
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_lsn()")
        target = cursor.fetchone()[0]
    deadline = time.monotonic() + timeout
    while True:
        with connections[REPLICA_ALIAS].cursor() as cursor:
            cursor.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [target])
            if cursor.fetchone()[0]:
                return
        if time.monotonic() > deadline:
            raise AssertionError(f"the replica did not reach {target} in {timeout} s")
        time.sleep(0.05)


class QueriesOn:
    """Counts the queries each alias runs while it is active."""

    def __init__(self, *aliases):
        self.aliases = aliases
        self.counts = dict.fromkeys(aliases, 0)
        self._stack = []

    def __enter__(self):
        for alias in self.aliases:

            def count(execute, sql, params, many, context, alias=alias):
                self.counts[alias] += 1
                return execute(sql, params, many, context)

            wrapper = connections[alias].execute_wrapper(count)
            wrapper.__enter__()
            self._stack.append(wrapper)
        return self

    def __exit__(self, *exc):
        while self._stack:
            self._stack.pop().__exit__(*exc)
