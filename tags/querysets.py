"""Reusable reads over tags."""

from django.db import models
from django.db.models import Exists, F, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce, Lower

from tags.types import TagType


class TagQuerySet(models.QuerySet):
    def canonical(self):
        return self.filter(canonical=True)

    def search(self, prefix):
        """Names starting with `prefix`, ignoring case (the autocomplete index serves it)."""
        return self.filter(name__istartswith=prefix)

    def named(self, name):
        """The tag with exactly this name, else the one whose name differs only in case.

        Names are unique ignoring case (the `tag_name_ci_unique` index), so this is at most
        one tag.
        """
        return self.alias(lower_name=Lower("name")).filter(
            Q(name=name) | Q(lower_name=Lower(Value(name)))
        )

    def unwrangled(self):
        """Tags no wrangler has dealt with: not canonical, no synonym of, not unwrangleable."""
        return self.filter(canonical=False, merger__isnull=True, unwrangleable=False)

    def with_family_count(self):
        """Annotate `family_count`: the tag's own work count plus its synonyms' counts.

        This is what browse pages show next to a canonical tag. A work carrying two synonyms
        of one tag counts twice; the stored counts are per tag, so this needs no scan of works.
        """
        synonyms_total = (
            self.model.objects.filter(merger=OuterRef("pk"))
            .order_by()
            .values("merger")
            .annotate(total=Sum("work_count"))
            .values("total")
        )
        return self.annotate(family_count=F("work_count") + Coalesce(Subquery(synonyms_total), 0))

    def with_parent_among(self, parent_ids):
        """Annotate `in_parents`: whether one of the tag's parents is among `parent_ids`."""
        through = self.model.parents.through
        return self.annotate(
            in_parents=Exists(
                through.objects.filter(from_tag=OuterRef("pk"), to_tag_id__in=list(parent_ids))
            )
        )

    def with_placement(self):
        """Alias `has_media_parent` and `has_fandom_parent`, which wrangled_q() reads."""
        through = self.model.parents.through
        return self.alias(
            has_media_parent=Exists(
                through.objects.filter(from_tag=OuterRef("pk"), to_tag__type=TagType.MEDIA)
            ),
            has_fandom_parent=Exists(
                through.objects.filter(from_tag=OuterRef("pk"), to_tag__type=TagType.FANDOM)
            ),
        )

    def wrangled(self):
        """Tags a wrangler has finished with.

        A tag is wrangled when it is one of the fixed tags (ratings, warnings, categories,
        media), or a synonym of a canonical tag, or marked unwrangleable, or canonical AND
        placed: a canonical fandom needs a media parent, a canonical character or
        relationship needs a parent fandom; other canonical tags (additional tags, prompts)
        are placed by being canonical. Everything else is unwrangled, including a canonical
        character nobody has put in a fandom yet.
        """
        return self.with_placement().filter(wrangled_q())

    def not_wrangled(self):
        """The complement of wrangled()."""
        return self.with_placement().exclude(wrangled_q())


def wrangled_q() -> Q:
    """The condition of TagQuerySet.wrangled(), on a queryset that went through
    with_placement()."""
    fixed = [TagType.RATING, TagType.WARNING, TagType.CATEGORY, TagType.MEDIA]
    placed_by_parent = [TagType.FANDOM, TagType.CHARACTER, TagType.RELATIONSHIP]
    placed = (
        Q(type=TagType.FANDOM, has_media_parent=True)
        | Q(type__in=[TagType.CHARACTER, TagType.RELATIONSHIP], has_fandom_parent=True)
        | ~Q(type__in=placed_by_parent)
    )
    return (
        Q(type__in=fixed)
        | Q(merger__isnull=False)
        | Q(unwrangleable=True)
        | (Q(canonical=True) & placed)
    )
