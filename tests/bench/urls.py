"""The benchmark's URLs: the floor (floor.py) beside every URL of the archive."""

from django.urls import include, path

from tests.bench import floor

urlpatterns = [
    path("bench/floor", floor.floor, name="bench_floor"),
    path("", include("archive.urls")),
]
