"""Turning what authors type into Tag rows: parsing a field, checking names, resolving them.

Names are unique across types, as on AO3: a name taken by another type is kept apart as
"Name (Type)".
"""

import re

from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.utils.translation import gettext as _

from tags.models import TAG_NAME_FORBIDDEN, TAG_NAME_MAX_LENGTH, TYPE_SUFFIX, Tag, TagType

_SPACES = re.compile(r"\s+")


def squash_spaces(text: str | None) -> str:
    """The text with runs of white space made one space, stripped."""
    return _SPACES.sub(" ", text or "").strip()


def tags_parse(text: str) -> list[str]:
    """Split a comma-separated field into clean names, first spelling of each kept once.

    Split on commas only: tag names contain spaces.
    """
    names, seen = [], set()
    for raw in (text or "").split(","):
        name = squash_spaces(raw)
        if name and name.lower() not in seen:
            seen.add(name.lower())
            names.append(name)
    return names


def tag_name_problem(name: str) -> str | None:
    """Why a typed tag name is refused, or None. Messages are shown next to the field."""
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
