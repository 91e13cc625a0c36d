"""The guard in tests/conftest.py: a 5xx anywhere in the suite is a failing test."""

import pytest
from django.test import Client
from django.urls import path


def _broken(request):
    raise RuntimeError("a view that breaks")


urlpatterns = [path("broken", _broken)]


@pytest.mark.urls("tests.test_server_log")
def test_a_server_error_is_caught_by_the_log_guard(server_errors):
    response = Client(raise_request_exception=False).get("/broken")

    assert response.status_code == 500
    assert [r.getMessage() for r in server_errors] == ["Internal Server Error: /broken"]
    server_errors.clear()  # seen and expected: this test is the only one allowed a 500
