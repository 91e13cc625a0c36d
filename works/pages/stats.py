"""The totals of /users/<login>/stats (AO3's statistics page, for its owner only)."""

from django.db.models import Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from works.models import Comment, Subscription, Work, WorkStats

# AO3's labels, in AO3's order; ao3-api turns each into a key (`word_count`, `hits`, …).
LABELS = {
    "user_subscriptions": _("User Subscriptions"),
    "kudos": _("Kudos"),
    "comment_threads": _("Comment Threads"),
    "bookmarks": _("Bookmarks"),
    "subscriptions": _("Subscriptions"),
    "word_count": _("Word Count"),
    "hits": _("Hits"),
}


def user_totals(person) -> list[tuple[str, str, int]]:
    """(key, label, total) for every statistic, over the person's posted works."""
    works = Work.objects.filter(work_creators__user=person).posted().distinct()
    stats = WorkStats.objects.filter(work__in=works).aggregate(
        kudos=Coalesce(Sum("kudos"), 0),
        bookmarks=Coalesce(Sum("bookmarks"), 0),
        hits=Coalesce(Sum("hits"), 0),
    )
    totals = {
        "user_subscriptions": Subscription.objects.filter(author=person).count(),
        "kudos": stats["kudos"],
        "comment_threads": Comment.objects.visible_to(person)
        .filter(work__in=works, parent=None, is_deleted=False)
        .count(),
        "bookmarks": stats["bookmarks"],
        "subscriptions": Subscription.objects.filter(work__in=works).count(),
        "word_count": Work.objects.filter(pk__in=works.values("pk")).aggregate(
            words=Coalesce(Sum("word_count"), 0)
        )["words"],
        "hits": stats["hits"],
    }
    return [(key, label, totals[key]) for key, label in LABELS.items()]
