from django.apps import AppConfig


class WorksConfig(AppConfig):
    name = "works"
    verbose_name = "Works"

    def ready(self):
        from . import page_cache

        page_cache.connect()
