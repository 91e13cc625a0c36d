"""Readers' AO3 clients (FanFicFare, ao3-api) driven against this archive (issue 14).

Both clients build https://archiveofourown.org URLs and end in requests' HTTPAdapter.send, so
`ao3_host` rewrites every request to an AO3 host into one to the module's live server,
keeping path and query, before any client call; a request to any other host that is not
loopback fails the test (no test may ever reach the real AO3).

One live server and one dataset per module (`archive_server`, `module_data`): the data is
committed once, read by every test of the module, and removed at the module's end by a
flush that restores what migrations made (the fixed tags). The transactional `live_server`
fixture would flush after every test, so each test would have to build the data again.
"""

from urllib.parse import urlsplit, urlunsplit

import pytest
import requests.adapters
from django.apps import apps
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connections
from pytest_django.live_server_helper import LiveServer

AO3_HOSTS = {"archiveofourown.org", "www.archiveofourown.org", "download.archiveofourown.org"}
LOOPBACK = {"127.0.0.1", "localhost", "::1"}


@pytest.fixture(scope="module")
def archive_server(django_db_setup, django_db_blocker):
    """A live server of its own for the module, and the database unblocked while it runs."""
    with django_db_blocker.unblock():
        snapshots = {
            alias: connections[alias].creation.serialize_db_to_string() for alias in connections
        }
        server = LiveServer("127.0.0.1:0")
        try:
            yield server
        finally:
            server.stop()
            for alias, snapshot in snapshots.items():
                call_command(
                    "flush",
                    database=alias,
                    interactive=False,
                    verbosity=0,
                    inhibit_post_migrate=True,
                )
                connections[alias].creation.deserialize_db_from_string(snapshot)
                _reset_sequences(connections[alias])


def _reset_sequences(connection):
    """The restored rows kept their ids: PostgreSQL's sequences must move past them."""
    statements = connection.ops.sequence_reset_sql(no_style(), apps.get_models())
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


@pytest.fixture(autouse=True)
def ao3_host(monkeypatch, request):
    """Every request to an AO3 host goes to the module's live server instead."""
    if "archive_server" not in request.fixturenames:
        yield None
        return
    server = request.getfixturevalue("archive_server")
    target = urlsplit(server.url)
    original_send = requests.adapters.HTTPAdapter.send

    def send(adapter, prepared, **kwargs):
        parts = urlsplit(prepared.url)
        if parts.hostname not in AO3_HOSTS:
            if parts.hostname not in LOOPBACK:
                pytest.fail(f"A client tried to reach {prepared.url}", pytrace=False)
            return original_send(adapter, prepared, **kwargs)
        # A copy goes to the live server; the answer names the AO3 URL asked for, so the
        # client keeps its cookies under the AO3 host and resolves redirects against it.
        local = prepared.copy()
        local.url = urlunsplit(("http", target.netloc, parts.path, parts.query, ""))
        response = original_send(adapter, local, **kwargs)
        response.request, response.url = prepared, prepared.url
        return response

    monkeypatch.setattr(requests.adapters.HTTPAdapter, "send", send)
    yield server
