"""Version 1 of the API, at /api/v1/: the NinjaAPI instance and the routers of every area.

`VERSION` is the schema's version. Any change to the schema (docs/api/openapi-v1.json, checked
by tests/api/test_schema_contract.py) bumps it: the minor number for an addition a client can
ignore, a new /api/v2/ for anything that would break a client.
"""

from ninja import NinjaAPI
from ninja.openapi.docs import Swagger

from works.api import me, problems, works
from works.api.auth import SiteSessionAuth, TokenAuth, guest
from works.api.limits import CallerThrottle

VERSION = "1.0.0"


class ArchiveAPI(NinjaAPI):
    def get_openapi_operation_id(self, operation) -> str:
        """Each operation is named for its handler (`works_list`, `work_create`…), so the
        clients generated from the schema have readable function names; handler names are
        unique across the API (tests/api/test_schema_contract.py)."""
        return operation.view_func.__name__


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

api.add_router("/", me.router)
api.add_router("/", works.router)
