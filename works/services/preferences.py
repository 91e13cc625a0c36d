"""A reader's filter preferences: tags they never want to see (issue 4)."""

from django.db import transaction
from django.utils.translation import gettext as _

from archive.errors import Refused
from tags.models import Tag
from works.models.search import ExcludedTag

MAX_EXCLUDED_TAGS = 200


@transaction.atomic
def excluded_tag_add(*, user, name: str) -> ExcludedTag:
    """Exclude the tag named `name` (its canonical tag when it is a synonym)."""
    name = (name or "").strip()
    if not name:
        raise Refused(_("Please enter a tag name."), field="tag_name", code="empty")
    tag = Tag.objects.select_related("merger").filter(name__iexact=name[:200]).first()
    if tag is None:
        raise Refused(
            _("There is no tag named “%(name)s”.") % {"name": name[:200]},
            field="tag_name",
            code="unknown_tag",
        )
    tag = tag.merger or tag
    if ExcludedTag.objects.filter(user=user).count() >= MAX_EXCLUDED_TAGS:
        raise Refused(
            _("You can exclude at most %(max)s tags.") % {"max": MAX_EXCLUDED_TAGS},
            field="tag_name",
            code="too_many",
        )
    excluded, _created = ExcludedTag.objects.get_or_create(user=user, tag=tag)
    return excluded


@transaction.atomic
def excluded_tag_remove(*, user, tag_id: int) -> None:
    ExcludedTag.objects.filter(user=user, tag_id=tag_id).delete()
