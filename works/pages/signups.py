"""Reads behind a challenge's sign-up pages (issue 20, part 1): the challenge of a
collection, one sign-up for those who may see it (works.models.visibility decides), the
moderators' list of sign-ups, the requests summary, the audit, and the collection page's
challenge navigation.
"""

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _

from tags.models import Tag
from works.listing.pagination import paginate
from works.models import Challenge, ChallengeAction, Prompt, PromptRules, Signup
from works.models.challenges import PROMPT_TAG_TYPES
from works.models.visibility import (
    is_challenge_staff,
    may_list_signups,
    may_see_requests_summary,
    signups_visible_to,
)

REQUEST, OFFER = PromptRules.Side.REQUEST, PromptRules.Side.OFFER
SIGNUPS_PER_PAGE = 50
REQUESTS_PER_PAGE = 50
ACTIONS_PER_PAGE = 100


def challenge_or_404(name: str) -> Challenge:
    """The challenge of the collection `name` (404 when it is none)."""
    return get_object_or_404(
        Challenge.objects.select_related("collection", "collection__owner", "tag_set"),
        collection__name=name,
    )


def staff_challenge_or_404(name: str, user) -> Challenge:
    challenge = challenge_or_404(name)
    if not may_list_signups(challenge, user):
        raise Http404
    return challenge


def _prompts_with_tags():
    return Prefetch(
        "prompts",
        queryset=Prompt.objects.order_by("side", "position", "id").prefetch_related(
            Prefetch("tags", queryset=Tag.objects.order_by("name"))
        ),
    )


def signup_or_404(challenge: Challenge, signup_id: int, user) -> Signup:
    """One sign-up, for its participant and the challenge's staff; 404 for anyone else."""
    signups = signups_visible_to(challenge, user).select_related("pseud__user", "user")
    signup = get_object_or_404(signups.prefetch_related(_prompts_with_tags()), pk=signup_id)
    signup.challenge = challenge
    return signup


def own_signup(challenge: Challenge, user) -> Signup | None:
    if not user.is_authenticated:
        return None
    return Signup.objects.filter(challenge=challenge, user=user).first()


def group_tags(prompt) -> list[tuple[str, list]]:
    """[(type, [tags])] of a prompt in PROMPT_TAG_TYPES order (prefetched tags)."""
    groups = {t: [] for t in PROMPT_TAG_TYPES}
    for tag in prompt.tags.all():
        groups.setdefault(tag.type, []).append(tag)
    return [(t, groups[t]) for t in PROMPT_TAG_TYPES if groups[t]]


def _decorate(signup) -> Signup:
    prompts = list(signup.prompts.all())
    for prompt in prompts:
        prompt.tag_groups = group_tags(prompt)
    signup.requests = [p for p in prompts if p.side == REQUEST]
    signup.offers = [p for p in prompts if p.side == OFFER]
    return signup


def signup_context(challenge: Challenge, signup: Signup, user) -> dict:
    is_staff = is_challenge_staff(challenge, user)
    return {
        "challenge": challenge,
        "collection": challenge.collection,
        "signup": _decorate(signup),
        "is_staff": is_staff,
        "may_change": is_staff or (signup.user_id == user.pk and challenge.signups_open()),
    }


def user_signups_list(user) -> list[Signup]:
    """A participant's own sign-ups, latest first, with whether each may still change."""
    signups = list(
        Signup.objects.filter(user=user)
        .select_related("pseud__user", "challenge__collection")
        .order_by("-created_at", "-id")
    )
    for signup in signups:
        signup.may_change = signup.challenge.signups_open()
    return signups


def signups_context(request, challenge: Challenge) -> dict:
    """The moderators' list of every sign-up (optionally of one pseud's name), a page at a
    time, each with its requests and offers."""
    signups = (
        Signup.objects.filter(challenge=challenge)
        .select_related("pseud__user")
        .prefetch_related(_prompts_with_tags())
        .order_by("pseud__name", "id")
    )
    query = (request.GET.get("query") or "").strip()[:100]
    if query:
        signups = signups.filter(
            Q(pseud__name__icontains=query) | Q(user__username__icontains=query)
        )
    page, pagination = paginate(request, signups, SIGNUPS_PER_PAGE)
    return {
        "challenge": challenge,
        "collection": challenge.collection,
        "signups": [_decorate(s) for s in page.object_list],
        "signup_count": page.paginator.count,
        "pagination": pagination,
        "query": query,
    }


@dataclass
class TagCount:
    tag: Tag
    requests: int
    offers: int


def summary_tag_type(challenge: Challenge) -> str | None:
    """The broadest tag type the requests use (AO3 summarises the "topmost" type)."""
    for tag_type in PROMPT_TAG_TYPES:
        if Prompt.objects.filter(challenge=challenge, side=REQUEST, tags__type=tag_type).exists():
            return tag_type
    return None


def tag_summary(challenge: Challenge, tag_type: str) -> list[TagCount]:
    """Each requested tag of `tag_type` with its numbers of requests and offers, fewest
    offers and most requests first (AO3's sign-up summary)."""
    tags = (
        Tag.objects.filter(type=tag_type, challenge_prompts__challenge=challenge)
        .annotate(
            requests=Count(
                "challenge_prompts",
                filter=Q(challenge_prompts__challenge=challenge, challenge_prompts__side=REQUEST),
                distinct=True,
            ),
            offers=Count(
                "challenge_prompts",
                filter=Q(challenge_prompts__challenge=challenge, challenge_prompts__side=OFFER),
                distinct=True,
            ),
        )
        .filter(requests__gt=0)
        .order_by("offers", "-requests", "name")
    )
    return [TagCount(tag, tag.requests, tag.offers) for tag in tags]


def requests_challenge_or_404(name: str, user) -> Challenge:
    challenge = challenge_or_404(name)
    if not may_see_requests_summary(challenge, user):
        raise Http404
    return challenge


def requests_context(request, challenge: Challenge) -> dict:
    """/collections/<name>/requests: the summary of requested tags, then every request. Only
    the staff see who made a request; everyone else reads them unsigned."""
    is_staff = is_challenge_staff(challenge, request.user)
    requests = (
        Prompt.objects.filter(challenge=challenge, side=REQUEST)
        .select_related("signup__pseud__user")
        .prefetch_related(Prefetch("tags", queryset=Tag.objects.order_by("name")))
        .order_by("-created_at", "-id")
    )
    page, pagination = paginate(request, requests, REQUESTS_PER_PAGE)
    prompts = list(page.object_list)
    for prompt in prompts:
        prompt.tag_groups = group_tags(prompt)
    tag_type = summary_tag_type(challenge)
    return {
        "challenge": challenge,
        "collection": challenge.collection,
        "is_staff": is_staff,
        "prompts": prompts,
        "pagination": pagination,
        "tag_type": tag_type,
        "summary": tag_summary(challenge, tag_type) if tag_type else [],
    }


def audit_context(request, challenge: Challenge) -> dict:
    actions = ChallengeAction.objects.filter(challenge=challenge).select_related("actor")
    page, pagination = paginate(request, actions, ACTIONS_PER_PAGE)
    return {
        "challenge": challenge,
        "collection": challenge.collection,
        "actions": list(page.object_list),
        "pagination": pagination,
    }


def action_label(action: str) -> str:
    return {
        "challenge_created": _("Made the collection a challenge"),
        "settings_changed": _("Changed the challenge settings"),
        "signup_edited": _("Edited a sign-up"),
        "signup_deleted": _("Deleted a sign-up"),
        # Part 3 (matching): works/services/matching.py
        "generate_matches": _("Generated potential matches"),
        "swap_givers": _("Gave a recipient another giver"),
        "regenerate_match": _("Regenerated one person's matches"),
        "send_assignments": _("Sent the assignments"),
        # Issue 20, part 4 (works/services/assignments.py, challenge_reveals.py).
        "assignment_default": _("Marked an assignment defaulted"),
        "assignment_undefault": _("Gave an assignment back to its giver"),
        "pinch_hit": _("Gave a pinch hit"),
        "works_revealed": _("Revealed the works on the reveal date"),
        "creators_revealed": _("Revealed the creators on the reveal date"),
    }.get(action, action)


def challenge_navigation(collection, user) -> list[tuple[str, str]]:
    """(label, url) of the challenge pages `user` may use, for the collection's navigation:
    sign up (or their own sign-up), the requests summary, and for its staff the sign-ups,
    the audit and (its owner) the settings."""
    challenge = getattr(collection, "challenge", None)
    links = []
    name = collection.name
    is_owner = user.is_authenticated and collection.owner_id == user.pk
    if challenge is None:
        if is_owner:
            links.append((_("Make this a Challenge"), reverse("works:challenge_edit", args=[name])))
        return links
    mine = own_signup(challenge, user)
    if mine is not None:
        links.append((_("My Sign-up"), reverse("works:signup", args=[name, mine.pk])))
    elif user.is_authenticated and challenge.signups_open():
        links.append((_("Sign Up"), reverse("works:signup_new", args=[name])))
    if challenge.is_prompt_meme and user.is_authenticated:  # part 5 (promptmeme)
        links.append((_("My Claims"), reverse("works:user_claims", args=[user.username])))
    if challenge.is_gift_exchange and may_see_requests_summary(challenge, user):
        links.append((_("Requests Summary"), reverse("works:challenge_requests", args=[name])))
    if is_challenge_staff(challenge, user):
        links.append((_("Sign-ups"), reverse("works:signups", args=[name])))
        links.append((_("Challenge Log"), reverse("works:challenge_log", args=[name])))
        if challenge.is_gift_exchange:  # part 3 (matching)
            links.append((_("Matching"), reverse("works:potential_matches", args=[name])))
        if challenge.is_gift_exchange:  # issue 20, part 4
            links.append((_("Assignments"), reverse("works:collection_assignments", args=[name])))
    if is_owner:
        links.append((_("Challenge Settings"), reverse("works:challenge_edit", args=[name])))
    return links


def challenge_times(challenge: Challenge) -> list[tuple[str, object]]:
    """(label, moment) of each date of the challenge that is set, in the order they come."""
    times = [
        (_("Sign-ups open:"), challenge.signups_open_at),
        (_("Sign-ups close:"), challenge.signups_close_at),
        (_("Assignments due:"), challenge.assignments_due_at),
        (_("Works revealed:"), challenge.works_reveal_at),
        (_("Creators revealed:"), challenge.creators_reveal_at),
    ]
    return [(label, moment) for label, moment in times if moment]
