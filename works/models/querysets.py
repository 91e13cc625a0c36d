"""Reusable reads over works."""

from django.db import models
from django.db.models import Exists, OuterRef, Q


class WorkQuerySet(models.QuerySet):
    def published(self):
        """Posted and not hidden: what any reader may find in a listing."""
        return self.filter(posted=True, hidden_by_moderator=False)

    def visible_to(self, user):
        """The one rule for who sees what (docs/design.md section 6).

        Drafts only for their creators; works hidden by moderators only for creators and
        moderators; restricted works only for logged-in readers.
        """
        if user is None or not user.is_authenticated:
            return self.filter(posted=True, hidden_by_moderator=False, restricted=False)
        from works.models import WorkCreator

        is_creator = Exists(WorkCreator.objects.filter(work=OuterRef("pk"), user=user))
        if user_is_moderator(user):
            return self.filter(Q(posted=True) | is_creator)
        return self.filter(Q(posted=True, hidden_by_moderator=False) | is_creator)

    def without_excluded_for(self, user):
        """Leave out works the reader never wants to see: found under a tag they excluded
        (with its synonyms and sub tags, through the filter rows) or by a user they muted.
        Part of the same query, so counts stay true (docs/design.md section 6)."""
        if user is None or not user.is_authenticated:
            return self
        from archive.models import Mute
        from works.models import ExcludedTag, FilterTagging, WorkCreator

        excluded_tags = ExcludedTag.objects.filter(user=user).values("tag_id")
        muted_users = Mute.objects.filter(muter=user).values("muted_id")
        return self.exclude(
            Exists(FilterTagging.objects.filter(work=OuterRef("pk"), tag_id__in=excluded_tags))
        ).exclude(Exists(WorkCreator.objects.filter(work=OuterRef("pk"), user_id__in=muted_users)))

    def for_listing(self):
        """What a blurb shows, in a fixed number of queries."""
        return self.select_related("stats").prefetch_related(
            "tags", "creators", "series_works__series", "collection_items__collection"
        )


def user_is_moderator(user) -> bool:
    """Moderators may see hidden works. Superusers, and staff with the works permission."""
    if not user.is_authenticated:
        return False
    return user.is_superuser or user.has_perm("works.change_work")
