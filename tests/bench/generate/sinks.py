"""Where generated rows go: a Table names one model's columns; a Sink writes rows into it.

PostgreSQL gets COPY (psycopg 3) from writer threads while the next batch is being generated;
SQLite gets batched executemany through Django's connection.
"""

from __future__ import annotations

import datetime as dt
import os
import queue
import threading
from collections.abc import Sequence

from django.db import connection, transaction

from tests.bench.generate.vocabulary import EPOCH


class Table:
    """Columns of one model's table: the ones the generator fills, then the model's other
    columns filled with their defaults (so fields added later need no change here)."""

    def __init__(self, model, fields: Sequence[str]):
        self.name = model._meta.db_table
        own = [model._meta.get_field(name) for name in fields]
        self.columns = [field.column for field in own]
        self.extra: tuple = ()
        given = {field.column for field in own}
        for field in model._meta.concrete_fields:
            if field.column in given or getattr(field, "generated", False):
                continue
            if field.primary_key:
                continue  # left to the database (identity / autoincrement)
            if field.has_default():
                value = field.get_default()
            elif field.null:
                value = None
            elif getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                value = EPOCH
            elif field.empty_strings_allowed:
                value = ""
            else:
                raise ValueError(f"the generator cannot fill {self.name}.{field.column}")
            self.columns.append(field.column)
            self.extra += (field.get_db_prep_save(value, connection),)


class Sink:
    """Where generated rows go. Rows are tuples in the Table's own columns' order."""

    def write(self, table: Table, rows: list[tuple]) -> None:
        raise NotImplementedError

    def flush(self) -> None:
        """Wait until everything written so far is in the database."""

    def close(self) -> None:
        self.flush()


class SQLiteSink(Sink):
    """Batched executemany through Django's connection (any database; used for SQLite)."""

    def __init__(self):
        self.ops = connection.ops

    def _adapt(self, value):
        if isinstance(value, dt.datetime):
            return self.ops.adapt_datetimefield_value(value)
        if isinstance(value, dt.date):
            return self.ops.adapt_datefield_value(value)
        return value

    def write(self, table, rows):
        if not rows:
            return
        placeholders = ", ".join(["%s"] * len(table.columns))
        sql = f"INSERT INTO {table.name} ({', '.join(table.columns)}) VALUES ({placeholders})"
        adapt = self._adapt
        extra = tuple(adapt(v) for v in table.extra)
        with transaction.atomic(), connection.cursor() as cursor:
            for start in range(0, len(rows), 2000):
                chunk = rows[start : start + 2000]
                cursor.executemany(sql, [tuple(map(adapt, row)) + extra for row in chunk])


class PostgresSink(Sink):
    """COPY from writer threads: one over Django's own psycopg connection, and with
    `extra_connections` more connections of their own, each set up with `session_sql`.

    The main thread only generates rows while the writers copy earlier ones, so Python and
    PostgreSQL work on both cores at once. The main thread does not touch the database until
    flush() has returned. Extra connections commit on their own, so they are only for runs
    outside a transaction whose rows need no foreign-key checks in order.
    """

    def __init__(self, *, extra_connections: int = 0, session_sql: Sequence[str] = ()):
        connection.ensure_connection()
        self.connections = [connection.connection]
        self.own = []
        for _ in range(extra_connections):
            raw = connection.get_new_connection(connection.get_connection_params())
            raw.autocommit = True
            for sql in session_sql:
                raw.execute(sql)
            self.own.append(raw)
        self.connections += self.own
        self.queue: queue.Queue = queue.Queue(maxsize=6 * len(self.connections))
        self.error: BaseException | None = None
        self.threads = [
            threading.Thread(target=self._run, args=(raw,), name="generate-copy", daemon=True)
            for raw in self.connections
        ]
        for thread in self.threads:
            thread.start()
        self.cpu_start = self.backend_cpu()

    def backend_cpu(self) -> float | None:
        """CPU seconds of the writers' PostgreSQL backends when the server runs here."""
        total = 0.0
        for raw in self.connections:
            try:
                with open(f"/proc/{raw.info.backend_pid}/stat") as stat:
                    fields = stat.read().rsplit(")", 1)[1].split()
                total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
            except (OSError, AttributeError, ValueError, IndexError):
                return None
        return total

    def _run(self, raw):
        while True:
            item = self.queue.get()
            try:
                if item is None:
                    return
                if self.error is None:
                    self._copy(raw, *item)
            except BaseException as exc:  # handed to the main thread
                self.error = exc
            finally:
                self.queue.task_done()

    def _copy(self, raw, table: Table, rows: list[tuple]):
        extra = table.extra
        sql = f"COPY {table.name} ({', '.join(table.columns)}) FROM STDIN"
        with raw.cursor() as cursor, cursor.copy(sql) as copy:
            write_row = copy.write_row
            if extra:
                for row in rows:
                    write_row(row + extra)
            else:
                for row in rows:
                    write_row(row)
        # No commit here: at the top level every connection autocommits each COPY; inside a
        # transaction (a test) the rows belong to that transaction.

    def _check(self):
        if self.error is not None:
            error, self.error = self.error, None
            raise error

    def write(self, table, rows):
        self._check()
        if rows:
            self.queue.put((table, rows))

    def flush(self):
        self.queue.join()
        self._check()

    def close(self):
        try:
            self.flush()
        finally:
            self.backend_cpu_end = self.backend_cpu()
            for _ in self.threads:
                self.queue.put(None)
            for thread in self.threads:
                thread.join()
            for raw in self.own:
                raw.close()
        self._check()
