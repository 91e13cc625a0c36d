"""Version 1 of the API, at /api/v1/: the NinjaAPI instance and the routers of every area.

`VERSION` is the schema's version. Any change to the schema (docs/api/openapi-v1.json, checked
by tests/api/test_schema_contract.py) bumps it: the minor number for an addition a client can
ignore, a new /api/v2/ for anything that would break a client.
"""

from django.urls import URLPattern
from ninja import NinjaAPI
from ninja.openapi.docs import Swagger

from works.api import (
    bookmarks,
    collections,
    feedback,
    me,
    people,
    posting,
    problems,
    reading,
    series,
    tags,
    works,
)
from works.api.auth import SiteSessionAuth, TokenAuth, guest
from works.api.limits import CallerThrottle

VERSION = "1.0.0"


class ArchiveAPI(NinjaAPI):
    def get_openapi_operation_id(self, operation) -> str:
        """Each operation is named for its handler (`works_list`, `work_create`…), so the
        clients generated from the schema have readable function names; handler names are
        unique across the API (tests/api/test_schema_contract.py)."""
        return operation.view_func.__name__

    def _get_urls(self):
        """ninja gives each router its own view per path, and Django answers a path with the
        first that matches: `GET /works/{work_id}` (works.py) and `PATCH`/`DELETE` of the same
        path (posting.py) would answer 405 to one another. One view per path here tries each
        area's view in turn, as long as it answers 405 (ninja's answer, without running
        anything, for a method that view does not serve)."""
        urls = super()._get_urls()
        by_route = {}
        for url in urls:
            if isinstance(url, URLPattern):
                by_route.setdefault(str(url.pattern), []).append(url.callback)
        served = {
            route: _first_serving(views) for route, views in by_route.items() if len(views) > 1
        }
        for url in urls:
            if isinstance(url, URLPattern) and str(url.pattern) in served:
                url.callback = served[str(url.pattern)]
        return urls


def _first_serving(views):
    def view(request, *args, **kwargs):
        allowed = []
        for candidate in views:
            response = candidate(request, *args, **kwargs)
            if response.status_code != 405:
                return response
            allowed += [m.strip() for m in response.get("Allow", "").split(",") if m.strip()]
        response["Allow"] = ", ".join(dict.fromkeys(allowed))
        return response

    view.csrf_exempt = True
    return view


api = ArchiveAPI(
    title="Archive API",
    version=VERSION,
    description=(
        "Read and write the archive from programs. Personal access tokens are made at "
        "/users/<login>/tokens. Errors are application/problem+json. See docs/api.md."
    ),
    urls_namespace="api-v1",
    openapi_url="/schema",
    docs_url="/docs",
    docs=Swagger(settings={"persistAuthorization": False}),
    auth=[TokenAuth(), SiteSessionAuth(), guest],
    throttle=[CallerThrottle()],
)
problems.install(api)

api.add_router("/", bookmarks.router)
api.add_router("/", collections.router)
api.add_router("/", feedback.router)
api.add_router("/", me.router)
api.add_router("/", people.router)
api.add_router("/", posting.router)
api.add_router("/", reading.router)
api.add_router("/", series.router)
api.add_router("/", tags.router)
api.add_router("/", works.router)
