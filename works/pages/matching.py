"""The moderators' review of a gift exchange's matches: /collections/<name>/potential_matches
(AO3's page and sections: participants with no potential givers or recipients, missing
givers and recipients, then the main assignments, a page at a time).

Read in a fixed number of queries whatever the exchange's size: the latest run, the sign-up
ids, the assigned pairs, who has potential givers and recipients at all, the potential
givers of the recipients shown, and the bylines of everyone shown.
"""

from dataclasses import dataclass, field

from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404

from archive.params import parse_int
from works.listing.pagination import pagination_links
from works.models import Challenge, PotentialMatch, Signup
from works.models.visibility import may_review_matches
from works.pages.signups import challenge_or_404
from works.services.matching import ACTIVE, challenge_rules

PER_PAGE = 50
# The sections of people left out show the first few (each a form); fixing them shows more.
SECTION_LIMIT = 50
# Potential givers offered in each row's menu.
CHOICES = 10


def exchange_or_404(user, name) -> Challenge:
    """The gift exchange of collection `name`, for its owner and moderators only
    (works.models.visibility.may_review_matches)."""
    challenge = challenge_or_404(name)
    if not may_review_matches(challenge, user):
        raise Http404
    return challenge


@dataclass
class Choice:
    giver: Signup
    score: int
    good: bool


@dataclass
class Row:
    recipient: Signup
    giver: Signup | None = None
    gives_to: Signup | None = None
    score: int = 0
    good: bool = False
    choices: list[Choice] = field(default_factory=list)


def _good(challenge: Challenge, prompts_matched: int) -> bool:
    rules = challenge_rules(challenge)
    required = [t for t, n in rules.tags.items() if n]
    return rules.anyone_matches or not required or prompts_matched >= rules.prompts


def potential_matches_context(request, challenge: Challenge) -> dict:
    run = challenge.match_runs.first()
    ids = list(Signup.objects.filter(challenge=challenge).values_list("id", flat=True))
    rows_qs = PotentialMatch.objects.filter(challenge=challenge)
    assigned = {
        r: (g, s, m)
        for g, r, s, m in rows_qs.filter(assigned=True).values_list(
            "giver_id", "recipient_id", "score", "prompts_matched"
        )
    }
    gives_to = {g: r for r, (g, _s, _m) in assigned.items()}
    with_givers = set(
        rows_qs.values("recipient_id")
        .annotate(n=Count("id"))
        .values_list("recipient_id", flat=True)
    )
    with_recipients = set(
        rows_qs.values("giver_id").annotate(n=Count("id")).values_list("giver_id", flat=True)
    )
    everyone = _good(challenge, 0)
    generated = run is not None and run.status == run.Status.DONE
    no_givers = [] if everyone or not generated else [i for i in ids if i not in with_givers]
    no_recipients = (
        [] if everyone or not generated else [i for i in ids if i not in with_recipients]
    )
    missing_giver = [i for i in ids if i not in assigned and i not in no_givers]
    missing_recipient = [i for i in ids if i not in gives_to and i not in no_recipients]
    if not generated:
        missing_giver, missing_recipient = [], []
    counts = {
        "no_givers_count": len(no_givers),
        "no_recipients_count": len(no_recipients),
        "missing_givers_count": len(missing_giver),
        "missing_recipients_count": len(missing_recipient),
    }
    no_givers, no_recipients = no_givers[:SECTION_LIMIT], no_recipients[:SECTION_LIMIT]
    missing_giver = missing_giver[:SECTION_LIMIT]
    missing_recipient = missing_recipient[:SECTION_LIMIT]
    page = Paginator(sorted(assigned), PER_PAGE).get_page(
        parse_int(request.GET.get("page"), minimum=1)
    )
    shown = list(page.object_list) + missing_giver
    choices: dict[int, list[tuple[int, int, int]]] = {}
    for g, r, s, m in (
        rows_qs.filter(recipient_id__in=shown)
        .order_by("-score", "id")
        .values_list("giver_id", "recipient_id", "score", "prompts_matched")
    ):
        if assigned.get(r, (None,))[0] != g and len(choices.setdefault(r, [])) < CHOICES:
            choices[r].append((g, s, m))
    named = set(shown) | set(no_givers) | set(no_recipients) | set(missing_recipient)
    named |= {assigned[r][0] for r in shown if r in assigned}
    named |= {gives_to[r] for r in shown if r in gives_to}
    named |= {g for listed in choices.values() for g, _s, _m in listed}
    signups = {s.pk: s for s in Signup.objects.filter(pk__in=named).select_related("pseud__user")}

    def row(recipient_id: int) -> Row:
        giver, score, matched = assigned.get(recipient_id, (None, 0, 0))
        return Row(
            recipient=signups[recipient_id],
            giver=signups.get(giver),
            gives_to=signups.get(gives_to.get(recipient_id)),
            score=score,
            good=giver is not None and _good(challenge, matched),
            choices=[
                Choice(signups[g], s, _good(challenge, m))
                for g, s, m in choices.get(recipient_id, [])
            ],
        )

    return {
        "challenge": challenge,
        "collection": challenge.collection,
        "run": run,
        "running": run is not None and run.status in ACTIVE,
        "generated": generated,
        "participants": len(ids),
        "assigned_count": len(assigned),
        "good_count": sum(_good(challenge, m) for _g, _s, m in assigned.values()),
        "no_givers": [signups[i] for i in no_givers],
        "no_recipients": [signups[i] for i in no_recipients],
        "missing_givers": [row(i) for i in missing_giver],
        "missing_recipients": [signups[i] for i in missing_recipient],
        "section_limit": SECTION_LIMIT,
        **counts,
        "rows": [row(i) for i in page.object_list],
        "page_obj": page,
        "pagination": pagination_links(request, page),
        "sent": challenge.assignments_sent_at is not None,
    }


def matching_summary(challenge: Challenge) -> dict:
    """What sending would send: participants, assigned pairs and how many are good."""
    ids = Signup.objects.filter(challenge=challenge).values_list("id", flat=True)
    assigned = PotentialMatch.objects.filter(challenge=challenge, assigned=True)
    matched = list(assigned.values_list("prompts_matched", flat=True))
    return {
        "challenge": challenge,
        "collection": challenge.collection,
        "participants": ids.count(),
        "assigned_count": len(matched),
        "good_count": sum(_good(challenge, m) for m in matched),
        "sent": challenge.assignments_sent_at is not None,
    }
