"""A reader's filter preferences: tags they never want to see (issue 4)."""

from django.db import transaction
from django.utils.translation import gettext as _

from tags.models import Tag
from works.models.search import ExcludedTag

MAX_EXCLUDED_TAGS = 200


class PreferenceRefused(Exception):
    pass


@transaction.atomic
def excluded_tag_add(*, user, name: str) -> ExcludedTag:
    """Exclude the tag named `name` (its canonical tag when it is a synonym)."""
    name = (name or "").strip()
    if not name:
        raise PreferenceRefused(_("Please enter a tag name."))
    tag = Tag.objects.select_related("merger").filter(name__iexact=name[:200]).first()
    if tag is None:
        raise PreferenceRefused(_("There is no tag named “%(name)s”.") % {"name": name[:200]})
    tag = tag.merger or tag
    if ExcludedTag.objects.filter(user=user).count() >= MAX_EXCLUDED_TAGS:
        raise PreferenceRefused(
            _("You can exclude at most %(max)s tags.") % {"max": MAX_EXCLUDED_TAGS}
        )
    excluded, _created = ExcludedTag.objects.get_or_create(user=user, tag=tag)
    return excluded


@transaction.atomic
def excluded_tag_remove(*, user, tag_id: int) -> None:
    ExcludedTag.objects.filter(user=user, tag_id=tag_id).delete()
