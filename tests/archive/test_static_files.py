"""In production the stylesheets, scripts and images are collected under content-hashed names
(WhiteNoise's CompressedManifestStaticFilesStorage) and served with a cache lifetime of a year
or more, so a returning reader's browser never asks for them again; a changed file gets a new
name, so nobody keeps a stale one. Unhashed names are only cached briefly."""

import re

import pytest
from django.core.management import call_command
from django.test import RequestFactory, override_settings
from whitenoise.middleware import WhiteNoiseMiddleware

ONE_YEAR = 365 * 24 * 60 * 60


def max_age(response) -> int:
    return int(re.search(r"max-age=(\d+)", response["Cache-Control"]).group(1))


@pytest.fixture(scope="module")
def production_static(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("staticfiles")
    storages = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    with override_settings(DEBUG=False, STATIC_ROOT=tmp_path, STORAGES=storages):
        call_command("collectstatic", interactive=False, verbosity=0)
        from django.contrib.staticfiles.storage import staticfiles_storage

        middleware = WhiteNoiseMiddleware(get_response=lambda request: None)
        yield middleware, staticfiles_storage, tmp_path


def test_hashed_stylesheet_is_cached_for_a_year_and_immutable(production_static):
    middleware, storage, _ = production_static
    url = storage.url("css/site.css")
    assert re.search(r"/css/site\.[0-9a-f]{12}\.css$", url), url

    response = middleware(RequestFactory().get(url))

    assert response.status_code == 200
    assert "immutable" in response["Cache-Control"]
    assert max_age(response) >= ONE_YEAR
    body = b"".join(response.streaming_content)
    assert b"--" in body  # the design system's custom properties, not an empty file


def test_every_collected_file_of_ours_has_a_hashed_name(production_static):
    _, storage, root = production_static
    for name in ("css/site.css", "css/print.css", "js/autocomplete.js", "images/lock.svg"):
        hashed = storage.stored_name(name)
        assert hashed != name
        assert (root / hashed).is_file()


def test_unhashed_name_is_not_cached_for_long(production_static):
    middleware, _, _ = production_static

    response = middleware(RequestFactory().get("/static/css/site.css"))

    assert response.status_code == 200
    assert "immutable" not in response["Cache-Control"]
    assert max_age(response) < ONE_YEAR
