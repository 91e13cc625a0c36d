"""The name a work's byline shows for one of its creators.

A work's creators, for a byline, are the pseuds of its creatorships (`Work.pseuds`,
prefetched with their users by `visibility.byline_prefetch()`); the byline is AO3's
"Pseud (login)", or the login alone when the pseud is named as it (`Pseud.byline`).
Templates show `{{ creator|byline }}` (works_extras) and link `creator.get_pseud_url`.
"""


def byline(creator) -> str:
    """The name a byline shows for one creator (a pseud)."""
    return creator.byline
