"""The access matrix for the API: every operation in the schema, whatever its method, asked
about each secret work (draft, hidden, restricted, unrevealed, anonymous; each with a chapter,
a comment, a bookmark, a subscription, a series and a collection) by a guest and by another
member whose token has every scope. The operations are read from the schema, so an endpoint
added tomorrow is walked without a new test; the bodies are built from the schema too, with
every required field filled, so a refusal comes from the rules, not from a missing field.

What may not be seen or touched answers an error (401, 403, 404, 405, 422) that shows none of
the work's title or text, never a success, and changes nothing.
(GETs are also walked with the site's every URL in tests/works/test_access_matrix.py.)"""

import pytest

from tests.api.conftest import ApiClient, token_for
from tests.factories import make_user
from tests.works.test_access_matrix import SECRET_STATES, _may_read, _text, _title, _walk_world
from works.api.v1 import api
from works.models import Bookmark, Comment, Kudos, Reading, Subscription, Work

pytestmark = pytest.mark.django_db

# Path parameters that name a secret object; an operation with one of them is asked per state.
NAMING = {"work_id", "chapter_id", "comment_id", "bookmark_id", "subscription_id", "series_id"}
# The walking member's own rows in the world: they may delete their subscription to a work
# that has since become secret (it names nothing); it must still not show the work.
OWN = {"subscription_id"}
# An unrevealed work is a "Mystery Work" to others, as its page is: 200 with no title or text.
MYSTERY = {("GET", "/api/v1/works/{work_id}")}
PROBE_TEXT = "Matrix probe text, long enough for any form."


def _operations():
    schema = api.get_openapi_schema(path_prefix="/api/v1")
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            yield path, method.upper(), operation, schema


def _resolve(node, schema):
    while isinstance(node, dict) and "$ref" in node:
        name = node["$ref"].rsplit("/", 1)[-1]
        node = schema["components"]["schemas"][name]
    return node


def _sample(node, name, schema, values):
    """A value of the node's type; ids from the world where the name says which."""
    node = _resolve(node, schema)
    for key in ("anyOf", "oneOf", "allOf"):
        if key in node:
            options = [_resolve(o, schema) for o in node[key] if o.get("type") != "null"]
            return _sample(options[0], name, schema, values) if options else None
    if "enum" in node:
        return node["enum"][0]
    kind = node.get("type")
    if kind == "object":
        required = node.get("required", [])
        properties = node.get("properties", {})
        return {key: _sample(properties[key], key, schema, values) for key in required}
    if kind == "array":
        return []
    if kind == "integer":
        return values.get(name, 1)
    if kind == "number":
        return 1
    if kind == "boolean":
        return False
    if name in values:
        return str(values[name])
    return PROBE_TEXT


def _body(operation, schema, values):
    content = operation.get("requestBody", {}).get("content", {})
    json_schema = content.get("application/json", {}).get("schema")
    return _sample(json_schema, "body", schema, values) if json_schema else None


def _path(template, values):
    filled = template
    for name, value in values.items():
        filled = filled.replace("{" + name + "}", str(value))
    return filled


def _rows():
    return (
        Comment.objects.count(),
        Kudos.objects.count(),
        Bookmark.objects.count(),
        Subscription.objects.count(),
        Reading.objects.count(),
        Work.objects.count(),
    )


@pytest.mark.parametrize("walker", ["guest", "other"])
def test_no_operation_shows_or_touches_a_secret_work(walker):
    walker_user = make_user(username="apiwalker") if walker == "other" else None
    world, fandom = _walk_world(walker_user or make_user(username="apighost"))
    token = token_for(walker_user) if walker_user else None
    client = ApiClient()
    failures, asked = [], 0
    for template, method, operation, schema in _operations():
        names = {part[1:-1] for part in template.split("/") if part.startswith("{")}
        if not names & NAMING:
            continue
        for state in SECRET_STATES:
            if _may_read(state, walker):
                continue
            values = {
                **world[state],
                "tag_id": fandom.pk,
                "name": world[state]["collection"],
            }
            url = _path(template, values)
            body = _body(operation, schema, values)
            before = _rows()
            call = getattr(client, method.lower())
            response = call(url, body, token=token) if body is not None else call(url, token=token)
            asked += 1
            text = response.content.decode(errors="replace")
            for leaked in (_title(state), _text(state)):
                if leaked in text:
                    failures.append(f"{method} {url} ({state}): shows {leaked!r}")
            if walker == "other" and names & NAMING <= OWN:
                continue
            if state == "unrevealed" and (method, template) in MYSTERY:
                continue
            if response.status_code not in {401, 403, 404, 405, 422}:
                failures.append(f"{method} {url} ({state}): {response.status_code}")
            if method != "GET" and _rows() != before:
                failures.append(f"{method} {url} ({state}): changed the database")
    assert asked >= 5
    assert failures == [], "\n".join(failures)
