"""The wrangling services: rename, canonical, synonyms, meta tags, parents, unwrangleable,
merge and delete (the rules are in tags/services/__init__.py and tags.services.rules).

Each is keyword-only and atomic, refuses bad input with archive.errors.Refused whose message says
why (changing nothing), and tells the works app what changed through tags.signals, inside the
same transaction, so that its filter rows, taggings and search documents follow.
"""

from django.db import transaction
from django.utils.translation import gettext as _

from archive.errors import Refused
from tags.filtering import FilterChange, up_closure
from tags.models import Tag
from tags.services import rules
from tags.services.resolving import squash_spaces
from tags.signals import tag_deleting, tag_renamed, tags_merged, tags_wrangling

_parent_through = Tag.parents.through


def locked(tag: Tag) -> Tag:
    """The tag as stored now, locked for the rest of the transaction (PostgreSQL). Every
    wrangling service starts here, so this is where pages showing tags are retired."""
    tags_wrangling.send(sender=Tag, tag_ids=[tag.pk])
    return Tag.objects.select_for_update().get(pk=tag.pk)


# --- raw changes (no checks, no filter refresh) ------------------------------------------


def set_merger(tag: Tag, target: Tag) -> None:
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
        if not rules.would_cycle(sub=target, meta=meta):
            target.meta_tags.add(meta)
    for sub in subs:
        if not rules.would_cycle(sub=sub, meta=target):
            sub.meta_tags.add(target)
    for child in children:
        if child.pk != target.pk:
            child.parents.add(target)
    for parent in parents:
        if parent.pk != target.pk:
            target.parents.add(parent)


def set_canonical(tag: Tag, canonical: bool) -> None:
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
    current = locked(tag)
    name = squash_spaces(name)
    rules.refuse(rules.rename_problem(current, name))
    if name != current.name:
        Tag.objects.filter(pk=current.pk).update(name=name)
        tag_renamed.send(sender=Tag, tag_id=current.pk)  # works are found by the new name
    tag.refresh_from_db()
    return tag


@transaction.atomic
def tag_set_canonical(*, tag: Tag, canonical: bool = True) -> Tag:
    """Make a tag canonical (it can then be filtered on, take synonyms, meta tags and
    children) or stop it being canonical (it loses its meta and sub tags)."""
    current = locked(tag)
    rules.refuse(rules.canonical_problem(current, canonical))
    if canonical != current.canonical:
        if canonical:
            # A work carrying the tag is already found under it: no filter row changes.
            set_canonical(current, True)
        else:
            with FilterChange([current.pk]):
                set_canonical(current, False)
    tag.refresh_from_db()
    return tag


@transaction.atomic
def tag_make_synonym(*, tag: Tag, canonical: Tag) -> Tag:
    """Make `tag` a synonym of the canonical tag `canonical` (same type). A canonical `tag`
    stops being canonical; its meta tags, sub tags, children and parents move over."""
    current = locked(tag)
    target = locked(canonical)
    rules.refuse(rules.synonym_problem(current, target))
    if current.merger_id != target.pk:
        # The works under `target` change only if `tag` brings meta tags along.
        moving_metas = current.meta_tags.exists()
        with FilterChange([current.pk] + ([target.pk] if moving_metas else [])):
            set_merger(current, target)
    tag.refresh_from_db()
    return tag


@transaction.atomic
def tag_remove_synonym(*, tag: Tag) -> Tag:
    """Stop `tag` being a synonym: its works are no longer found under its former canonical."""
    current = locked(tag)
    if current.merger_id:
        with FilterChange([current.pk]):
            Tag.objects.filter(pk=current.pk).update(merger=None)
    tag.refresh_from_db()
    return tag


@transaction.atomic
def tag_add_meta(*, tag: Tag, meta: Tag) -> Tag:
    """Make `meta` a meta tag of `tag`: works found under `tag` are also found under `meta`."""
    current, meta = locked(tag), locked(meta)
    rules.refuse(rules.meta_problem(current, meta))
    if not current.meta_tags.filter(pk=meta.pk).exists():
        with FilterChange([current.pk]):
            current.meta_tags.add(meta)
    return tag


@transaction.atomic
def tag_remove_meta(*, tag: Tag, meta: Tag) -> Tag:
    current = locked(tag)
    if current.meta_tags.filter(pk=meta.pk).exists():
        with FilterChange([current.pk]):
            current.meta_tags.remove(meta)
    return tag


@transaction.atomic
def tag_add_parent(*, tag: Tag, parent: Tag) -> Tag:
    """Place a tag under a parent (a fandom under a medium, a character under a fandom...).
    Parents don't change what a work is found under."""
    current, parent = locked(tag), locked(parent)
    rules.refuse(rules.parent_problem(current, parent))
    current.parents.add(parent)
    return tag


@transaction.atomic
def tag_set_unwrangleable(*, tag: Tag, unwrangleable: bool = True) -> Tag:
    current = locked(tag)
    if unwrangleable and not current.unwrangleable:
        rules.refuse(
            rules.unwrangleable_problem(
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
    source, target = locked(source), locked(target)
    if source.pk == target.pk:
        raise Refused(_("A tag can't be merged into itself."), code="same_tag")
    rules.refuse(rules.fixed_problem(source) or rules.fixed_problem(target))
    if source.type != target.type:
        raise Refused(
            _(
                "“%(source)s” is a %(source_type)s tag and “%(target)s” is a %(target_type)s "
                "tag: only tags of the same type can be merged."
            )
            % {
                "source": source.name,
                "source_type": rules.type_label(source),
                "target": target.name,
                "target_type": rules.type_label(target),
            }
        )
    responses = tags_merged.send(
        sender=Tag,
        source_id=source.pk,
        target_id=target.pk,
        filter_tag_ids=up_closure([source.pk, target.pk]),
    )
    return sum(moved for _receiver, moved in responses)


@transaction.atomic
def tag_delete(*, tag: Tag) -> None:
    """Delete a tag: works lose it, its synonyms become plain tags again, and the filter rows
    of every work that depended on it are refreshed.

    The tag is first taken out of the tag graph (as a refreshed change), so that the works
    only have to drop the tag itself."""
    current = locked(tag)
    with FilterChange([current.pk]):
        Tag.objects.filter(merger_id=current.pk).update(merger=None)
        current.meta_tags.clear()
        current.sub_tags.clear()
        Tag.objects.filter(pk=current.pk).update(merger=None)
    tag_deleting.send(sender=Tag, tag_id=current.pk)
    current.delete()
