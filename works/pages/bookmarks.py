"""Bookmark lists: a page of the bookmarks a reader may see (Bookmark.objects.visible_to),
with everything a bookmark blurb shows."""

from django.db.models import Prefetch, Q
from django.utils.translation import gettext as _

from works.listing.pages import listing_range
from works.listing.pagination import paginate
from works.models import Bookmark, Work


def tag_bookmarks_of(tag, user):
    """Bookmarks `user` may see of works found under the tag, or that bookmarkers tagged with
    it (each once)."""
    bookmarks = Bookmark.objects.visible_to(user).filter(
        Q(work__filter_taggings__tag=tag) | Q(tags=tag) | Q(tags__merger=tag)
    )
    return Bookmark.objects.filter(pk__in=bookmarks.values("pk"))


def bookmark_list_context(request, bookmarks, *, heading: str, per_page: int) -> dict:
    """One page of `bookmarks`, newest first, in a fixed number of queries."""
    bookmarks = (
        bookmarks.select_related("user", "pseud__user")
        .prefetch_related("tags", Prefetch("work", queryset=Work.objects.for_listing()))
        .order_by("-created_at", "-id")
    )
    page, pagination = paginate(request, bookmarks, per_page)
    return {
        "bookmarks": page.object_list,
        "page_obj": page,
        "pagination": pagination,
        "heading": heading,
        "count": page.paginator.count,
        "range_heading": listing_range(page, page.paginator.count, _("Bookmarks")),
    }
