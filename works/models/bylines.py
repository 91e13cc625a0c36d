"""The names a work's byline shows for its creators.

A creator is a user; their byline is their default pseud (their login) — except on
orphan_account's creatorships, which may keep the name of the creator who orphaned the work
(AO3's "Leave a copy of my pseud name", works/services/orphans.py). That name lives on the
creatorship (`WorkCreator.byline_name`), so the creators a work lists carry it: every query
that loads creators for a byline prefetches them with `creators_with_bylines()`, which reads
the name in the same query as the creators (no query more per listing), and templates show
`{{ creator|byline }}`.
"""

from django.apps import apps
from django.conf import settings
from django.db.models import Prefetch

# Set on the User objects a byline prefetch loads (see creators_with_bylines()).
BYLINE_ATTRIBUTE = "byline_name"


def creators_with_bylines() -> Prefetch:
    """Prefetch a work's creators, each carrying its creatorship's byline name.

    Django's many-to-many prefetch joins the creatorship table under its own name and reads
    the work's id from it in the same way (ManyRelatedManager.get_prefetch_querysets); the
    byline name is read from that join."""
    users = apps.get_model(settings.AUTH_USER_MODEL).objects.extra(  # noqa: S610 - no input
        select={BYLINE_ATTRIBUTE: '"works_workcreator"."byline_name"'}
    )
    return Prefetch("creators", queryset=users)


def byline(creator) -> str:
    """The name a byline shows for one creator: "<name> (orphan_account)" for a work
    orphaned under its creator's name, the login otherwise."""
    name = getattr(creator, BYLINE_ATTRIBUTE, "") or ""
    if name:
        return f"{name} ({creator.username})"
    return creator.default_pseud
