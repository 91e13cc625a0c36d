"""What a blurb and a work header derive from a work (all from prefetched rows), so the blurb
template, the work page and the download say the same thing."""

from dataclasses import dataclass

from django.core.exceptions import ObjectDoesNotExist
from django.utils.translation import gettext as _

from tags.fixed import CATEGORY_CLASSES, RATING_CLASSES
from tags.models import TagType

SERIOUS_WARNINGS = frozenset(
    {"Graphic Depictions Of Violence", "Major Character Death", "Rape/Non-Con", "Underage Sex"}
)
NO_WARNINGS = "No Archive Warnings Apply"
CHOSE_NOT_TO_WARN = "Creator Chose Not To Use Archive Warnings"


@dataclass(frozen=True)
class Symbol:
    css: str  # e.g. "rating-mature rating"
    text: str


def required_tag_symbols(work, groups=None) -> list[Symbol]:
    """The four AO3 symbols of a blurb: rating, warnings, category, complete."""
    groups = groups if groups is not None else work.tags_by_type()
    ratings = [t.name for t in groups[TagType.RATING]]
    warnings = [t.name for t in groups[TagType.WARNING]]
    categories = [t.name for t in groups[TagType.CATEGORY]]

    rating = ratings[0] if ratings else "Not Rated"
    rating_symbol = Symbol(f"{RATING_CLASSES.get(rating, 'rating-notrated')} rating", rating)

    if SERIOUS_WARNINGS.intersection(warnings):
        warning_class = "warning-yes"
    elif CHOSE_NOT_TO_WARN in warnings or not warnings:
        warning_class = "warning-choosenotto"
    else:
        warning_class = "warning-no"
    warning_text = ", ".join(warnings) or CHOSE_NOT_TO_WARN
    warning_symbol = Symbol(f"{warning_class} warnings", warning_text)

    if not categories:
        category_class, category_text = "category-none", _("No category")
    elif len(categories) > 1:
        category_class, category_text = "category-multi", ", ".join(categories)
    else:
        category_class = CATEGORY_CLASSES.get(categories[0], "category-other")
        category_text = categories[0]
    category_symbol = Symbol(f"{category_class} category", category_text)

    if work.is_complete:
        complete_symbol = Symbol("complete-yes iswip", _("Complete Work"))
    else:
        complete_symbol = Symbol("complete-no iswip", _("Work in Progress"))
    return [rating_symbol, warning_symbol, category_symbol, complete_symbol]


def approved_collections(work) -> list:
    """The collections a work shows in: both sides approved (from prefetched items)."""
    return [item.collection for item in work.collection_items.all() if item.is_approved]


def work_stats(work):
    """The work's counters, or None when it has no stats row (never a query: select_related)."""
    try:
        return work.stats
    except ObjectDoesNotExist:
        return None
