from django.urls import path

from . import views

app_name = "tags"

urlpatterns = [
    path("tags/<str:name>", views.tag_detail, name="detail"),
    path("tags/<str:name>/works", views.tag_works, name="works"),
]
