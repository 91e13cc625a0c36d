"""Writes on tags: turning what authors type into Tag rows, and wrangling.

Wrangling rules (as on AO3):

- A synonym points (`merger`) at a canonical tag of the same type. A tag with synonyms of its
  own can't become a synonym; a canonical tag made a synonym stops being canonical, and its
  meta tags, sub tags, child tags and parents move to its new canonical tag.
- Meta/sub tags link canonical tags of one type, without cycles. A tag that stops being
  canonical loses its meta and sub tags (its child tags keep it as parent, so making it
  canonical again restores the tree).
- Parents: a fandom's parents are media; a character's or additional tag's parents are
  fandoms; a relationship's parents are fandoms and characters. Parents are canonical.
- Unwrangleable marks a tag wranglers decided to leave alone; canonical tags and synonyms
  can't be unwrangleable.
- Ratings, warnings, categories and media are fixed: they can't be renamed or wrangled.

Every wrangling service is keyword-only and atomic, refuses bad input with archive.errors.Refused
whose message says why (changing nothing), and keeps the works' filter rows exact by
refreshing only the works whose rows depend on the change (see tags.filtering).
"""

import re
from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.utils.translation import gettext as _

from archive.errors import Refused
from tags.counts import tags_recount
from tags.filtering import (
    FilterChange,
    tags_scope,
    up_closure,
    works_carrying,
    works_refresh_filter_tags,
)
from tags.models import TAG_NAME_FORBIDDEN, TYPE_SUFFIX, Tag, TagType
from works.cache import pages as page_cache
from works.listing.search import works_search_retag

_SPACES = re.compile(r"\s+")

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
_parent_through = Tag.parents.through


# --- what authors type -------------------------------------------------------------------


def tags_parse(text: str) -> list[str]:
    """Split a comma-separated field into clean names, first spelling of each kept once.

    Split on commas only: tag names contain spaces.
    """
    names, seen = [], set()
    for raw in (text or "").split(","):
        name = _SPACES.sub(" ", raw).strip()
        if name and name.lower() not in seen:
            seen.add(name.lower())
            names.append(name)
    return names


def tag_name_problem(name: str) -> str | None:
    """Why a typed tag name is refused, or None. Messages are shown next to the field."""
    from tags.models import TAG_NAME_MAX_LENGTH

    if len(name) > TAG_NAME_MAX_LENGTH:
        return _("Tag names can be at most %(max)d characters long: “%(name)s…”") % {
            "max": TAG_NAME_MAX_LENGTH,
            "name": name[:40],
        }
    bad = sorted({ch for ch in name if ch in TAG_NAME_FORBIDDEN})
    if bad:
        return _("Tag names cannot contain %(chars)s: “%(name)s”") % {
            "chars": " ".join(bad),
            "name": name,
        }
    return None


def _find(name: str) -> Tag | None:
    return Tag.objects.named(name).first() if name else None


def tag_resolve(name: str, tag_type: str) -> Tag:
    """The tag of this type an author means by `name`, created when it does not exist.

    Names are unique across types, as on AO3: when the name is taken by another type the tag
    is kept apart as "Name (Type)".
    """
    tag_type = TagType(tag_type)
    candidates = [name, f"{name} ({TYPE_SUFFIX[tag_type]})"]
    for candidate in candidates:
        existing = _find(candidate)
        if existing is None:
            try:
                with transaction.atomic():
                    return Tag.objects.create(name=candidate, type=tag_type)
            except IntegrityError:
                # Created by a concurrent request, or the name clashed case-insensitively.
                existing = _find(candidate)
                if existing is None:
                    raise
        if existing.type == tag_type:
            return existing
    raise ValueError(f"Tag name {name!r} is taken by other types")  # pragma: no cover


def tags_resolve(*, names: list[str], tag_type: str) -> list[Tag]:
    return [tag_resolve(name, tag_type) for name in names]


def fixed_tags(*, names: list[str], tag_type: str) -> list[Tag]:
    """The fixed canonical tags (ratings, warnings, categories) with these names, in order.

    Forms only offer these names, so a missing one means the fixed tags are gone from the
    database (they come from a data migration): fail loudly rather than post a work without
    its rating.
    """
    found = Tag.objects.filter(type=tag_type, name__in=names).order_by(Lower("name"))
    by_name = {tag.name: tag for tag in found}
    missing = [name for name in names if name not in by_name]
    if missing:
        raise Tag.DoesNotExist(f"Fixed {tag_type} tags missing: {', '.join(missing)}")
    return [by_name[name] for name in names]


# --- reads the rules need ----------------------------------------------------------------


def _type_label(tag: Tag) -> str:
    return str(TagType(tag.type).label)


def _ancestor_ids(tag_id: int) -> set[int]:
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


def _would_cycle(*, sub: Tag, meta: Tag) -> bool:
    """Whether making `meta` a meta tag of `sub` closes a loop (sub is above meta already)."""
    return sub.pk == meta.pk or sub.pk in _ancestor_ids(meta.pk)


def _has_synonyms(tag: Tag) -> bool:
    return Tag.objects.filter(merger_id=tag.pk).exists()


# Search documents of at most this many works follow a tag change at once (about 0.5 ms a
# work at 1,000,000 works: 1 s); a bigger tag's works follow at their next write, so that a
# wrangling request never runs into the server's time limit.
RETAG_AT_ONCE = 2000


def _carriers(tag: Tag) -> list[int]:
    """Ids of the works tagged with `tag` itself, when there are at most RETAG_AT_ONCE."""
    ids = list(tag.tagged_works.values_list("content_object_id", flat=True)[: RETAG_AT_ONCE + 1])
    return ids if len(ids) <= RETAG_AT_ONCE else []


def _locked(tag: Tag) -> Tag:
    """The tag as stored now, locked for the rest of the transaction (PostgreSQL). Every
    wrangling service starts here, so this is where cached work pages are retired."""
    page_cache.site_changed()
    return Tag.objects.select_for_update().get(pk=tag.pk)


# --- the rules, each returning a message or None -----------------------------------------


def _fixed_problem(tag: Tag) -> str | None:
    if tag.type in FIXED_TYPES:
        return _(
            "“%(tag)s” is one of the archive's fixed tags (ratings, warnings, categories and "
            "media), which can't be renamed or wrangled."
        ) % {"tag": tag.name}
    return None


def _rename_problem(tag: Tag, name: str) -> str | None:
    if not name:
        return _("A tag needs a name.")
    if name == tag.name:
        return None
    problem = _fixed_problem(tag)
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
            "type": _type_label(other),
        }
    return None


def _synonym_problem(tag: Tag, target: Tag) -> str | None:
    problem = _fixed_problem(tag)
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
            "target_type": _type_label(target),
            "tag": tag.name,
            "tag_type": _type_label(tag),
        }
    if _has_synonyms(tag):
        return _(
            "“%(tag)s” has synonyms of its own, so it can't become a synonym. Make its "
            "synonyms point at another canonical tag first."
        ) % {"tag": tag.name}
    return None


def _canonical_problem(tag: Tag, canonical: bool) -> str | None:
    if canonical == tag.canonical:
        return None
    problem = _fixed_problem(tag)
    if problem:
        return problem
    if canonical and tag.merger_id:
        return _(
            "“%(tag)s” is a synonym of “%(merger)s”. Remove it as a synonym before making it "
            "canonical."
        ) % {"tag": tag.name, "merger": tag.merger.name}
    if not canonical and _has_synonyms(tag):
        return _(
            "“%(tag)s” has synonyms. Give them another canonical tag before making it "
            "non-canonical."
        ) % {"tag": tag.name}
    return None


def _meta_problem(tag: Tag, meta: Tag, *, tag_canonical: bool | None = None) -> str | None:
    tag_canonical = tag.canonical if tag_canonical is None else tag_canonical
    if meta.pk == tag.pk:
        return _("A tag can't be its own meta tag.")
    problem = _fixed_problem(tag) or _fixed_problem(meta)
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
            "meta_type": _type_label(meta),
            "tag": tag.name,
            "tag_type": _type_label(tag),
        }
    if _would_cycle(sub=tag, meta=meta):
        return _(
            "“%(meta)s” is already a sub tag of “%(tag)s” (directly or further down), so it "
            "can't also be its meta tag."
        ) % {"meta": meta.name, "tag": tag.name}
    return None


def _parent_problem(tag: Tag, parent: Tag) -> str | None:
    if parent.pk == tag.pk:
        return _("A tag can't be its own parent.")
    allowed = PARENT_TYPES.get(TagType(tag.type), frozenset())
    if parent.type not in allowed:
        if not allowed:
            return _("%(tag_type)s tags have no parent tags.") % {"tag_type": _type_label(tag)}
        return _(
            "A %(tag_type)s tag can't have a %(parent_type)s tag as parent; its parents can "
            "be: %(allowed)s."
        ) % {
            "tag_type": _type_label(tag),
            "parent_type": _type_label(parent),
            "allowed": ", ".join(sorted(str(TagType(t).label) for t in allowed)),
        }
    if not parent.canonical:
        return _("Only canonical tags can be parents, and “%(parent)s” is not canonical.") % {
            "parent": parent.name
        }
    return None


def _unwrangleable_problem(tag: Tag, *, canonical: bool, has_merger: bool) -> str | None:
    problem = _fixed_problem(tag)
    if problem:
        return problem
    if canonical or has_merger:
        return _(
            "“%(tag)s” is canonical or a synonym, so it is wrangled already and can't be marked "
            "unwrangleable."
        ) % {"tag": tag.name}
    return None


def _refuse(problem: str | None) -> None:
    if problem:
        raise Refused(problem)


# --- raw changes (no checks, no filter refresh) ------------------------------------------


def _set_merger(tag: Tag, target: Tag) -> None:
    """Make `tag` a synonym of `target`, moving its associations to `target`."""
    metas = list(tag.meta_tags.all())
    subs = list(tag.sub_tags.all())
    children = list(tag.children.all())
    parents = list(tag.parents.all())
    tag.meta_tags.clear()
    tag.sub_tags.clear()
    _parent_through.objects.filter(to_tag_id=tag.pk).delete()
    Tag.objects.filter(pk=tag.pk).update(merger=target, canonical=False, unwrangleable=False)
    for meta in metas:
        if not _would_cycle(sub=target, meta=meta):
            target.meta_tags.add(meta)
    for sub in subs:
        if not _would_cycle(sub=sub, meta=target):
            sub.meta_tags.add(target)
    for child in children:
        if child.pk != target.pk:
            child.parents.add(target)
    for parent in parents:
        if parent.pk != target.pk:
            target.parents.add(parent)


def _set_canonical(tag: Tag, canonical: bool) -> None:
    if canonical:
        Tag.objects.filter(pk=tag.pk).update(canonical=True, unwrangleable=False)
    else:
        tag.meta_tags.clear()
        tag.sub_tags.clear()
        Tag.objects.filter(pk=tag.pk).update(canonical=False)


# --- the wrangling services --------------------------------------------------------------


@transaction.atomic
def tag_rename(*, tag: Tag, name: str) -> Tag:
    """Rename a tag. A name in use by another tag (ignoring case) is refused; changing only
    the case is allowed. Filter rows hold ids, so no work needs a refresh."""
    current = _locked(tag)
    name = _SPACES.sub(" ", name or "").strip()
    _refuse(_rename_problem(current, name))
    if name != current.name:
        Tag.objects.filter(pk=current.pk).update(name=name)
        works_search_retag(_carriers(current))  # found by the new name
    tag.refresh_from_db()
    return tag


@transaction.atomic
def tag_set_canonical(*, tag: Tag, canonical: bool = True) -> Tag:
    """Make a tag canonical (it can then be filtered on, take synonyms, meta tags and
    children) or stop it being canonical (it loses its meta and sub tags)."""
    current = _locked(tag)
    _refuse(_canonical_problem(current, canonical))
    if canonical != current.canonical:
        if canonical:
            # A work carrying the tag is already found under it: no filter row changes.
            _set_canonical(current, True)
        else:
            with FilterChange([current.pk]):
                _set_canonical(current, False)
    tag.refresh_from_db()
    return tag


@transaction.atomic
def tag_make_synonym(*, tag: Tag, canonical: Tag) -> Tag:
    """Make `tag` a synonym of the canonical tag `canonical` (same type). A canonical `tag`
    stops being canonical; its meta tags, sub tags, children and parents move over."""
    current = _locked(tag)
    target = _locked(canonical)
    _refuse(_synonym_problem(current, target))
    if current.merger_id != target.pk:
        # The works under `target` change only if `tag` brings meta tags along.
        moving_metas = current.meta_tags.exists()
        with FilterChange([current.pk] + ([target.pk] if moving_metas else [])):
            _set_merger(current, target)
    tag.refresh_from_db()
    return tag


@transaction.atomic
def tag_remove_synonym(*, tag: Tag) -> Tag:
    """Stop `tag` being a synonym: its works are no longer found under its former canonical."""
    current = _locked(tag)
    if current.merger_id:
        with FilterChange([current.pk]):
            Tag.objects.filter(pk=current.pk).update(merger=None)
    tag.refresh_from_db()
    return tag


@transaction.atomic
def tag_add_meta(*, tag: Tag, meta: Tag) -> Tag:
    """Make `meta` a meta tag of `tag`: works found under `tag` are also found under `meta`."""
    current, meta = _locked(tag), _locked(meta)
    _refuse(_meta_problem(current, meta))
    if not current.meta_tags.filter(pk=meta.pk).exists():
        with FilterChange([current.pk]):
            current.meta_tags.add(meta)
    return tag


@transaction.atomic
def tag_remove_meta(*, tag: Tag, meta: Tag) -> Tag:
    current = _locked(tag)
    if current.meta_tags.filter(pk=meta.pk).exists():
        with FilterChange([current.pk]):
            current.meta_tags.remove(meta)
    return tag


@transaction.atomic
def tag_add_parent(*, tag: Tag, parent: Tag) -> Tag:
    """Place a tag under a parent (a fandom under a medium, a character under a fandom...).
    Parents don't change what a work is found under."""
    current, parent = _locked(tag), _locked(parent)
    _refuse(_parent_problem(current, parent))
    current.parents.add(parent)
    return tag


@transaction.atomic
def tag_set_unwrangleable(*, tag: Tag, unwrangleable: bool = True) -> Tag:
    current = _locked(tag)
    if unwrangleable and not current.unwrangleable:
        _refuse(
            _unwrangleable_problem(
                current, canonical=current.canonical, has_merger=bool(current.merger_id)
            )
        )
    Tag.objects.filter(pk=current.pk).update(unwrangleable=unwrangleable)
    tag.refresh_from_db()
    return tag


@transaction.atomic
def tag_merge(*, source: Tag, target: Tag) -> int:
    """Move every work tagged `source` to `target` (a work carrying both keeps one tagging).

    `source` stays, with no works; make it a synonym of `target` as well if authors who keep
    typing it should be found under `target`. Returns the number of works moved.
    """
    from works.models import TaggedWork

    source, target = _locked(source), _locked(target)
    if source.pk == target.pk:
        raise Refused(_("A tag can't be merged into itself."), code="same_tag")
    _refuse(_fixed_problem(source) or _fixed_problem(target))
    if source.type != target.type:
        raise Refused(
            _(
                "“%(source)s” is a %(source_type)s tag and “%(target)s” is a %(target_type)s "
                "tag: only tags of the same type can be merged."
            )
            % {
                "source": source.name,
                "source_type": _type_label(source),
                "target": target.name,
                "target_type": _type_label(target),
            }
        )
    work_ids = works_carrying([source.pk])
    rows_for = up_closure([source.pk, target.pk])
    moved = _carriers(source)
    already = TaggedWork.objects.filter(tag=target).values("content_object_id")
    TaggedWork.objects.filter(tag=source).exclude(content_object_id__in=already).update(tag=target)
    TaggedWork.objects.filter(tag=source).delete()
    works_search_retag(moved)
    works_refresh_filter_tags(work_ids, rows_for)
    tags_recount([source.pk, target.pk])
    return len(work_ids)


@transaction.atomic
def tag_delete(*, tag: Tag) -> None:
    """Delete a tag: works lose it, its synonyms become plain tags again, and the filter rows
    of every work that depended on it are refreshed."""
    current = _locked(tag)
    work_ids = works_carrying(tags_scope([current.pk]))
    rows_for = up_closure([current.pk]) - {current.pk}  # its own rows go with it
    carriers = _carriers(current)
    current.delete()
    works_search_retag(carriers)
    works_refresh_filter_tags(work_ids, rows_for)


# --- the admin's change form: many changes at once ---------------------------------------


def tag_update_problems(
    *,
    tag: Tag,
    name: str,
    canonical: bool,
    merger: Tag | None,
    unwrangleable: bool,
    parents: Iterable[Tag],
    meta_tags: Iterable[Tag],
) -> dict[str, list[str]]:
    """Why the wanted state of `tag` is refused, field by field ({} when it is acceptable)."""
    tag = Tag.objects.select_related("merger").get(pk=tag.pk)
    problems: dict[str, list[str]] = {}

    def note(field, problem):
        if problem:
            problems.setdefault(field, []).append(problem)

    note("name", _rename_problem(tag, _SPACES.sub(" ", name or "").strip()))
    if merger is not None:
        if merger.pk != tag.merger_id:
            note("merger", _synonym_problem(tag, merger))
        if canonical:
            note(
                "canonical",
                _("A synonym can't be canonical: untick canonical or clear “synonym of”."),
            )
    elif canonical != tag.canonical:
        if canonical and tag.merger_id:
            pass  # clearing the synonym in the same change makes this fine
        else:
            note("canonical", _canonical_problem(tag, canonical))
    final_canonical = canonical and merger is None
    wanted_metas = {meta.pk: meta for meta in meta_tags}
    current_metas = set(tag.meta_tags.values_list("pk", flat=True))
    for meta in wanted_metas.values():
        if meta.pk not in current_metas or not final_canonical:
            note("meta_tags", _meta_problem(tag, meta, tag_canonical=final_canonical))
    current_parents = set(tag.parents.values_list("pk", flat=True))
    for parent in parents:
        if parent.pk not in current_parents:
            note("parents", _parent_problem(tag, parent))
    if unwrangleable:
        note(
            "unwrangleable",
            _unwrangleable_problem(tag, canonical=final_canonical, has_merger=merger is not None),
        )
    return problems


@transaction.atomic
def tag_update(
    *,
    tag: Tag,
    name: str,
    canonical: bool,
    merger: Tag | None,
    unwrangleable: bool,
    parents: Iterable[Tag],
    meta_tags: Iterable[Tag],
) -> Tag:
    """Bring a tag to the wanted state in one go (the admin's change form), all or nothing.

    The whole wanted state is checked first; the changes are then made in an order that
    keeps every rule true at each step, and the affected works are refreshed once.
    """
    parents, meta_tags = list(parents), list(meta_tags)
    problems = tag_update_problems(
        tag=tag,
        name=name,
        canonical=canonical,
        merger=merger,
        unwrangleable=unwrangleable,
        parents=parents,
        meta_tags=meta_tags,
    )
    if problems:
        # The admin's form shows every problem first (tag_update_problems); this is the
        # backstop, naming the first field at fault.
        field, field_problems = next(iter(problems.items()))
        raise Refused(" ".join(field_problems), field=field)
    current = _locked(tag)
    name = _SPACES.sub(" ", name).strip()
    if name != current.name:
        Tag.objects.filter(pk=current.pk).update(name=name)
        works_search_retag(_carriers(current))  # found by the new name
    moving_metas = merger is not None and current.meta_tags.exists()
    guarded = [current.pk] + ([merger.pk] if moving_metas else [])
    with FilterChange(guarded):
        if merger is None and current.merger_id:
            Tag.objects.filter(pk=current.pk).update(merger=None)
            current.refresh_from_db()
        if merger is not None and merger.pk != current.merger_id:
            _set_merger(current, _locked(merger))
            current.refresh_from_db()
        if merger is None and canonical != current.canonical:
            _set_canonical(current, canonical)
            current.refresh_from_db()
        wanted = {meta.pk for meta in meta_tags}
        present = set(current.meta_tags.values_list("pk", flat=True))
        if present - wanted:
            current.meta_tags.remove(*(present - wanted))
        if wanted - present:
            current.meta_tags.add(*(wanted - present))
    wanted = {parent.pk for parent in parents}
    present = set(current.parents.values_list("pk", flat=True))
    if present - wanted:
        current.parents.remove(*(present - wanted))
    if wanted - present:
        current.parents.add(*(wanted - present))
    Tag.objects.filter(pk=current.pk).update(unwrangleable=unwrangleable)
    tag.refresh_from_db()
    return tag
