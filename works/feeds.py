"""Atom feeds of a tag's newest works (fandoms, relationships and characters, as on AO3).

A feed is read by programs that never log in, so it only ever holds what a guest may see:
posted works, not hidden, not restricted (`visible_to(None)`). Titles and tag names are
plain text (the feed generator escapes them); the summary is the stored, sanitised HTML.
"""

import datetime

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from archive.site import site_url
from tags.models import Tag, TagType
from works.models import Work
from works.models.bylines import byline, creators_with_bylines
from works.models.visibility import is_anonymous

FEED_ITEMS = 25


class TagWorksFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request, tag: Tag):
        self.request = request
        return tag

    def title(self, tag):
        return _("%(tag)s works") % {"tag": tag.name}

    def subtitle(self, tag):
        return _("The newest works found under %(tag)s.") % {"tag": tag.name}

    def link(self, tag):
        return site_url(tag.get_works_url())

    def feed_url(self, tag):
        return site_url(reverse("works:tag_feed", args=[tag.pk]))

    def items(self, tag):
        # No unrevealed work; anonymous works name no creator (works.models.visibility).
        works = Work.objects.visible_to(None).without_secrets_from(None)
        return list(
            works.filter(filter_taggings__tag=tag)
            .order_by("-revised_at", "-id")
            .prefetch_related("tags", creators_with_bylines(), "collection_items__collection")[
                :FEED_ITEMS
            ]
        )

    def item_title(self, work):
        return work.title

    def item_description(self, work):
        return work.summary_html

    # Entry ids and links are absolute, from ARCHIVE_SITE_URL (never the request's Host).
    def item_link(self, work):
        return site_url(work.get_absolute_url())

    def item_guid(self, work):
        return site_url(work.get_absolute_url())

    def item_author_name(self, work):
        if is_anonymous(work):
            return _("Anonymous")
        return ", ".join(byline(creator) for creator in work.pseuds.all())

    def item_author_link(self, work):
        if is_anonymous(work):
            return None
        creators = list(work.pseuds.all())
        if len(creators) != 1:
            return None
        return self.request.build_absolute_uri(creators[0].get_absolute_url())

    def item_categories(self, work):
        order = {tag_type: index for index, tag_type in enumerate(TagType)}
        tags = sorted(work.tags.all(), key=lambda t: (order.get(t.type, 99), t.name.casefold()))
        return [tag.name for tag in tags]

    def item_pubdate(self, work):
        """<published>: the day the work was first posted (its published date)."""
        if work.published_at is None:
            return work.created_at
        return datetime.datetime.combine(
            work.published_at, datetime.time.min, tzinfo=timezone.get_current_timezone()
        )

    def item_updateddate(self, work):
        """<updated>: the work's last update."""
        return work.revised_at or work.updated_at
