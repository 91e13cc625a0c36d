from django.contrib import admin
from django.urls import include, path

from . import views, views_health, views_reports

urlpatterns = [
    path("", views.home, name="home"),
    path("health", views_health.health, name="health"),
    path("ready", views_health.ready, name="ready"),
    path("abuse_reports/new", views_reports.report_new, name="abuse_report_new"),
    path("", include("archive.urls_accounts")),
    path("", include("archive.urls_social")),
    path("", include("works.urls")),
    path("", include("tags.urls")),
    path("admin/", admin.site.urls),
]
