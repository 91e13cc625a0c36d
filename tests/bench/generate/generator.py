"""The generator's run: session settings, the order rows are made in, then tag counts,
sequences, tag arrays and VACUUM; and the wipe of an earlier generated archive."""

from __future__ import annotations

import random
import time
from collections import Counter
from collections.abc import Callable

from django.contrib.auth import get_user_model
from django.core.management.color import no_style
from django.db import DatabaseError, connection, transaction

from archive.models import Pseud
from tags.models import Tag, TagType
from tests.bench.generate.sinks import PostgresSink, Sink, SQLiteSink
from tests.bench.generate.tag_rows import TagTree
from tests.bench.generate.text import TextPools
from tests.bench.generate.user_rows import UserPool
from tests.bench.generate.vocabulary import GENERATED_EMAIL_DOMAIN
from tests.bench.generate.work_rows import works_make
from works.listing import tagsets
from works.models import (
    Chapter,
    FilterTagging,
    Series,
    SeriesWork,
    TaggedWork,
    Work,
    WorkCreator,
    WorkSearch,
    WorkStats,
)


class ArchiveGenerator:
    """One run: users, tags, then works in batches, then tag counts, sequences, the tag arrays
    (works.listing.tagsets) and statistics. ArchiveGenerator(works=N).run() adds N works."""

    def __init__(
        self,
        *,
        works: int,
        seed: int = 1,
        batch: int = 10000,
        log: Callable[[str], None] = print,
        vacuum: bool = True,
    ):
        self.n_works = works
        self.seed = seed
        self.batch = max(100, batch)
        self.log = log
        self.vacuum = vacuum
        self.rng = random.Random(seed)
        self.is_postgres = connection.vendor == "postgresql"
        self.timings: dict[str, float] = {}

    def run(self) -> None:
        started, cpu_started = time.monotonic(), time.process_time()
        self._prepare_session()
        sink: Sink
        if self.is_postgres:
            # A second COPY connection when rows need no ordered foreign-key checks and no
            # enclosing transaction: PostgreSQL then inserts on both cores.
            parallel = self.replica and not connection.in_atomic_block
            sink = PostgresSink(
                extra_connections=1 if parallel else 0, session_sql=self.session_sql
            )
        else:
            sink = SQLiteSink()
        try:
            with self._timed("text pools"):
                text = TextPools(self.seed)
            with self._timed("users"):
                users = UserPool(rng=self.rng, n_works=self.n_works, seed=self.seed)
                users.write(sink)
                self.log(f"  {len(users.rows):,} users")
            with self._timed("tags"):
                tags = TagTree(rng=self.rng, n_works=self.n_works)
                tags.write(sink)
                self.log(f"  {tags.summary()}")
                sink.flush()
            with self._timed("works"):
                counts = works_make(
                    rng=self.rng,
                    n_works=self.n_works,
                    batch=self.batch,
                    sink=sink,
                    tags=tags,
                    users=users,
                    text=text,
                    log=self.log,
                )
                sink.flush()
        finally:
            sink.close()
            self._restore_session()
        with self._timed("counts and sequences"):
            self._finish(counts)
        if self.is_postgres:
            with self._timed("tag arrays"):  # filter rows went in with triggers off
                tagsets.rebuild()
            with self._timed("vacuum analyze" if self.vacuum else "analyze"):
                self._analyze()
        self.timings["total"] = time.monotonic() - started
        self.timings["python cpu"] = time.process_time() - cpu_started
        cpu = f"CPU: Python {self.timings['python cpu']:.0f} s"
        end = getattr(sink, "backend_cpu_end", None)
        if end is not None and getattr(sink, "cpu_start", None) is not None:
            self.timings["postgres cpu"] = end - sink.cpu_start
            cpu += f", PostgreSQL COPY backends {self.timings['postgres cpu']:.0f} s"
        self.log(f"Done: {self.n_works:,} works in {self.timings['total']:.1f} s ({cpu}).")

    class _Timer:
        def __init__(self, generator, label):
            self.generator, self.label = generator, label

        def __enter__(self):
            self.start = time.monotonic()

        def __exit__(self, *exc):
            elapsed = time.monotonic() - self.start
            self.generator.timings[self.label] = elapsed
            if exc[0] is None:
                self.generator.log(f"  {self.label}: {elapsed:.1f} s")

    def _timed(self, label):
        return self._Timer(self, label)

    def _prepare_session(self):
        self.replica = False
        self.session_sql = ["SET synchronous_commit = off"]
        if not self.is_postgres:
            return
        with connection.cursor() as cursor:
            cursor.execute("SET synchronous_commit = off")
            cursor.execute("SHOW is_superuser")
            if cursor.fetchone()[0] == "on":
                # Skip the per-row foreign-key triggers: the rows are consistent by construction.
                cursor.execute("SET session_replication_role = replica")
                self.session_sql.append("SET session_replication_role = replica")
                self.replica = True
                # Index pages touched after a checkpoint go to the WAL whole: compress them.
                for method in ("lz4", "pglz"):
                    try:
                        with transaction.atomic():
                            cursor.execute(f"SET wal_compression = {method}")
                        self.session_sql.append(f"SET wal_compression = {method}")
                        break
                    except DatabaseError:
                        continue

    def _restore_session(self):
        if not self.is_postgres:
            return
        with connection.cursor() as cursor:
            if self.replica:
                cursor.execute("SET session_replication_role = DEFAULT")
            cursor.execute("SET synchronous_commit = DEFAULT")
            if self.replica:
                cursor.execute("RESET wal_compression")

    def _finish(self, counts: Counter):
        rows = sorted(counts.items())
        table = Tag._meta.db_table
        with transaction.atomic(), connection.cursor() as cursor:
            if self.is_postgres:
                cursor.execute("CREATE TEMP TABLE generated_counts (id bigint, n integer)")
                with cursor.cursor.copy("COPY generated_counts (id, n) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
                cursor.execute(
                    f"UPDATE {table} SET work_count = {table}.work_count + c.n "
                    f"FROM generated_counts c WHERE {table}.id = c.id"
                )
                cursor.execute("DROP TABLE generated_counts")
            else:
                cursor.executemany(
                    f"UPDATE {table} SET work_count = work_count + %s WHERE id = %s",
                    [(n, pk) for pk, n in rows],
                )
            User = get_user_model()
            models = [User, Pseud, Tag, Work, Series]
            for sql in connection.ops.sequence_reset_sql(no_style(), models):
                cursor.execute(sql)

    def _analyze(self):
        tables = [
            model._meta.db_table
            for model in (
                get_user_model(),
                Pseud,
                Tag,
                Tag.parents.through,
                Tag.meta_tags.through,
                Work,
                Chapter,
                WorkStats,
                WorkCreator,
                TaggedWork,
                FilterTagging,
                Series,
                SeriesWork,
                WorkSearch,
            )
        ] + [tagsets.TABLE]
        with connection.cursor() as cursor:
            if self.vacuum and not connection.in_atomic_block:
                # VACUUM sets the visibility map, so index-only scans work right away, as they
                # would once autovacuum has passed over a real archive.
                cursor.execute(f"VACUUM (ANALYZE) {', '.join(tables)}")
            else:
                cursor.execute(f"ANALYZE {', '.join(tables)}")


def archive_wipe(log: Callable[[str], None] = print) -> None:
    """Delete every work and series, every tag but the fixed sets, and generated users."""
    User = get_user_model()
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(f"TRUNCATE {Work._meta.db_table}, {Series._meta.db_table} CASCADE")
        else:
            Work.objects.all().delete()
            Series.objects.all().delete()
        fixed = [TagType.RATING, TagType.WARNING, TagType.CATEGORY, TagType.MEDIA]
        Tag.objects.exclude(type__in=fixed).update(merger=None)
        Tag.objects.exclude(type__in=fixed).delete()
        Tag.objects.update(work_count=0)
        User.objects.filter(email__endswith=f"@{GENERATED_EMAIL_DOMAIN}").delete()
    log("Wiped the existing works, tags and generated users.")
