"""The reads of the tag-set pages (issue 20, part 2): the index with each set's counts, a set's
tags grouped by type, a nominator's own nominations, and the moderators' review list (pending
nominations grouped by type and name, with how many people nominated each and what the name
already is in the tags app)."""

from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.db.models.functions import Lower
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from tags.models import Tag, TagType
from works.listing.pagination import paginate
from works.models import TagNomination, TagSet
from works.models.visibility import is_tag_set_owner, is_tag_set_staff, nominations_visible_to
from works.services.tag_nominations import NOMINATION_TYPES, PENDING, nominations_used
from works.services.tag_sets import SET_TAG_TYPES

TAG_SETS_PER_PAGE = 20
# The types the index counts on each blurb (AO3's).
COUNTED_TYPES = (TagType.FANDOM, TagType.CHARACTER, TagType.RELATIONSHIP, TagType.FREEFORM)


def tag_set_or_404(tag_set_id: int) -> TagSet:
    return get_object_or_404(TagSet.objects.prefetch_related("owners", "moderators"), pk=tag_set_id)


def staff_tag_set_or_404(user, tag_set_id: int) -> TagSet:
    """The set, for its owners and moderators only (404 for anyone else)."""
    tag_set = tag_set_or_404(tag_set_id)
    if not is_tag_set_staff(tag_set, user):
        raise Http404
    return tag_set


def index_context(request) -> dict:
    """/tag_sets: every set (or those whose title holds ?query=), twenty a page, with owners,
    moderators and how many tags of each counted type it holds. A fixed number of queries."""
    query = (request.GET.get("query") or "").strip()[:100]
    tag_sets = TagSet.objects.annotate(
        **{
            f"{tag_type}_count": Count("tags", filter=Q(tags__type=tag_type))
            for tag_type in COUNTED_TYPES
        }
    ).prefetch_related("owners", "moderators")
    if query:
        tag_sets = tag_sets.filter(title__icontains=query)
    page, pagination = paginate(request, tag_sets.order_by("title", "pk"), TAG_SETS_PER_PAGE)
    user = request.user
    owned = moderated = set()
    if user.is_authenticated:
        owned = set(user.owned_tag_sets.values_list("pk", flat=True))
        moderated = set(user.moderated_tag_sets.values_list("pk", flat=True))
    blurbs = []
    for tag_set in page.object_list:
        counts = [(TagType(t).label, getattr(tag_set, f"{t}_count")) for t in COUNTED_TYPES]
        blurbs.append(
            {
                "tag_set": tag_set,
                "counts": counts,
                "is_owner": tag_set.pk in owned,
                "is_staff": tag_set.pk in owned or tag_set.pk in moderated,
            }
        )
    return {"blurbs": blurbs, "pagination": pagination, "query": query}


@dataclass
class TagGroup:
    tag_type: str
    label: str
    tags: list = field(default_factory=list)


def tags_by_type(tag_set: TagSet) -> list[TagGroup]:
    """The set's tags in SET_TAG_TYPES order, each type's by name; types it has none of are
    left out. One query."""
    groups = {t: TagGroup(t, TagType(t).label) for t in SET_TAG_TYPES}
    for tag in tag_set.tags.order_by(Lower("name")).only("name", "type", "canonical"):
        if tag.type in groups:
            groups[tag.type].tags.append(tag)
    return [g for g in groups.values() if g.tags]


def detail_context(tag_set: TagSet, user) -> dict:
    opens_at = tag_set.nominations_open_at
    return {
        "tag_set": tag_set,
        "opens_later": bool(opens_at and opens_at > timezone.now()),
        "groups": tags_by_type(tag_set),
        "limits": [
            (TagType(t).label, tag_set.nomination_limit(t))
            for t in NOMINATION_TYPES
            if tag_set.nomination_limit(t)
        ],
        **navigation_context(tag_set, user),
    }


def navigation_context(tag_set: TagSet, user) -> dict:
    """What the set's navigation offers this viewer."""
    staff = is_tag_set_staff(tag_set, user)
    return {
        "is_owner": is_tag_set_owner(tag_set, user),
        "is_staff": staff,
        "nominations_open": tag_set.nominations_open(),
        "pending_count": tag_set.nominations.filter(status=PENDING).count() if staff else 0,
        "maintainers": [*tag_set.owners.all(), *tag_set.moderators.all()],
    }


def my_nominations(tag_set: TagSet, user) -> list[TagNomination]:
    """The user's own nominations for the set, with their type's label."""
    mine = list(
        nominations_visible_to(tag_set, user)
        .filter(nominator=user)
        .select_related("tag")
        .order_by("tag_type", Lower("name"))
    )
    for nomination in mine:
        nomination.type_label = TagType(nomination.tag_type).label
    return mine


def nomination_slots(tag_set: TagSet, user) -> list[dict]:
    """For each type the set takes: its limit, how many places the user used, how many are
    left."""
    used = nominations_used(tag_set, user)
    slots = []
    for tag_type in NOMINATION_TYPES:
        limit = tag_set.nomination_limit(tag_type)
        if limit:
            left = max(limit - used[tag_type], 0)
            slots.append(
                {
                    "tag_type": tag_type,
                    "label": TagType(tag_type).label,
                    "limit": limit,
                    "used": used[tag_type],
                    "left": left,
                }
            )
    return slots


@dataclass
class ReviewRow:
    """Pending nominations of one type and name: one decision."""

    nomination: TagNomination  # the first one: its id stands for the row
    count: int = 1
    parents: list = field(default_factory=list)
    existing: Tag | None = None
    in_set: bool = False


def review_groups(tag_set: TagSet) -> list[dict]:
    """Pending nominations by type (NOMINATION_TYPES order), then by name: how many nominated
    it, under which fandoms, and the tag the name already is (canonical, a synonym, new).
    Three queries whatever the number of nominations."""
    pending = tag_set.nominations.filter(status=PENDING).order_by("tag_type", Lower("name"), "pk")
    rows: dict[tuple, ReviewRow] = {}
    for nomination in pending:
        key = (nomination.tag_type, nomination.name.lower())
        row = rows.get(key)
        if row is None:
            row = rows[key] = ReviewRow(nomination)
        else:
            row.count += 1
        if nomination.parent_name and nomination.parent_name not in row.parents:
            row.parents.append(nomination.parent_name)
    names = {name for _type, name in rows}
    existing = {}
    if names:
        tags = (
            Tag.objects.annotate(lower_name=Lower("name"))
            .filter(lower_name__in=names)
            .select_related("merger")
        )
        existing = {(t.type, t.lower_name): t for t in tags}
    in_set = set(
        tag_set.tags.filter(pk__in=[t.pk for t in existing.values()]).values_list("pk", flat=True)
    )
    groups = []
    for tag_type in NOMINATION_TYPES:
        typed = [row for key, row in rows.items() if key[0] == tag_type]
        for row in typed:
            row.existing = existing.get((tag_type, row.nomination.name.lower()))
            row.in_set = row.existing is not None and row.existing.pk in in_set
        if typed:
            groups.append({"tag_type": tag_type, "label": TagType(tag_type).label, "rows": typed})
    return groups


def reviewed_counts(tag_set: TagSet) -> dict:
    counts = tag_set.nominations.exclude(status=PENDING).values("status").annotate(n=Count("pk"))
    return {row["status"]: row["n"] for row in counts}
