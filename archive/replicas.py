"""Read replicas: reads of a reader's GET go to a streaming replica, everything else to the primary.

`DATABASE_REPLICA_URLS` (settings) names any number of replicas; each becomes a database alias
`replica1`, `replica2`, ... and `ReplicaRouter` is installed. Which reads may use a replica is
decided per request, by `ReplicaMiddleware`, never per query:

- only a GET, HEAD or OPTIONS request reads from a replica, and one replica for the whole
  request (chosen at random), so one page never mixes two replicas' moments;
- a request that writes (any POST, or a GET whose view saved something) reads from the primary
  from its first write on, and it sets the `archive_primary` cookie: for
  `ARCHIVE_REPLICA_PIN_SECONDS` after a write, that browser's requests read from the primary too,
  so an author sees the chapter they just posted, even on a replica that is a moment behind;
- reads inside a transaction (`atomic`) go to the primary;
- anything outside a request (task workers, management commands, the test suite) reads from the
  primary: they act on what they read.

The cookie holds nothing secret: whoever forges it only makes their own reads slower. It is the
reader's own window, so it works the same for guests (a guest comment) and members, on every app
server, with nothing shared between servers.
"""

from __future__ import annotations

import random
import time
from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

PIN_COOKIE = "archive_primary"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@dataclass
class _RequestReads:
    replica: str | None  # the replica this request reads from, or None: the primary
    wrote: bool = False


_current: ContextVar[_RequestReads | None] = ContextVar("archive_replica_reads", default=None)


def replica_aliases() -> list[str]:
    return list(getattr(settings, "DATABASE_REPLICAS", ()))


def reading_from() -> str:
    """The alias reads of the current request go to (the primary outside a request)."""
    reads = _current.get()
    if reads is None or reads.replica is None or reads.wrote:
        return DEFAULT_DB_ALIAS
    return reads.replica


class ReplicaRouter:
    """Reads as `reading_from()` says; writes, migrations and relations on the primary."""

    def db_for_read(self, model, **hints):
        alias = reading_from()
        if alias != DEFAULT_DB_ALIAS and connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return DEFAULT_DB_ALIAS
        return alias

    def db_for_write(self, model, **hints):
        reads = _current.get()
        if reads is not None:
            reads.wrote = True
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        return True  # every alias holds the same data

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS


def _pinned(request) -> bool:
    try:
        return float(request.COOKIES.get(PIN_COOKIE, "0")) > time.time()
    except ValueError:
        return False


class ReplicaMiddleware:
    """Chooses, per request, whether its reads may go to a replica (see the module's doc)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        replicas = replica_aliases()
        if not replicas:
            return self.get_response(request)
        replica = None
        if request.method in SAFE_METHODS and not _pinned(request):
            replica = random.choice(replicas)
        reads = _RequestReads(replica=replica)
        token = _current.set(reads)
        try:
            response = self.get_response(request)
        finally:
            _current.reset(token)
        if reads.wrote or request.method not in SAFE_METHODS:
            seconds = settings.ARCHIVE_REPLICA_PIN_SECONDS
            response.set_cookie(
                PIN_COOKIE,
                f"{time.time() + seconds:.0f}",
                max_age=seconds,
                httponly=True,
                samesite="Lax",
                secure=request.is_secure(),
            )
        return response


def read_connection():
    """The connection a raw SQL read should use: where the router sends this request's reads."""
    return connections[ReplicaRouter().db_for_read(None)]
