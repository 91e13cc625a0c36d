"""The admin's change form: bring a tag to a wanted state in one go, all or nothing."""

from collections.abc import Iterable

from django.db import transaction
from django.utils.translation import gettext as _

from archive.errors import Refused
from tags.filtering import FilterChange
from tags.models import Tag
from tags.services import rules
from tags.services.resolving import squash_spaces
from tags.services.wrangling import locked, set_canonical, set_merger
from tags.signals import tag_renamed


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

    note("name", rules.rename_problem(tag, squash_spaces(name)))
    if merger is not None:
        if merger.pk != tag.merger_id:
            note("merger", rules.synonym_problem(tag, merger))
        if canonical:
            note(
                "canonical",
                _("A synonym can't be canonical: untick canonical or clear “synonym of”."),
            )
    elif canonical != tag.canonical:
        if canonical and tag.merger_id:
            pass  # clearing the synonym in the same change makes this fine
        else:
            note("canonical", rules.canonical_problem(tag, canonical))
    final_canonical = canonical and merger is None
    wanted_metas = {meta.pk: meta for meta in meta_tags}
    current_metas = set(tag.meta_tags.values_list("pk", flat=True))
    for meta in wanted_metas.values():
        if meta.pk not in current_metas or not final_canonical:
            note("meta_tags", rules.meta_problem(tag, meta, tag_canonical=final_canonical))
    current_parents = set(tag.parents.values_list("pk", flat=True))
    for parent in parents:
        if parent.pk not in current_parents:
            note("parents", rules.parent_problem(tag, parent))
    if unwrangleable:
        note(
            "unwrangleable",
            rules.unwrangleable_problem(
                tag, canonical=final_canonical, has_merger=merger is not None
            ),
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
    current = locked(tag)
    name = squash_spaces(name)
    if name != current.name:
        Tag.objects.filter(pk=current.pk).update(name=name)
        tag_renamed.send(sender=Tag, tag_id=current.pk)  # works are found by the new name
    moving_metas = merger is not None and current.meta_tags.exists()
    guarded = [current.pk] + ([merger.pk] if moving_metas else [])
    with FilterChange(guarded):
        if merger is None and current.merger_id:
            Tag.objects.filter(pk=current.pk).update(merger=None)
            current.refresh_from_db()
        if merger is not None and merger.pk != current.merger_id:
            set_merger(current, locked(merger))
            current.refresh_from_db()
        if merger is None and canonical != current.canonical:
            set_canonical(current, canonical)
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
