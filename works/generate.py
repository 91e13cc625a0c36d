"""Builds a large, realistic archive quickly: the data set of the benchmarks (tests/bench/).

`manage.py generate_archive --works N --seed S` is the entry point. Everything is made up from
a small word list of our own and drawn from one seeded random generator, so the same seed on
an empty database gives the same archive, row for row.

Shape (what a listing or a filter sees):
- users: N/10 (at least 10); prolific creators are rarer than occasional ones (Zipf-like);
- fandoms with a long tail (N/100, at least 20; a few huge, thousands tiny), each under one or
  two media, the biggest with an "All Media Types" meta tag, some with synonyms;
- characters and relationships inside each fandom (Tag.parents), more for bigger fandoms;
- freeforms with a long tail, "Alternate Universe" and "Fluff" meta tag chains, synonyms;
- about 17 tags a work: rating 1, warnings 1-2, categories 0-2, fandoms 1-2 (about 5%
  crossovers), relationships, characters and freeforms;
- 10% multi-chapter works; log-normal word counts; skewed hits, kudos, comments, bookmarks;
- several languages, about 2% drafts, 5% restricted and 0.5% hidden works, dates over 17
  years, co-created works, series;
- the filter rows (works.FilterTagging) exactly as tags.filtering computes them,
  Tag.work_count (posted works not hidden by moderators that carry the tag directly), and the
  search documents (works.WorkSearch) as works.search writes them.

Text: chapter bodies are stored already rendered (`body_html` with RENDER_VERSION), as the
Markdown renderer itself would render them. The first 100 posted works carry their full text,
so their word counts are the counts of their text; the first of all is a 6,000-word
single-chapter work for the benchmarks. The bulk of the works store two short paragraphs while
their `word_count` says what a real work of that size would: listings and filters see
realistic numbers without gigabytes of filler text.

Speed: PostgreSQL gets COPY (psycopg 3) from a writer thread while the next batch is being
generated, with `synchronous_commit` off and, for a superuser, foreign-key triggers skipped
(`session_replication_role = replica`) because the generator builds consistent rows itself.
SQLite gets batched executemany. Nothing that migrations own is dropped or recreated.
"""

from __future__ import annotations

import datetime as dt
import os
import queue
import random
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from itertools import accumulate, chain, count

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management.color import no_style
from django.db import DatabaseError, connection, models, transaction
from django.utils.text import slugify

from tags.fixed import CATEGORIES, MEDIA, RATINGS, WARNINGS
from tags.models import TYPE_SUFFIX, Tag, TagType

from . import tagsets
from .models import (
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
from .rendering import RENDER_VERSION, render_markdown, render_summary

GENERATED_EMAIL_DOMAIN = "generated.invalid"
GENERATED_PASSWORD = "generated-archive-password"
BENCH_WORK_WORDS = 6000
FULL_TEXT_WORKS = 100
FULL_TEXT_MAX_CHAPTER_WORDS = 20000
EPOCH = dt.datetime(2008, 11, 1, tzinfo=dt.UTC)
END = dt.datetime(2025, 12, 31, 23, 59, tzinfo=dt.UTC)
SPAN_SECONDS = int((END - EPOCH).total_seconds())

# An original vocabulary: plain English words, no names or phrases from any real work.
NOUNS = (
    "lantern river harbor garden tower winter summer letter mirror signal compass engine orchard "
    "island meadow archive window candle thunder ember feather anchor bridge canyon comet "
    "crown forest glacier hollow kettle ladder meridian needle ocean paper quarry ribbon "
    "saddle thistle valley willow atlas beacon cellar dragon falcon garnet harvest ivory "
    "jasper kingdom labyrinth marble nebula oracle pebble quartz raven sparrow tapestry "
    "umbra vessel wanderer yarrow zephyr station frontier kitchen library market storm "
    "theater voyage starlight ashes clockwork tide spiral hearth mountain moth orbit"
).split()
ADJECTIVES = (
    "silver quiet hidden broken golden distant crooked gentle hollow iron lonely midnight "
    "northern painted restless scarlet secret silent stolen tangled tender velvet wild "
    "wandering winter amber bitter bright copper crimson drowned endless faded fierce "
    "forgotten frozen gilded glass hungry last lucky narrow pale patient small strange "
    "sunlit vast wicked borrowed brave careful curious early eager final heavy honest"
).split()
VERBS = (
    "finding keeping losing mending breaking chasing building crossing dancing dreaming "
    "falling flying holding learning leaving listening making reading running saving "
    "singing sleeping staying trading waiting walking watching writing burning healing"
).split()
FIRST_NAMES = (
    "Ada Bram Cora Dax Edda Finn Greta Hale Ines Jory Kael Lina Mira Nils Orla Pim Quinn Rhea "
    "Soren Tova Ulla Vane Wren Xavi Yara Zev Alba Brin Cato Della Emrys Faye Gideon Hesper "
    "Ilse Joss Kit Lior Maren Noor Otto Petra Rook Sable Tamsin Uri Vesna Wilder Yusuf Zinnia "
    "Arlo Bex Corin Dario Elin Fenn Galen Hollis Isla Juno Keir Lark Milo Nadia Oren Piper"
).split()
LAST_NAMES = (
    "Ashdown Blackwood Carrow Dunmore Everly Fairweather Greenhill Hawthorne Ironside "
    "Juniper Kestrel Larkspur Marlowe Northcott Oakley Pennywhistle Quill Ravensworth "
    "Stonebridge Thornbury Underhill Vale Whitlock Yarrow Zelenko Abernathy Brightwater "
    "Coldharbour Driftwood Emberly Foxglove Gallowmere Holloway Inglewood Jessamine Kingsley "
    "Lockhart Moorcroft Nettlefield Orchard Pemberton Quarrington Rosewood Silverton Tanager"
).split()
FILLER = (
    "the a an and but or so then when while after before because though if as of in on at "
    "to from with without over under between through into across near far again always "
    "never often soon still already only just even also very quite rather almost perhaps "
    "she he they we you it her his their our its this that these those there here"
).split()
VOCABULARY = (
    NOUNS
    + ADJECTIVES
    + VERBS
    + FILLER
    + FILLER
    + (
        "said asked looked turned waited laughed smiled whispered carried opened closed knew "
        "thought remembered wanted found left came went took gave held kept stood sat walked "
        "light dark cold warm long short old new first last small great little other same "
        "door hand voice room house road night morning evening day year time way world life "
        "eyes heart face name word story question answer silence sound rain snow wind fire"
    ).split()
)

MEDIA_WEIGHTS = {
    "TV Shows": 22,
    "Anime & Manga": 18,
    "Books & Literature": 16,
    "Movies": 12,
    "Video Games": 12,
    "Cartoons & Comics & Graphic Novels": 8,
    "Celebrities & Real People": 4,
    "Music & Bands": 3,
    "Theater": 2,
    "Other Media": 2,
    "Uncategorized Fandoms": 1,
}
LANGUAGE_WEIGHTS = {
    "en": 880,
    "zh": 30,
    "es": 20,
    "ru": 15,
    "fr": 10,
    "pt-BR": 8,
    "de": 8,
    "it": 6,
    "ja": 5,
    "ko": 4,
    "pl": 4,
    "id": 3,
    "vi": 3,
    "tr": 2,
    "nl": 2,
}
RATING_WEIGHTS = {
    "General Audiences": 30,
    "Teen And Up Audiences": 28,
    "Mature": 15,
    "Explicit": 17,
    "Not Rated": 10,
}
WARNING_WEIGHTS = {
    "No Archive Warnings Apply": 52,
    "Creator Chose Not To Use Archive Warnings": 30,
    "Graphic Depictions Of Violence": 10,
    "Major Character Death": 5,
    "Rape/Non-Con": 2,
    "Underage Sex": 1,
}
CATEGORY_WEIGHTS = {"M/M": 30, "Gen": 25, "F/M": 20, "F/F": 10, "Multi": 10, "Other": 5}
AU_SETTINGS = (
    "Modern Setting",
    "Coffee Shops & Cafés",
    "College/University",
    "Space",
    "Fantasy",
    "Canon Divergence",
    "Soulmates",
    "Royalty",
    "Pirates",
    "High School",
    "Post-Apocalypse",
    "Mermaids",
)


def zipf_cum_weights(n: int, exponent: float, offset: float = 1.0) -> list[float]:
    return list(accumulate(1.0 / (rank + offset) ** exponent for rank in range(n)))


class Table:
    """Columns of one model's table: the ones the generator fills, then the model's other
    columns filled with their defaults (so fields added later need no change here)."""

    def __init__(self, model, fields: Sequence[str]):
        self.model = model
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
                raise ValueError(f"generate_archive cannot fill {self.name}.{field.column}")
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


class NameBook:
    """Tag names unique case-insensitively, across types, as the Tag model requires."""

    def __init__(self, taken: Iterable[str]):
        self.taken = {name.lower() for name in taken}
        self.next_number: dict[str, int] = {}

    def claim(self, name: str, tag_type: str) -> str:
        suffixed = f"{name} ({TYPE_SUFFIX[TagType(tag_type)]})"
        start = self.next_number.get(name, 2)
        numbered = (f"{name} {n}" for n in count(start))
        for candidate in chain([name, suffixed], numbered):
            if candidate.lower() not in self.taken:
                self.taken.add(candidate.lower())
                if candidate not in (name, suffixed):
                    self.next_number[name] = int(candidate.rsplit(" ", 1)[1]) + 1
                return candidate
        raise AssertionError("unreachable")  # pragma: no cover


class ArchiveGenerator:
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

    # ------------------------------------------------------------------ entry point
    def run(self) -> dict[str, float]:
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
                self._make_text_pools()
            with self._timed("users"):
                self._make_users(sink)
            with self._timed("tags"):
                self._make_tags(sink)
                sink.flush()
            with self._timed("works"):
                self._make_works(sink)
                sink.flush()
        finally:
            sink.close()
            self._restore_session()
        with self._timed("counts and sequences"):
            self._finish()
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
        return self.timings

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

    # ------------------------------------------------------------------ text
    def _sentence(self, rng, words: int) -> str:
        chosen = rng.choices(VOCABULARY, k=words)
        chosen[0] = chosen[0].capitalize()
        return " ".join(chosen) + "."

    def _paragraph(self, rng, words: int) -> str:
        parts, left = [], words
        while left > 0:
            n = min(left, rng.randint(6, 18))
            parts.append(self._sentence(rng, n))
            left -= n
        return " ".join(parts)

    def _title(self, rng) -> str:
        pattern = rng.randrange(6)
        noun, noun2 = rng.choice(NOUNS).capitalize(), rng.choice(NOUNS).capitalize()
        adj, verb = rng.choice(ADJECTIVES).capitalize(), rng.choice(VERBS).capitalize()
        return (
            f"The {adj} {noun}",
            f"{noun} and {noun2}",
            f"{verb} the {noun}",
            f"What the {noun} Kept",
            f"{adj} {noun}s",
            f"A {noun} of {noun2}s",
        )[pattern]

    def _make_text_pools(self):
        rng = random.Random(self.seed * 7919 + 1)
        self.paragraphs = []
        for _ in range(400):
            words = rng.randint(40, 120)
            self.paragraphs.append((self._paragraph(rng, words), words))
        # Short bodies of the bulk of the works: two short paragraphs each.
        self.short_bodies = []
        for _ in range(500):
            a, b = self._paragraph(rng, rng.randint(12, 30)), self._paragraph(rng, 12)
            self.short_bodies.append((f"{a}\n\n{b}", f"<p>{a}</p>\n<p>{b}</p>"))
        self.summaries = []
        for _ in range(500):
            text = self._paragraph(rng, rng.randint(15, 60))
            self.summaries.append((text, str(render_summary(text))))
        self.notes = []
        for _ in range(100):
            text = self._paragraph(rng, rng.randint(10, 40))
            self.notes.append((text, str(render_markdown(text))))
        self.titles = [self._title(rng) for _ in range(5000)]
        self.chapter_titles = [self._title(rng) for _ in range(500)]

    def _full_text(self, rng, words: int) -> tuple[str, str]:
        """Body and rendered body with exactly `words` words (what count_words counts)."""
        paragraphs, left = [], words
        while left > 0:
            text, n = rng.choice(self.paragraphs)
            if n > left:
                text = " ".join(text.split()[:left])
                if not text.endswith("."):
                    text += "."
                n = left
            paragraphs.append(text)
            left -= n
        body = "\n\n".join(paragraphs)
        html = "\n".join(f"<p>{p}</p>" for p in paragraphs)
        return body, html

    # ------------------------------------------------------------------ users
    def _make_users(self, sink: Sink):
        User = get_user_model()
        rng = self.rng
        n_users = max(10, self.n_works // 10)
        start = (User.objects.aggregate(m=models.Max("pk"))["m"] or 0) + 1
        password = make_password(GENERATED_PASSWORD, salt=f"generated{self.seed}")
        table = Table(
            User,
            [
                "id",
                "password",
                "username",
                "email",
                "is_superuser",
                "is_staff",
                "is_active",
                "date_joined",
            ],
        )
        rows = []
        self.user_ids = list(range(start, start + n_users))
        self.usernames = {}
        for user_id in self.user_ids:
            username = f"{rng.choice(ADJECTIVES)}{rng.choice(NOUNS)}{user_id}"
            self.usernames[user_id] = username
            joined = EPOCH + dt.timedelta(seconds=rng.randrange(SPAN_SECONDS))
            rows.append(
                (
                    user_id,
                    password,
                    username,
                    f"{username}@{GENERATED_EMAIL_DOMAIN}",
                    False,
                    False,
                    True,
                    joined,
                )
            )
        sink.write(table, rows)
        # A few very prolific creators, many with one or two works.
        order = self.user_ids[:]
        rng.shuffle(order)
        self.creator_pool = order
        self.creator_cw = zipf_cum_weights(len(order), 0.8, offset=10)
        self.log(f"  {n_users:,} users")

    # ------------------------------------------------------------------ tags
    def _make_tags(self, sink: Sink):
        rng = self.rng
        existing = list(Tag.objects.values_list("pk", "name", "type", "merger_id"))
        self.tag_start = max((row[0] for row in existing), default=0) + 1
        names = NameBook(name for _, name, _, _ in existing)
        by_name = {name: pk for pk, name, _, _ in existing}
        self.next_tag_id = self.tag_start
        self.new_tags: list[tuple] = []  # rows for tags_tag
        self.parents: list[tuple[int, int]] = []
        self.metas: list[tuple[int, int]] = []
        self.merger: dict[int, int] = {pk: merger for pk, _, _, merger in existing if merger}
        meta_map: dict[int, list[int]] = {}
        for from_id, to_id in Tag.meta_tags.through.objects.values_list("from_tag_id", "to_tag_id"):
            meta_map.setdefault(from_id, []).append(to_id)

        created_at = EPOCH

        def new_tag(name, tag_type, canonical=True, merger=None):
            pk = self.next_tag_id
            self.next_tag_id += 1
            name = names.claim(name, tag_type)
            slug = f"{slugify(name, allow_unicode=True)[:200]}-{pk}"
            self.new_tags.append((pk, name, slug, tag_type, canonical, False, merger, created_at))
            if merger:
                self.merger[pk] = merger
            return pk

        def add_meta(sub, meta):
            self.metas.append((sub, meta))
            meta_map.setdefault(sub, []).append(meta)

        self.rating_ids = [by_name[n] for n in RATINGS]
        self.warning_ids = [by_name[n] for n in WARNINGS]
        self.category_ids = [by_name[n] for n in CATEGORIES]
        media_ids = [by_name[n] for n in MEDIA]

        # Fandoms: Zipf-like popularity, a few huge and a long tail of tiny ones.
        n_fandoms = max(20, self.n_works // 100)
        self.fandoms = []  # (canonical id, synonym id or None, characters, char cw, rels, rel cw)
        media_names, media_w = list(MEDIA_WEIGHTS), list(MEDIA_WEIGHTS.values())
        big = max(2, n_fandoms // 50)
        for rank in range(n_fandoms):
            base = self._fandom_name(rng)
            medium = rng.choices(media_names, weights=media_w)[0]
            suffix = {"TV Shows": " (TV)", "Movies": " (Movies)", "Video Games": " (Video Game)"}
            fandom = new_tag(base + suffix.get(medium, ""), TagType.FANDOM)
            self.parents.append((fandom, media_ids[MEDIA.index(medium)]))
            if rng.random() < 0.05:
                other = rng.choice([m for m in MEDIA if m != medium])
                self.parents.append((fandom, media_ids[MEDIA.index(other)]))
            if rank < big:
                meta = new_tag(f"{base} - All Media Types", TagType.FANDOM)
                self.parents.append((meta, media_ids[MEDIA.index("Uncategorized Fandoms")]))
                add_meta(fandom, meta)
            synonym = None
            if rng.random() < 0.1:
                initials = "".join(w[0] for w in base.split() if w[0].isupper())
                synonym = new_tag(
                    f"{initials or base} {rng.choice(NOUNS)}", TagType.FANDOM, False, fandom
                )
            size = (1.0 / (rank + 1)) ** 0.45
            n_chars = 3 + int(30 * size) + rng.randrange(3)
            chars, char_syn, char_names = [], {}, {}
            for _ in range(n_chars):
                first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
                char = new_tag(f"{first} {last}", TagType.CHARACTER)
                char_names[char] = self.new_tags[-1][1]
                self.parents.append((char, fandom))
                chars.append(char)
                if rng.random() < 0.05:
                    syn = new_tag(f"{first} {last[0]}.", TagType.CHARACTER, False, char)
                    self.parents.append((syn, fandom))
                    char_syn[char] = syn
            rels = []
            for _ in range(max(1, int(n_chars * 0.8))):
                a, b = rng.sample(chars, 2)
                joiner = "/" if rng.random() < 0.75 else " & "
                rel = new_tag(f"{char_names[a]}{joiner}{char_names[b]}", TagType.RELATIONSHIP)
                self.parents.append((rel, fandom))
                rels.append(rel)
            self.fandoms.append(
                (
                    fandom,
                    synonym,
                    chars,
                    zipf_cum_weights(len(chars), 1.0),
                    rels,
                    zipf_cum_weights(len(rels), 1.1),
                    char_syn,
                )
            )
        self.fandom_cw = zipf_cum_weights(n_fandoms, 1.05, offset=1.5)

        # Freeforms: meta chains (Alternate Universe > ... > ...), Fluff, and a long tail.
        n_freeforms = max(200, self.n_works // 20)
        au = new_tag("Alternate Universe", TagType.FREEFORM)
        fluff = new_tag("Fluff", TagType.FREEFORM)
        freeforms = [fluff, au]
        au_modern = None
        for setting in AU_SETTINGS:
            sub = new_tag(f"Alternate Universe - {setting}", TagType.FREEFORM)
            add_meta(sub, au)
            au_modern = au_modern or sub
            freeforms.append(sub)
        for kind in ("Tooth-Rotting Fluff", "Fluff and Angst", "Hurt/Comfort Fluff"):
            sub = new_tag(kind, TagType.FREEFORM)
            add_meta(sub, fluff)
            freeforms.append(sub)
        self.ff_synonyms: dict[int, int] = {}
        while len(freeforms) < n_freeforms:
            pattern = rng.randrange(5)
            noun, adj, verb = rng.choice(NOUNS), rng.choice(ADJECTIVES), rng.choice(VERBS)
            name = (
                f"{adj.capitalize()} {noun.capitalize()}",
                f"{verb.capitalize()} {noun.capitalize()}s",
                f"{noun.capitalize()} Feelings",
                f"Alternate Universe - {noun.capitalize()} Shop",
                f"Not {adj.capitalize()} Enough",
            )[pattern]
            canonical = len(freeforms) < n_freeforms * 0.3
            ff = new_tag(name, TagType.FREEFORM, canonical)
            if pattern == 3 and canonical:
                add_meta(ff, au_modern)
            if canonical and rng.random() < 0.05:
                syn = new_tag(f"{name} ({rng.choice(ADJECTIVES)})", TagType.FREEFORM, False, ff)
                self.ff_synonyms[ff] = syn
            freeforms.append(ff)
        self.freeforms = freeforms
        self.freeform_cw = zipf_cum_weights(len(freeforms), 1.0, offset=3)

        # What each tag puts in the filter rows (tags.filtering.filter_tag_ids_for).
        def closure(canonical):
            seen, frontier = {canonical}, [canonical]
            while frontier:
                frontier = [m for pk in frontier for m in meta_map.get(pk, ()) if m not in seen]
                seen.update(frontier)
            return seen

        self.tag_names = {pk: name for pk, name, _, _ in existing}
        self.tag_names.update((row[0], row[1]) for row in self.new_tags)
        self.filters: dict[int, tuple[int, ...]] = {}
        for pk in [row[0] for row in existing] + [row[0] for row in self.new_tags]:
            canonical = self.merger.get(pk, pk)
            self.filters[pk] = tuple(sorted(closure(canonical) | {pk}))

        tag_table = Table(
            Tag,
            ["id", "name", "slug", "type", "canonical", "unwrangleable", "merger", "created_at"],
        )
        sink.write(tag_table, self.new_tags)
        sink.write(Table(Tag.parents.through, ["from_tag", "to_tag"]), self.parents)
        sink.write(Table(Tag.meta_tags.through, ["from_tag", "to_tag"]), self.metas)
        self.log(
            f"  {len(self.new_tags):,} tags ({n_fandoms:,} fandoms, {len(freeforms):,} freeforms)"
        )

    def _fandom_name(self, rng) -> str:
        noun, noun2 = rng.choice(NOUNS).capitalize(), rng.choice(NOUNS).capitalize()
        adj = rng.choice(ADJECTIVES).capitalize()
        return (
            f"The {adj} {noun}",
            f"{noun} of the {adj} {noun2}",
            f"{adj} {noun} Chronicles",
            f"{noun}{noun2.lower()} Academy",
            f"Tales of {noun2}",
        )[rng.randrange(5)]

    # ------------------------------------------------------------------ works
    def _make_works(self, sink: Sink):
        rng = self.rng
        work_table = Table(
            Work,
            [
                "id",
                "title",
                "summary",
                "summary_html",
                "notes",
                "notes_html",
                "render_version",
                "language",
                "expected_chapters",
                "chapter_count",
                "word_count",
                "is_complete",
                "posted",
                "restricted",
                "hidden_by_moderator",
                "hidden_reason",
                "comment_permission",
                "moderate_comments",
                "published_at",
                "revised_at",
                "created_at",
                "updated_at",
            ],
        )
        chapter_table = Table(
            Chapter,
            [
                "work",
                "position",
                "title",
                "body",
                "body_html",
                "render_version",
                "word_count",
                "posted",
                "published_at",
                "created_at",
                "updated_at",
            ],
        )
        stats_table = Table(
            WorkStats, ["work", "hits", "kudos", "comments", "bookmarks", "subscriptions"]
        )
        creator_table = Table(WorkCreator, ["work", "user", "position"])
        tagging_table = Table(TaggedWork, ["tag", "content_object"])
        filter_table = Table(FilterTagging, ["tag", "work"])
        series_table = Table(
            Series,
            ["id", "title", "render_version", "is_complete", "created_at", "updated_at"],
        )
        series_creator_table = Table(Series.creators.through, ["series", "user"])
        series_work_table = Table(SeriesWork, ["series", "work", "position"])
        # Search documents as works.search.works_search_refresh writes them; PostgreSQL fills
        # the generated tsvector column itself.
        search_table = Table(WorkSearch, ["work", "title", "creators", "tags", "text"])
        tag_names, usernames = self.tag_names, self.usernames

        start = (Work.objects.aggregate(m=models.Max("pk"))["m"] or 0) + 1
        series_id = (Series.objects.aggregate(m=models.Max("pk"))["m"] or 0) + 1
        self.work_start = start
        self.counts: Counter = Counter()
        open_series: dict[int, list] = {}

        languages, language_cw = list(LANGUAGE_WEIGHTS), list(accumulate(LANGUAGE_WEIGHTS.values()))
        rating_ids = [self.rating_ids[RATINGS.index(n)] for n in RATING_WEIGHTS]
        rating_cw = list(accumulate(RATING_WEIGHTS.values()))
        warning_ids = [self.warning_ids[WARNINGS.index(n)] for n in WARNING_WEIGHTS]
        warning_cw = list(accumulate(WARNING_WEIGHTS.values()))
        category_ids = [self.category_ids[CATEGORIES.index(n)] for n in CATEGORY_WEIGHTS]
        category_cw = list(accumulate(CATEGORY_WEIGHTS.values()))
        general = self.rating_ids[RATINGS.index("General Audiences")]
        no_warnings = self.warning_ids[WARNINGS.index("No Archive Warnings Apply")]
        fandoms, fandom_cw = self.fandoms, self.fandom_cw
        freeforms, freeform_cw, ff_syn = self.freeforms, self.freeform_cw, self.ff_synonyms
        creators, creator_cw = self.creator_pool, self.creator_cw
        filters = self.filters
        choices, rand, randrange = rng.choices, rng.random, rng.randrange
        lognormvariate = rng.lognormvariate
        titles, summaries, notes = self.titles, self.summaries, self.notes
        short_bodies, chapter_titles = self.short_bodies, self.chapter_titles
        full_text_left = FULL_TEXT_WORKS
        began = time.monotonic()
        total = self.n_works
        done = 0

        while done < total:
            n = min(self.batch, total - done)
            works, chapters, stats, creator_rows = [], [], [], []
            taggings, filter_rows, series_rows, series_creators, series_works = [], [], [], [], []
            documents = []
            for index in range(done, done + n):
                work_id = start + index
                first = index == 0
                # Works 2, 3 and 4 are a draft, a restricted and a hidden work, so that even a
                # tiny archive has one of each; the rest are drawn.
                draft = index == 1 or (index > 3 and rand() < 0.02)
                posted = not draft
                hidden = index == 3 or (index > 3 and posted and rand() < 0.005)
                restricted = index == 2 or (index > 3 and rand() < 0.05)

                # Tags.
                fandom_picks = choices(fandoms, cum_weights=fandom_cw, k=1)
                r = rand()
                if r < 0.05:
                    fandom_picks += choices(fandoms, cum_weights=fandom_cw, k=1 + (r < 0.01))
                tags = {
                    general if first else choices(rating_ids, cum_weights=rating_cw)[0],
                    no_warnings if first else choices(warning_ids, cum_weights=warning_cw)[0],
                }
                if rand() < 0.2:
                    tags.update(choices(warning_ids, cum_weights=warning_cw, k=1))
                r = rand()
                n_cat = 0 if r < 0.15 else 1 if r < 0.8 else 2
                if n_cat:
                    tags.update(choices(category_ids, cum_weights=category_cw, k=n_cat))
                for fandom, synonym, chars, char_cw, rels, rel_cw, char_syn in fandom_picks:
                    tags.add(synonym if synonym and rand() < 0.2 else fandom)
                    k_chars = 1 + int(lognormvariate(1.2, 0.6))
                    for char in choices(chars, cum_weights=char_cw, k=min(k_chars, 12)):
                        tags.add(char_syn.get(char, char) if rand() < 0.2 else char)
                    r = rand()
                    k_rels = 0 if r < 0.15 else 1 if r < 0.5 else 2 + int(lognormvariate(0.4, 0.7))
                    if k_rels:
                        tags.update(choices(rels, cum_weights=rel_cw, k=min(k_rels, 8)))
                k_ff = int(lognormvariate(1.9, 0.75))
                if k_ff:
                    for ff in choices(freeforms, cum_weights=freeform_cw, k=min(k_ff, 40)):
                        tags.add(ff_syn.get(ff, ff) if ff in ff_syn and rand() < 0.3 else ff)
                tag_list = sorted(tags)
                taggings.extend([(t, work_id) for t in tag_list])
                filter_ids = set()
                for t in tag_list:
                    filter_ids.update(filters[t])
                filter_rows.extend([(t, work_id) for t in filter_ids])
                if posted and not hidden:
                    self.counts.update(tag_list)

                # Chapters and words.
                multi = not first and rand() < 0.1
                if multi:
                    n_chapters = min(60, 2 + int(lognormvariate(1.0, 0.8)))
                    words = [max(100, int(lognormvariate(7.6, 0.6))) for _ in range(n_chapters)]
                    r = rand()
                    expected = n_chapters if r < 0.55 else None if r < 0.8 else n_chapters + 3
                elif first:
                    n_chapters, words, expected = 1, [BENCH_WORK_WORDS], 1
                else:
                    n_chapters = 1
                    words = [min(200000, max(50, int(lognormvariate(7.7, 1.1))))]
                    expected = 1 if rand() < 0.95 else None
                full_text = posted and full_text_left > 0
                if full_text:
                    full_text_left -= 1
                    words = [min(w, FULL_TEXT_MAX_CHAPTER_WORDS) for w in words]
                offset = int(SPAN_SECONDS * rand() ** 0.6)
                published = EPOCH + dt.timedelta(seconds=offset)
                if multi:
                    span = min(int(SPAN_SECONDS - offset), randrange(86400, 86400 * 700))
                    revised = published + dt.timedelta(seconds=span)
                else:
                    span, revised = 0, published
                for position in range(1, n_chapters + 1):
                    at = published + dt.timedelta(seconds=span * (position - 1) // n_chapters)
                    if full_text:
                        body, body_html = self._full_text(rng, words[position - 1])
                    else:
                        body, body_html = short_bodies[randrange(500)]
                    chapter_title = chapter_titles[randrange(500)] if multi and rand() < 0.5 else ""
                    chapters.append(
                        (
                            work_id,
                            position,
                            chapter_title,
                            body,
                            body_html,
                            RENDER_VERSION,
                            words[position - 1],
                            posted,
                            at.date() if posted else None,
                            at,
                            at,
                        )
                    )
                chapter_count = n_chapters if posted else 0
                word_count = sum(words) if posted else 0
                summary, summary_html = summaries[randrange(500)] if rand() < 0.95 else ("", "")
                note, note_html = notes[randrange(100)] if rand() < 0.2 else ("", "")
                r = rand()
                permission = "everyone" if r < 0.9 else "registered" if r < 0.98 else "nobody"
                title = "A Six Thousand Word Story" if first else titles[randrange(5000)]
                works.append(
                    (
                        work_id,
                        title,
                        summary,
                        summary_html,
                        note,
                        note_html,
                        RENDER_VERSION,
                        "en" if full_text else choices(languages, cum_weights=language_cw)[0],
                        expected,
                        chapter_count,
                        word_count,
                        bool(expected and chapter_count >= expected),
                        posted,
                        restricted,
                        hidden,
                        "Hidden while a report is reviewed." if hidden else "",
                        permission,
                        rand() < 0.03,
                        published.date() if posted else None,
                        revised if posted else None,
                        published,
                        revised,
                    )
                )
                if posted:
                    hits = int(lognormvariate(5.5, 1.5)) + 1
                    kudos = int(hits * rand() * 0.15)
                    comments = int(kudos * rand() * 0.3)
                    bookmarks = int(kudos * rand() * 0.25)
                    stats.append((work_id, hits, kudos, comments, bookmarks, bookmarks // 4))
                else:
                    stats.append((work_id, 0, 0, 0, 0, 0))

                # Creators and series.
                owner = creators[0] if first else choices(creators, cum_weights=creator_cw)[0]
                creator_rows.append((work_id, owner, 0))
                byline = usernames[owner]
                if rand() < 0.03:
                    co = choices(creators, cum_weights=creator_cw)[0]
                    if co != owner:
                        creator_rows.append((work_id, co, 1))
                        byline = f"{byline} {usernames[co]}"
                documents.append(
                    (
                        work_id,
                        title,
                        byline,
                        " ".join([tag_names[t] for t in tag_list]),
                        f"{summary} {note}" if summary and note else summary or note,
                    )
                )
                if rand() < 0.04:
                    current = open_series.get(owner)
                    if current is None:
                        current = [series_id, 0]
                        open_series[owner] = current
                        series_rows.append(
                            (
                                series_id,
                                titles[randrange(5000)],
                                RENDER_VERSION,
                                rand() < 0.4,
                                published,
                                revised,
                            )
                        )
                        series_creators.append((series_id, owner))
                        series_id += 1
                    current[1] += 1
                    series_works.append((current[0], work_id, current[1]))
                    if current[1] >= 2 and rand() < 0.3:
                        del open_series[owner]

            sink.write(work_table, works)
            sink.write(stats_table, stats)
            sink.write(creator_table, creator_rows)
            sink.write(chapter_table, chapters)
            sink.write(series_table, series_rows)
            sink.write(series_creator_table, series_creators)
            sink.write(series_work_table, series_works)
            # In (tag, work) order: the (tag, work) indexes then take each tag's new entries in
            # one run of pages instead of a page miss per row (several times faster at 1M).
            taggings.sort()
            filter_rows.sort()
            sink.write(tagging_table, taggings)
            sink.write(filter_table, filter_rows)
            sink.write(search_table, documents)
            done += n
            elapsed = time.monotonic() - began
            self.log(
                f"  {done:,} / {total:,} works generated, {elapsed:.0f} s "
                f"({done / max(elapsed, 1e-6):,.0f} works/s)"
            )
        self.n_series = series_id

    # ------------------------------------------------------------------ finish
    def _finish(self):
        rows = sorted(self.counts.items())
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
            for sql in connection.ops.sequence_reset_sql(no_style(), [User, Tag, Work, Series]):
                cursor.execute(sql)

    def _analyze(self):
        tables = [
            model._meta.db_table
            for model in (
                get_user_model(),
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
