import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archive.settings")
application = get_asgi_application()

from archive import process  # noqa: E402 - needs Django set up

process.ready()
