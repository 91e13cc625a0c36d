from django.urls import path

from tags import views

app_name = "tags"

# A tag's own page, its works, its feed and its unwrangled bin list works: works/urls.py.
urlpatterns = [
    path("media", views.media_index, name="media"),
    path("media/<name:media_name>/fandoms", views.media_fandoms, name="media_fandoms"),
    path("fandoms", views.fandom_index, name="fandoms"),
    path("autocomplete/<name:tag_type>", views.autocomplete, name="autocomplete"),
]
