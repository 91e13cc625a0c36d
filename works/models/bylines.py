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
