from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorksConfig(AppConfig):
    name = "works"
    verbose_name = _("Works")

    def ready(self):
        # Models are loaded only now, so the modules that use them are imported here.
        from works.cache import pages as page_cache
        from works.services import moderation, tag_sync

        page_cache.connect()
        tag_sync.connect()  # tags' wrangling signals
        moderation.connect()  # archive's sanction signals and report targets
