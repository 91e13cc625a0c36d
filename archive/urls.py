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
