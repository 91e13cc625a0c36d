from django.urls import path

from tags import views

app_name = "tags"

urlpatterns = [
    path("tags/<id:tag_id>/feed.atom", views.tag_feed, name="feed"),
    path("tags/<str:name>", views.tag_detail, name="detail"),
    path("tags/<str:name>/works", views.tag_works, name="works"),
    path("tags/<str:name>/unwrangled", views.fandom_unwrangled, name="unwrangled"),
    path("media", views.media_index, name="media"),
    path("media/<str:media_name>/fandoms", views.media_fandoms, name="media_fandoms"),
    path("fandoms", views.fandom_index, name="fandoms"),
    path("autocomplete/<str:tag_type>", views.autocomplete, name="autocomplete"),
]
