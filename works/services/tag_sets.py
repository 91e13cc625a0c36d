"""Tag sets (issue 20, part 2): what sign-ups ask of them, and the writes that build them.

- `tags_outside(tag_set, tags)`: the tags a sign-up may not use because the set does not hold
  them. A tag is in the set when the set holds it, or holds its canonical tag, or holds
  another synonym of the same canonical tag: wranglers merging "Kirk" into "James T. Kirk"
  must not turn away a participant who typed "Kirk" for a set that lists the canonical name.
- `tag_set_create` / `tag_set_update`: the set's settings, its owners and moderators, and its
  tags. Typed names go through the tags app's `tags_resolve` (a new name becomes a new,
  unwrangled tag, as when a work is posted); ratings, warnings and categories are chosen from
  the fixed tags. Only owners change who runs the set, and a set always keeps one owner.

Nominations and their review are in `works/services/tag_nominations.py`.
"""

from collections.abc import Iterable, Mapping

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from archive.errors import Refused
from tags.models import Tag, TagType
from tags.services import fixed_tags, tags_resolve
from works.models import TagSet
from works.models.visibility import is_tag_set_owner

# The order a set's page lists its tags in (AO3's: the few fixed tags first).
SET_TAG_TYPES = (
    TagType.RATING,
    TagType.WARNING,
    TagType.CATEGORY,
    TagType.FANDOM,
    TagType.CHARACTER,
    TagType.RELATIONSHIP,
    TagType.FREEFORM,
)
# Chosen with checkboxes from the fixed tags; the others are typed.
CHOSEN_TAG_TYPES = (TagType.RATING, TagType.WARNING, TagType.CATEGORY)
TYPED_TAG_TYPES = (TagType.FANDOM, TagType.CHARACTER, TagType.RELATIONSHIP, TagType.FREEFORM)

TAG_SET_FIELDS = (
    "title",
    "description",
    "nominations_open_at",
    "nominations_close_at",
    "fandom_nominations",
    "character_nominations",
    "relationship_nominations",
    "freeform_nominations",
)


def tags_outside(tag_set: TagSet, tags: Iterable[Tag]) -> list[Tag]:
    """The tags of `tags` (in their order, each once) that `tag_set` does not hold, counting a
    synonym of a tag the set holds (or of the canonical tag behind one it holds) as held.
    One query."""
    tags = list(dict.fromkeys(tags))
    if not tags:
        return []
    roots = {tag.merger_id or tag.pk for tag in tags}
    held = tag_set.tags.filter(
        Q(pk__in=roots | {tag.pk for tag in tags}) | Q(merger_id__in=roots)
    ).values_list("pk", "merger_id")
    held_ids, held_roots = set(), set()
    for pk, merger_id in held:
        held_ids.add(pk)
        held_roots.add(merger_id or pk)
    return [
        tag
        for tag in tags
        if tag.pk not in held_ids and (tag.merger_id or tag.pk) not in held_roots
    ]


def _check_title(title: str, tag_set: TagSet | None = None) -> None:
    taken = TagSet.objects.filter(title__iexact=title.strip())
    if tag_set is not None:
        taken = taken.exclude(pk=tag_set.pk)
    if taken.exists():
        raise Refused(
            _("A tag set called “%(title)s” already exists; choose another title.")
            % {"title": title.strip()},
            field="title",
            code="taken",
        )


def _set_fields(tag_set: TagSet, fields: Mapping) -> None:
    for name, value in fields.items():
        if name not in TAG_SET_FIELDS:
            raise ValueError(f"Tag set field {name!r} cannot be set here")
        setattr(tag_set, name, value)
    if (
        tag_set.nominations_open_at
        and tag_set.nominations_close_at
        and tag_set.nominations_close_at <= tag_set.nominations_open_at
    ):
        raise Refused(
            _("Nominations must close after they open."),
            field="nominations_close_at",
            code="window",
        )


def _set_staff(tag_set: TagSet, owners: list, moderators: Iterable) -> None:
    if not owners:
        raise Refused(_("A tag set needs at least one owner."), field="owners", code="no_owner")
    tag_set.owners.set(owners)
    owner_ids = {o.pk for o in owners}
    tag_set.moderators.set([m for m in moderators if m.pk not in owner_ids])


def _typed_tags(names: Mapping[str, list[str]]) -> list[Tag]:
    tags = []
    for tag_type in TYPED_TAG_TYPES:
        tags += tags_resolve(names=list(names.get(tag_type, [])), tag_type=tag_type)
    return tags


def _chosen_tags(chosen: Mapping[str, list[str]]) -> list[Tag]:
    tags = []
    for tag_type in CHOSEN_TAG_TYPES:
        tags += fixed_tags(names=list(chosen.get(tag_type, [])), tag_type=tag_type)
    return tags


@transaction.atomic
def tag_set_create(
    *,
    owner,
    fields: Mapping,
    owners: Iterable = (),
    moderators: Iterable = (),
    names: Mapping[str, list[str]] | None = None,
    chosen: Mapping[str, list[str]] | None = None,
) -> TagSet:
    """A new set run by `owner` (and any other `owners`), holding the typed `names` (by tag
    type) and the `chosen` fixed tags (by type)."""
    _check_title(fields.get("title", ""))
    tag_set = TagSet()
    _set_fields(tag_set, fields)
    tag_set.save()
    _set_staff(tag_set, list(dict.fromkeys([owner, *owners])), moderators)
    tag_set.tags.add(*_typed_tags(names or {}), *_chosen_tags(chosen or {}))
    return tag_set


@transaction.atomic
def tag_set_update(
    *,
    tag_set: TagSet,
    user,
    fields: Mapping,
    owners: Iterable | None = None,
    moderators: Iterable | None = None,
    add_names: Mapping[str, list[str]] | None = None,
    remove: Iterable[Tag] = (),
    chosen: Mapping[str, list[str]] | None = None,
) -> TagSet:
    """Change the set's settings and tags: add the typed `add_names`, take out `remove`, and
    make its ratings, warnings and categories exactly `chosen` (when given). Changing who runs
    it (`owners`, `moderators`) is for its owners only."""
    if (owners is not None or moderators is not None) and not is_tag_set_owner(tag_set, user):
        raise Refused(
            _("Only the tag set's owners can change its owners and moderators."),
            field="owners",
            code="not_owner",
        )
    if "title" in fields:
        _check_title(fields["title"], tag_set)
    _set_fields(tag_set, fields)
    tag_set.save()
    if owners is not None or moderators is not None:
        _set_staff(
            tag_set,
            list(owners) if owners is not None else list(tag_set.owners.all()),
            moderators if moderators is not None else tag_set.moderators.all(),
        )
    remove = list(remove)
    if remove:
        tag_set.tags.remove(*remove)
    if chosen is not None:
        fixed = tag_set.tags.filter(type__in=CHOSEN_TAG_TYPES)
        tag_set.tags.remove(*fixed)
        tag_set.tags.add(*_chosen_tags(chosen))
    added = _typed_tags(add_names or {})
    if added:
        tag_set.tags.add(*added)
    return tag_set
