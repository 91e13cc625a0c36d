"""Hostile input on every URL: never a 5xx, never a logged traceback, never a write on GET.

Every leaf of the URL configuration (walked from the root resolver by tests.hostile.routes,
so a new view is covered without a new test) is requested as a guest, a reader and the
work's creator, by GET and POST, with path values, query parameters and form fields drawn by
Hypothesis: the parameters the view reads on an ordinary request (recorded) and the fields
and link parameters its page offers, plus keys nobody reads, filled with Unicode digits,
NUL, huge and negative numbers, long strings, broken percent-escapes and broken AO3 tag
escapes. CI runs the "ci" profile (a few examples per URL, derandomized); `make fuzz` runs
the "fuzz" profile with many more.
"""

from __future__ import annotations

import logging
from contextlib import contextmanager

import pytest
from django.db import connection, transaction
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from archive.services import invitations as services_invitations
from tags.models import Tag, TagType
from tests.factories import make_user, make_work
from tests.hostile import BROKEN_ESCAPES, SWEEP, ReadKeys, encode, page_keys, pairs, routes, sweep
from tests.responses import body
from works.services import collections as services_collections
from works.services import feedback as services_feedback
from works.services import posting as services

pytestmark = pytest.mark.django_db

ROUTES = routes()
WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")
# A session is the visitor's own state (the adult notice, a form kept across a log-in),
# not archive data; every other table must be left alone by a GET.
SESSION_TABLE = "django_session"


@pytest.fixture
def world(settings):
    """A small archive with one of everything a URL can name."""
    settings.ARCHIVE_RATE_LIMITS_ENABLED = False  # a 429 would stop the view from running
    settings.ARCHIVE_SIGNUP = "invite"  # the queue's pages and the sign-up's code field run
    settings.HITS_FLUSH_THRESHOLD = 10**9  # hits stay buffered in the cache: no write on GET
    settings.HITS_FLUSH_INTERVAL = 10**9
    creator, reader = make_user(username="fuzzauthor"), make_user(username="fuzzreader")
    work = make_work(
        creator=creator,
        title="Fuzzed Lantern",
        chapters=2,
        tags={
            TagType.RATING: ["Mature"],
            TagType.RELATIONSHIP: ["Quill/Ink"],
            TagType.CHARACTER: ["Quill"],
            TagType.FREEFORM: ["Slow Burn", "Fluff & Angst"],
        },
    )
    draft = make_work(creator=creator, title="Fuzzed Draft", post=False)
    chapter = work.chapters.order_by("position").last()
    series = services.series_create(creator=creator, title="Fuzzed Series")
    services.work_set_series(work=work, series=[series])
    collection = services_collections.collection_create(
        owner=creator, fields={"name": "fuzz_fest", "title": "Fuzz Fest"}
    )
    services_collections.collection_add_work(collection=collection, work=work, user=creator)
    prompt = services_collections.prompt_add(collection=collection, position=1, title="Lanterns")
    comment = services_feedback.comment_add(chapter=chapter, user=reader, content="Lovely.")
    bookmark = services_feedback.bookmark_save(user=reader, work=work, notes="kept")
    subscription = services_feedback.subscription_add(user=reader, work=work)
    fandom = Tag.objects.filter(type=TagType.FANDOM).first()
    creator.invitations_left = 2
    creator.save(update_fields=["invitations_left"])
    services_invitations.invite_request_add(email="queued@example.org")
    invitation = services_invitations.invitation_send(email="fuzz.friend@example.org")
    ids = {
        "work_id": [work.pk, draft.pk],
        "chapter_id": [chapter.pk, work.chapters.order_by("position").first().pk],
        "series_id": [series.pk],
        "comment_id": [comment.pk],
        "bookmark_id": [bookmark.pk],
        "subscription_id": [subscription.pk],
        "tag_id": [fandom.pk],
        "position": [prompt.position],
        "object_id": [work.pk, creator.pk],
    }
    names = {
        "login": [creator.username, reader.username],
        "pseud": [creator.username],
        "name": [fandom.name, "Slow Burn", "Fluff *a* Angst", collection.name],
        "media_name": ["Books *a* Literature", "Anime *a* Manga"],
        "tag_type": ["fandom", "character", "freeform"],
        "filename": ["Fuzzed_Lantern"],
        "extension": ["html", "epub"],
        "code": [invitation.code, "NoSuchCode"],
    }
    return {"creator": creator, "reader": reader, "ids": ids, "names": names}


def _real_values(world, name: str) -> list[str]:
    values = world["ids"].get(name) or world["names"].get(name)
    if values is None:
        values = [v for vs in (*world["ids"].values(), *world["names"].values()) for v in vs]
    return [str(v) for v in values]


@contextmanager
def _no_writes():
    """Fail on any INSERT, UPDATE or DELETE the request sends, other than to its session."""
    writes = []

    def watch(execute, sql, params, many, context):
        verb = sql.lstrip().split(" ", 1)[0].upper()
        if verb in WRITES and SESSION_TABLE not in sql:
            writes.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(watch):
        yield writes


class _Errors(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.ERROR)
        self.records = []

    def emit(self, record):
        self.records.append(record)


@contextmanager
def _logged_errors():
    handler = _Errors()
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield handler.records
    finally:
        root.removeHandler(handler)


def _clients(world):
    guest = Client(raise_request_exception=False)
    reader = Client(raise_request_exception=False)
    creator = Client(raise_request_exception=False)
    return {
        "guest": (guest, None),
        "reader": (reader, world["reader"]),
        "creator": (creator, world["creator"]),
    }


def _discover_keys(route, clients, path: str) -> list[str]:
    """The parameters the view reads on an ordinary GET and POST, and those its page offers."""
    keys = set()
    for client, user in clients.values():
        if user is not None:
            client.force_login(user)
        with ReadKeys() as read, transaction.atomic():
            response = client.get(path)
            client.post(path, {})
            transaction.set_rollback(True)
        keys |= read.keys
        if response.get("Content-Type", "").startswith("text/html"):
            keys |= page_keys(body(response).decode(errors="replace"))
    keys.discard("csrfmiddlewaretoken")
    return sorted(keys)


def _path(route, draw, world) -> str:
    values = {}
    for name, regex in route.params:
        real = _real_values(world, name)
        hostile = st.from_regex(regex, fullmatch=True) if regex else st.text(max_size=20)
        value = draw(st.one_of(st.sampled_from(real), st.sampled_from(real), hostile))
        values[name] = value
    return route.template.format(**values)


def _examples(route) -> int:
    base = settings().max_examples
    return max(2, base // 4) if route.admin else base


@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_hostile_input_never_breaks_a_page(route, world):
    clients = _clients(world)
    first = route.template.format(**{n: _real_values(world, n)[0] for n, _r in route.params})
    keys = _discover_keys(route, clients, first)
    real = sorted({v for name in world["ids"] for v in _real_values(world, name)} | {"1", "true"})

    roles = sorted(clients)
    for n, value in enumerate(SWEEP):
        # Every parameter at once, each kind of hostile value, roles and methods in turn.
        role, method = roles[n % len(roles)], ("GET", "POST")[n // len(roles) % 2]
        broken = BROKEN_ESCAPES[n % len(BROKEN_ESCAPES)] if n % 4 == 3 else None
        _request(route, clients, role, method, first, sweep(keys, value, broken))

    @settings(
        max_examples=_examples(route),
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
        deadline=None,
    )
    @given(data=st.data())
    def request_survives(data):
        role = data.draw(st.sampled_from(roles), label="role")
        path = _path(route, data.draw, world)
        raw = encode(data.draw(pairs(keys, real), label="parameters"))
        method = data.draw(st.sampled_from(["GET", "POST"]), label="method")
        _request(route, clients, role, method, path, raw)

    request_survives()


def _request(route, clients, role: str, method: str, path: str, raw: str) -> None:
    """One request, rolled back after: no 5xx, nothing logged at ERROR, no write on GET."""
    client, user = clients[role]
    if user is not None:
        client.force_login(user)
    with _logged_errors() as errors, transaction.atomic():
        if method == "GET":
            with _no_writes() as writes:
                response = client.get(path, QUERY_STRING=raw)
            assert not writes, f"GET {path}?{raw[:300]} wrote: {writes[:3]}"
        else:
            response = client.post(path, raw, content_type="application/x-www-form-urlencoded")
        transaction.set_rollback(True)
    shown = f"{method} {path}?{raw[:300]} as {role}"
    assert response.status_code < 500, f"{shown} answered {response.status_code}"
    assert not errors, f"{shown} logged: {[r.getMessage()[:200] for r in errors]}"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "/users/%00",
        "/users/a%00b/works",
        "/users/a%00b/gifts",
        "/users/someone/pseuds/a%00b/works",
        "/tags/a%00b/works",
        "/tags/a%00b",
        "/collections/a%00/prompts",
    ],
)
def test_a_nul_in_the_path_is_not_found(client, path):
    """PostgreSQL refuses a NUL in any text it is sent; a path holding one names nothing here
    and answers 404 before any view looks it up: no URL pattern takes it (<name:>, <slug:>),
    and old logins are not looked up for it (FormerLoginMiddleware). It was a 500 for
    /users/<login>/... on PostgreSQL."""
    assert client.get(path).status_code == 404
