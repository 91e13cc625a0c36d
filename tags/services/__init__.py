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
whose message says why (changing nothing), and tells the works app what changed
(tags.signals), which keeps the works' filter rows exact by refreshing only the works whose
rows depend on the change (see tags.filtering).

Modules: `resolving` (what authors type), `rules` (the checks), `wrangling` (one change at a
time), `update` (the admin's change form). Their public services are named here.
"""

from tags.services.resolving import (
    fixed_tags,
    squash_spaces,
    tag_name_problem,
    tag_resolve,
    tags_parse,
    tags_resolve,
)
from tags.services.update import tag_update, tag_update_problems
from tags.services.wrangling import (
    tag_add_meta,
    tag_add_parent,
    tag_delete,
    tag_make_synonym,
    tag_merge,
    tag_remove_meta,
    tag_remove_synonym,
    tag_rename,
    tag_set_canonical,
    tag_set_unwrangleable,
)

__all__ = [
    "fixed_tags",
    "squash_spaces",
    "tag_add_meta",
    "tag_add_parent",
    "tag_delete",
    "tag_make_synonym",
    "tag_merge",
    "tag_name_problem",
    "tag_remove_meta",
    "tag_remove_synonym",
    "tag_rename",
    "tag_resolve",
    "tag_set_canonical",
    "tag_set_unwrangleable",
    "tag_update",
    "tag_update_problems",
    "tags_parse",
    "tags_resolve",
]
