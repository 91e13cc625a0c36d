"""The names a work's byline shows for its creators.

A work's creators, for a byline, are the pseuds of its creatorships (`Work.pseuds`): every
query that loads creators for a byline prefetches them, with their users, by
`creators_with_bylines()` (one query, as the users alone were), and a byline reads AO3's
"Pseud (login)", or the login alone when the pseud is named as it (`Pseud.byline`).
Templates show `{{ creator|byline }}` (works_extras) and link `creator.get_pseud_url`.
"""

from django.db.models import Prefetch

from archive.models import Pseud


def creators_with_bylines() -> Prefetch:
    """Prefetch a work's pseuds with their users: what bylines show and who its creators
    are (`Work.is_creator`, works.models.visibility.work_secrets)."""
    return Prefetch("pseuds", queryset=Pseud.objects.select_related("user"))


def byline(creator) -> str:
    """The name a byline shows for one creator (a pseud)."""
    return creator.byline


def chapter_bylines(chapters, creators) -> None:
    """Give each chapter `own_creators`: the pseuds of its own co-creators (AO3's chapter
    bylines), or [] when it is by all of the work's `creators` (the pseuds a reader may be
    shown: none for an anonymous work, and then nothing is asked)."""
    for chapter in chapters:
        chapter.own_creators = []
    if len(creators) < 2 or not chapters:
        return
    # The chapters' own model: works.models.chapters imports this module (via visibility).
    through = (
        type(chapters[0])
        .creatorships.through.objects.filter(chapter_id__in=[c.pk for c in chapters if c.pk])
        .select_related("workcreator__pseud__user")
    )
    own = {}
    for row in through.order_by("workcreator__position", "workcreator_id"):
        own.setdefault(row.chapter_id, []).append(row.workcreator.pseud)
    for chapter in chapters:
        chapter.own_creators = own.get(chapter.pk, [])
