from django.apps import AppConfig


class WorksConfig(AppConfig):
    name = "works"
    verbose_name = "Works"

    def ready(self):
        from works.cache import pages as page_cache

        page_cache.connect()
