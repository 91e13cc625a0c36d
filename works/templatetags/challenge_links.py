"""`{% challenge_links collection as links %}`: the challenge pages the viewer may use, for a
collection's navigation (issue 20, part 1; works.pages.signups.challenge_navigation)."""

from django import template

from works.pages.signups import challenge_navigation, challenge_times

register = template.Library()


@register.simple_tag(takes_context=True)
def challenge_links(context, collection):
    request = context.get("request")
    if request is None:
        return []
    return challenge_navigation(collection, request.user)


@register.simple_tag
def challenge_schedule(challenge):
    """[(label, moment)] of the challenge's dates that are set, in order."""
    return challenge_times(challenge)
