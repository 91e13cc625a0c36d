"""The API's URLs, included by archive/urls.py at /api/v1/ under the namespace "api-v1"."""

from works.api.v1 import api

urlpatterns = api.urls[0]
app_name = api.urls_namespace
