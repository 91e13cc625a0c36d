"""The benchmark floor is served by the benchmark's URLs only (tests/bench/urls.py)."""

import re

import pytest
from django.test import RequestFactory

from tests.bench import floor
from works.rendering import count_words

pytestmark = pytest.mark.django_db


def test_production_urls_do_not_expose_the_floor(client):
    assert client.get("/bench/floor").status_code == 404


@pytest.mark.urls("tests.bench.urls")
def test_bench_urls_serve_the_floor_beside_the_archive(client):
    assert client.get("/bench/floor").status_code == 200
    assert client.get("/works").status_code == 200


def test_floor_renders_six_thousand_words_without_the_database(django_assert_num_queries):
    with django_assert_num_queries(0):
        response = floor.floor(RequestFactory().get("/bench/floor"))
    assert response.status_code == 200
    body = response.content.decode()
    text = "".join(re.findall(r'<div class="userstuff">(.*?)</div>', body, re.S))
    assert count_words(text) == 6000
