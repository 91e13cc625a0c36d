"""The wrangling rules, each a check returning why a change is refused (or None).

The rules (as on AO3) are listed in tags/services/__init__.py. The checks only read tags;
the services in tags.services.wrangling call them before changing anything.
"""

from django.utils.translation import gettext as _

from archive.errors import Refused
from tags.models import TAG_NAME_FORBIDDEN, Tag, TagType

# Types whose tags are the archive's fixed sets: chosen from a list, never wrangled.
FIXED_TYPES = frozenset({TagType.RATING, TagType.WARNING, TagType.CATEGORY, TagType.MEDIA})

# Which types a tag of each type may have as parents.
PARENT_TYPES = {
    TagType.FANDOM: frozenset({TagType.MEDIA}),
    TagType.CHARACTER: frozenset({TagType.FANDOM}),
    TagType.RELATIONSHIP: frozenset({TagType.FANDOM, TagType.CHARACTER}),
    TagType.FREEFORM: frozenset({TagType.FANDOM}),
}

_meta_through = Tag.meta_tags.through


def type_label(tag: Tag) -> str:
    return str(TagType(tag.type).label)


def ancestor_ids(tag_id: int) -> set[int]:
    """Ids of the meta tags above this tag, at any depth."""
    found: set[int] = set()
    frontier = {tag_id}
    while frontier:
        upward = set(
            _meta_through.objects.filter(from_tag_id__in=frontier).values_list(
                "to_tag_id", flat=True
            )
        )
        frontier = upward - found
        found |= frontier
    return found


def would_cycle(*, sub: Tag, meta: Tag) -> bool:
    """Whether making `meta` a meta tag of `sub` closes a loop (sub is above meta already)."""
    return sub.pk == meta.pk or sub.pk in ancestor_ids(meta.pk)


def has_synonyms(tag: Tag) -> bool:
    return Tag.objects.filter(merger_id=tag.pk).exists()


def fixed_problem(tag: Tag) -> str | None:
    if tag.type in FIXED_TYPES:
        return _(
            "“%(tag)s” is one of the archive's fixed tags (ratings, warnings, categories and "
            "media), which can't be renamed or wrangled."
        ) % {"tag": tag.name}
    return None


def rename_problem(tag: Tag, name: str) -> str | None:
    if not name:
        return _("A tag needs a name.")
    if name == tag.name:
        return None
    problem = fixed_problem(tag)
    if problem:
        return problem
    name_field = Tag._meta.get_field("name")
    if len(name) > name_field.max_length:
        return _("Tag names can be at most %(max)d characters long.") % {
            "max": name_field.max_length
        }
    bad = sorted({ch for ch in name if ch in TAG_NAME_FORBIDDEN})
    if bad:
        return _("Tag names cannot contain %(chars)s.") % {"chars": " ".join(bad)}
    other = Tag.objects.named(name).exclude(pk=tag.pk).first()
    if other is not None:
        return _("The name “%(name)s” is already used by the tag “%(other)s” (%(type)s).") % {
            "name": name,
            "other": other.name,
            "type": type_label(other),
        }
    return None


def synonym_problem(tag: Tag, target: Tag) -> str | None:
    problem = fixed_problem(tag)
    if problem:
        return problem
    if target.pk == tag.pk:
        return _("A tag can't be a synonym of itself.")
    if not target.canonical:
        return _(
            "“%(target)s” is not canonical: a tag can only be a synonym of a canonical tag."
        ) % {"target": target.name}
    if target.type != tag.type:
        return _(
            "“%(target)s” is a %(target_type)s tag and “%(tag)s” is a %(tag_type)s tag: a "
            "synonym must be of the same type as its canonical tag."
        ) % {
            "target": target.name,
            "target_type": type_label(target),
            "tag": tag.name,
            "tag_type": type_label(tag),
        }
    if has_synonyms(tag):
        return _(
            "“%(tag)s” has synonyms of its own, so it can't become a synonym. Make its "
            "synonyms point at another canonical tag first."
        ) % {"tag": tag.name}
    return None


def canonical_problem(tag: Tag, canonical: bool) -> str | None:
    if canonical == tag.canonical:
        return None
    problem = fixed_problem(tag)
    if problem:
        return problem
    if canonical and tag.merger_id:
        return _(
            "“%(tag)s” is a synonym of “%(merger)s”. Remove it as a synonym before making it "
            "canonical."
        ) % {"tag": tag.name, "merger": tag.merger.name}
    if not canonical and has_synonyms(tag):
        return _(
            "“%(tag)s” has synonyms. Give them another canonical tag before making it "
            "non-canonical."
        ) % {"tag": tag.name}
    return None


def meta_problem(tag: Tag, meta: Tag, *, tag_canonical: bool | None = None) -> str | None:
    tag_canonical = tag.canonical if tag_canonical is None else tag_canonical
    if meta.pk == tag.pk:
        return _("A tag can't be its own meta tag.")
    problem = fixed_problem(tag) or fixed_problem(meta)
    if problem:
        return problem
    for end, is_canonical in ((tag, tag_canonical), (meta, meta.canonical)):
        if not is_canonical:
            return _("Meta and sub tags link canonical tags, and “%(tag)s” is not canonical.") % {
                "tag": end.name
            }
    if meta.type != tag.type:
        return _(
            "“%(meta)s” is a %(meta_type)s tag and “%(tag)s” is a %(tag_type)s tag: meta and "
            "sub tags must be of the same type."
        ) % {
            "meta": meta.name,
            "meta_type": type_label(meta),
            "tag": tag.name,
            "tag_type": type_label(tag),
        }
    if would_cycle(sub=tag, meta=meta):
        return _(
            "“%(meta)s” is already a sub tag of “%(tag)s” (directly or further down), so it "
            "can't also be its meta tag."
        ) % {"meta": meta.name, "tag": tag.name}
    return None


def parent_problem(tag: Tag, parent: Tag) -> str | None:
    if parent.pk == tag.pk:
        return _("A tag can't be its own parent.")
    allowed = PARENT_TYPES.get(TagType(tag.type), frozenset())
    if parent.type not in allowed:
        if not allowed:
            return _("%(tag_type)s tags have no parent tags.") % {"tag_type": type_label(tag)}
        return _(
            "A %(tag_type)s tag can't have a %(parent_type)s tag as parent; its parents can "
            "be: %(allowed)s."
        ) % {
            "tag_type": type_label(tag),
            "parent_type": type_label(parent),
            "allowed": ", ".join(sorted(str(TagType(t).label) for t in allowed)),
        }
    if not parent.canonical:
        return _("Only canonical tags can be parents, and “%(parent)s” is not canonical.") % {
            "parent": parent.name
        }
    return None


def unwrangleable_problem(tag: Tag, *, canonical: bool, has_merger: bool) -> str | None:
    problem = fixed_problem(tag)
    if problem:
        return problem
    if canonical or has_merger:
        return _(
            "“%(tag)s” is canonical or a synonym, so it is wrangled already and can't be marked "
            "unwrangleable."
        ) % {"tag": tag.name}
    return None


def refuse(problem: str | None) -> None:
    if problem:
        raise Refused(problem)
