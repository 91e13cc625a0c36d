"""The API's tests drive it as a program would: over HTTP, through a client generated from the
schema by openapi-python-client (`api_client`), or with plain requests (`api`).

- `token_for(user, *scopes)` makes a personal access token through the service and returns
  its secret.
- `api` is a Django test client that sends JSON and a bearer token: `api.get(url, token=…)`.
- `generated` is the package openapi-python-client writes from the current schema (once per
  run, into a temporary folder); `api_client(token=None)` is its Client or AuthenticatedClient,
  speaking to this process's Django through httpx's WSGI transport, inside the test's
  transaction.
"""

import importlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client

from archive.models import AccessToken
from archive.services.tokens import token_create

ALL_SCOPES = tuple(AccessToken.Scope.values)


def token_for(user, *scopes, name="test token") -> str:
    _token, secret = token_create(user, name=name, scopes=scopes or ALL_SCOPES)
    return secret


class ApiClient(Client):
    """JSON in and out, a bearer token per call."""

    def _with(self, token, extra):
        if token:
            extra["HTTP_AUTHORIZATION"] = f"Bearer {token}"
        return extra

    def get(self, path, data=None, *, token=None, **extra):
        return super().get(path, data, **self._with(token, extra))

    def post(self, path, data=None, *, token=None, **extra):
        body = json.dumps(data if data is not None else {})
        return super().post(path, body, content_type="application/json", **self._with(token, extra))

    def patch(self, path, data=None, *, token=None, **extra):
        body = json.dumps(data if data is not None else {})
        return super().patch(
            path, body, content_type="application/json", **self._with(token, extra)
        )

    def put(self, path, data=None, *, token=None, **extra):
        body = json.dumps(data if data is not None else {})
        return super().put(path, body, content_type="application/json", **self._with(token, extra))

    def delete(self, path, data=None, *, token=None, **extra):
        return super().delete(path, **self._with(token, extra))


@pytest.fixture
def api():
    return ApiClient()


class _InTransaction:
    """Django's WSGI handler, without closing the database connection at the end of each
    request (as Django's own test client does), so the test's transaction survives."""

    def __init__(self):
        self.handler = WSGIHandler()

    def __call__(self, environ, start_response):
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
        try:
            result = self.handler(environ, start_response)
            try:
                body = b"".join(result)
            finally:
                result.close()
        finally:
            request_started.connect(close_old_connections)
            request_finished.connect(close_old_connections)
        return [body]


@pytest.fixture(scope="session")
def generated(tmp_path_factory, django_db_setup):
    """The Python client openapi-python-client generates from the API's schema today."""
    from works.management.commands.api_schema import schema_text

    folder = tmp_path_factory.mktemp("api_client")
    schema = folder / "openapi.json"
    schema.write_text(schema_text())
    bin_dir = Path(sys.executable).parent
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"}
    subprocess.run(
        [
            str(bin_dir / "openapi-python-client"),
            "generate",
            "--path",
            str(schema),
            "--output-path",
            str(folder / "out"),
            "--meta",
            "none",
        ],
        check=True,
        capture_output=True,
        env=env,
        cwd=folder,
    )
    sys.path.insert(0, str(folder))
    package = importlib.import_module("out")
    yield package
    sys.path.remove(str(folder))


@pytest.fixture
def api_client(generated, db):
    import httpx

    transport = httpx.WSGITransport(app=_InTransaction())

    def make(token=None):
        args = {"base_url": "http://testserver", "httpx_args": {"transport": transport}}
        if token:
            return generated.AuthenticatedClient(token=token, **args)
        return generated.Client(**args)

    return make
