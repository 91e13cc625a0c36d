"""Two areas may serve different methods of one path (works.py reads `GET /works/{work_id}`,
posting.py writes `PATCH` and `DELETE` of it): each method reaches its own handler, whatever
order the routers were added in, and a method nobody serves is 405 naming every allowed one."""

import pytest
from django.urls import path
from ninja import Router

from works.api.v1 import ArchiveAPI

reading, writing = Router(tags=["reading"]), Router(tags=["writing"])


@writing.patch("/things/{thing_id}")
def thing_update(request, thing_id: int):
    return {"patched": thing_id}


@writing.delete("/things/{thing_id}")
def thing_delete(request, thing_id: int):
    return {"deleted": thing_id}


@reading.get("/things/{thing_id}")
def thing_get(request, thing_id: int):
    return {"read": thing_id}


shared = ArchiveAPI(urls_namespace="shared-paths-test", docs_url=None)
shared.add_router("/", writing)
shared.add_router("/", reading)
urlpatterns = [path("shared/", shared.urls)]


@pytest.mark.urls("tests.api.test_shared_paths")
def test_each_method_reaches_its_routers_handler(client):
    assert client.get("/shared/things/3").json() == {"read": 3}
    assert client.patch("/shared/things/4").json() == {"patched": 4}
    assert client.delete("/shared/things/5").json() == {"deleted": 5}
    refused = client.put("/shared/things/6")
    assert refused.status_code == 405
    assert set(refused["Allow"].split(", ")) == {"GET", "PATCH", "DELETE"}
