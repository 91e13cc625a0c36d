"""The log-in backend: Django's ModelBackend, with each request's account read from the cache
(docs/performance.md, "Logged-in readers").

Every page a member asks for loads their account; on a work page served from the shared
shell (works/cache/member_pages.py) that query was a third of the time left. The account is
kept in the cache for CACHE_SECONDS after it is read, and dropped from it whenever it is
saved or deleted (a password change, a moderator's suspension, a new login time), at once
and again when the transaction commits, so a request that read the old row meanwhile cannot
keep it. Writes that skip save() (QuerySet.update on accounts) are not used anywhere in the
archive; one added later must drop the account too (forget()).
"""

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

PATH = "archive.backends.CachedModelBackend"
CACHE_SECONDS = 300


def _key(user_id) -> str:
    return f"account:{user_id}"


def forget(user_id) -> None:
    """Drop the cached account now and once the current transaction commits."""
    cache.delete(_key(user_id))
    transaction.on_commit(lambda: cache.delete(_key(user_id)))


class CachedModelBackend(ModelBackend):
    def get_user(self, user_id):
        user = cache.get(_key(user_id))
        if user is None:
            user = super().get_user(user_id)
            if user is None:
                return None
            cache.set(_key(user_id), user, CACHE_SECONDS)
        return user if self.user_can_authenticate(user) else None


@receiver(post_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="account_cache_save")
@receiver(post_delete, sender=settings.AUTH_USER_MODEL, dispatch_uid="account_cache_delete")
def _account_changed(sender, instance, **kwargs):
    forget(instance.pk)
