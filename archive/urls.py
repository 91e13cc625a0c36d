import os

from django.contrib import admin
from django.urls import include, path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("", include("archive.urls_accounts")),
    path("", include("works.urls")),
    path("", include("tags.urls")),
    path("admin/", admin.site.urls),
]

# The benchmark floor (tests/bench/): only when ARCHIVE_BENCH=1, never in production.
if os.environ.get("ARCHIVE_BENCH") == "1":
    urlpatterns += [path("bench/", include("archive.bench_urls"))]
