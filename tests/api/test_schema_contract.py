"""The schema is a contract with every program written against the API: it may change only
with a new version. docs/api/openapi-v1.json is the schema as published, docs/api/versions.txt
the digest of each version's schema; `make api-schema` writes both and refuses to record a
changed schema under a version already recorded."""

import json

from works.api.v1 import VERSION, api
from works.management.commands.api_schema import (
    SNAPSHOT,
    digest,
    recorded_versions,
    schema_text,
)

HOW = (
    "The API's schema changed. If that was meant: bump VERSION in works/api/v1.py (the minor "
    "number for an addition, a new /api/v2/ for a breaking change) and run `make api-schema`."
)


def test_the_schema_is_the_published_one():
    assert SNAPSHOT.read_text() == schema_text(), HOW


def test_the_published_schema_is_recorded_under_the_current_version():
    recorded = recorded_versions()
    assert VERSION in recorded, HOW
    assert recorded[VERSION] == digest(SNAPSHOT.read_text()), HOW
    assert json.loads(SNAPSHOT.read_text())["info"]["version"] == VERSION


def test_versions_only_go_up():
    numbers = [tuple(int(part) for part in version.split(".")) for version in recorded_versions()]
    assert numbers == sorted(numbers) and len(set(numbers)) == len(numbers)


def test_every_operation_has_its_own_name():
    schema = api.get_openapi_schema(path_prefix="/api/v1")
    names = [op["operationId"] for path in schema["paths"].values() for op in path.values()]
    assert len(names) == len(set(names))
    assert all("__" not in name and not name.startswith("works_api") for name in names)


def test_the_schema_is_served_with_its_docs(client):
    response = client.get("/api/v1/schema")
    assert response.status_code == 200
    served = response.json()
    assert served["openapi"].startswith("3.")
    assert served["info"]["version"] == VERSION
    assert "/api/v1/me" in served["paths"]
    docs = client.get("/api/v1/docs")
    assert docs.status_code == 200
    # Swagger UI from the archive's own static files: no CDN, nothing from another site.
    assert b"/static/ninja/swagger-ui-bundle.js" in docs.content
    assert b"cdn" not in docs.content.lower()


def test_every_schema_has_its_own_name():
    """Two schemas of one name would be one in the published schema, and a generated client
    would read one of them wrongly."""
    import importlib
    import pkgutil

    from ninja import Schema

    import works.api

    seen = {}
    for module_info in pkgutil.iter_modules(works.api.__path__):
        module = importlib.import_module(f"works.api.{module_info.name}")
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, Schema) and value is not Schema:
                seen.setdefault(value.__name__, set()).add(f"{value.__module__}")
    assert {name: where for name, where in seen.items() if len(where) > 1} == {}
