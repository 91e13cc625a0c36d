"""The reads of a gift exchange's assignments (issue 20, part 4), and the posting form's
"Fulfill" step.

- `user_assignments_context`: /users/<login>/assignments, the owner's assignments (AO3's
  "Unposted Assignments" and, with ?posted=true, "Completed Assignments"), each with the
  recipient's requests and the due date.
- `collection_assignments_context`: /collections/<name>/assignments for the challenge's
  moderators, AO3's tabs: Defaulted (the default), ?pinch_hit=true, ?unfulfilled=true ("Open"),
  ?fulfilled=true ("Complete"), with a count of each so they see who has posted.
- `fulfil_form`, `assignment_initial`, `fulfil_saved`: what the posting views call so that a
  "Fulfill" link (/works/new?assignment=<id>) opens the form with the challenge's collection
  and the recipient filled in, and saving links the work to the assignment.
Each list is paginated and costs a fixed number of queries.
"""

from django.db.models import Count, Q
from django.http import Http404

from archive.params import parse_id
from works.forms.assignments import FulfilForm
from works.listing.pagination import paginate
from works.models import Assignment, Signup
from works.models.visibility import assignments_of
from works.pages.matching import exchange_or_404 as matching_exchange_or_404
from works.services import assignments as services

PER_PAGE = 20
TABS = ("defaulted", "pinch_hit", "unfulfilled", "fulfilled")


def _listed(assignments, *, requests: bool = True):
    assignments = assignments.select_related(
        "challenge__collection",
        "giver__pseud__user",
        "recipient__pseud__user",
        "pinch_hitter",
        "work",
    )
    return assignments.prefetch_related(services.requests_prefetch()) if requests else assignments


def _with_tag_groups(assignments):
    for assignment in assignments:
        assignment.requests = [
            (prompt, services.tag_groups(prompt)) for prompt in assignment.recipient.requests
        ]
    return assignments


def user_assignments_context(request, person) -> dict:
    posted = request.GET.get("posted") == "true"
    mine = assignments_of(person).filter(fulfilled_at__isnull=not posted)
    mine = _listed(mine).order_by("sent_at", "covered_at", "pk")
    page, pagination = paginate(request, mine, PER_PAGE)
    return {
        "person": person,
        "posted": posted,
        "assignments": _with_tag_groups(list(page.object_list)),
        "pagination": pagination,
    }


def own_assignment_or_404(user, name: str, assignment_id: int) -> Assignment:
    """One of `user`'s open assignments in the collection `name` (404 for anyone else's)."""
    found = _listed(
        assignments_of(user).filter(
            pk=assignment_id, challenge__collection__name=name, fulfilled_at__isnull=True
        )
    ).first()
    if found is None:
        raise Http404
    return found


def exchange_or_404(user, name: str):
    """The collection `name` and its gift exchange, for its owner and moderators only: the
    matching pages' rule (works.pages.matching.exchange_or_404)."""
    challenge = matching_exchange_or_404(user, name)
    return challenge.collection, challenge


def _tab(request) -> str:
    for tab in TABS[1:]:
        if request.GET.get(tab) == "true":
            return tab
    return TABS[0]


# Unfulfilled assignments waiting for a pinch hitter: defaulted, or made without a giver (a
# recipient nobody could be matched to write for); open: their giver is writing them.
UNFULFILLED = Q(fulfilled_at__isnull=True)
NEEDS_PINCH_HIT = (
    UNFULFILLED & Q(pinch_hitter=None) & (Q(defaulted_at__isnull=False) | Q(giver=None))
)
PINCH_HIT = UNFULFILLED & Q(pinch_hitter__isnull=False)
OPEN = UNFULFILLED & Q(defaulted_at__isnull=True, giver__isnull=False, pinch_hitter=None)
FULFILLED = Q(fulfilled_at__isnull=False)


def tab_queryset(challenge, tab: str):
    rule = {"defaulted": NEEDS_PINCH_HIT, "pinch_hit": PINCH_HIT, "unfulfilled": OPEN}
    return challenge.assignments.filter(rule.get(tab, FULFILLED))


def collection_assignments_context(request, collection, challenge) -> dict:
    tab = _tab(request)
    listed = _listed(tab_queryset(challenge, tab), requests=False).order_by(
        "recipient__pseud__name", "pk"
    )
    page, pagination = paginate(request, listed, PER_PAGE)
    counts = challenge.assignments.aggregate(
        total=Count("pk"),
        posted=Count("pk", filter=FULFILLED),
        defaulted=Count("pk", filter=NEEDS_PINCH_HIT),
        pinch_hits=Count("pk", filter=PINCH_HIT),
        open=Count("pk", filter=OPEN),
    )
    volunteers = Signup.objects.filter(challenge=challenge, pinch_hitter=True).select_related(
        "pseud__user"
    )
    return {
        "collection": collection,
        "challenge": challenge,
        "tab": tab,
        "page_assignments": list(page.object_list),
        "pagination": pagination,
        "counts": counts,
        "volunteers": list(volunteers.order_by("pseud__name")) if tab == "defaulted" else [],
    }


# The posting form ---------------------------------------------------------------------------


def _chosen(request):
    """The assignment a "Fulfill" link names (?assignment=<id>), if it is the user's."""
    assignment_id = parse_id(request.GET.get("assignment"))
    if assignment_id is None:
        return None
    return (
        assignments_of(request.user)
        .filter(pk=assignment_id, fulfilled_at__isnull=True)
        .select_related("challenge__collection", "recipient__pseud__user")
        .first()
    )


def assignment_initial(request) -> dict:
    """The work form's collection and gift recipient from a "Fulfill" link."""
    chosen = _chosen(request) if request.method == "GET" else None
    if chosen is None:
        return {}
    return {
        "collections": chosen.challenge.collection.name,
        "recipients": chosen.recipient.pseud.byline,
    }


def fulfil_form(request, work=None) -> FulfilForm:
    if request.method == "POST":
        return FulfilForm(request.POST, user=request.user, work=work)
    return FulfilForm(user=request.user, work=work, chosen=_chosen(request))


def fulfil_saved(form: FulfilForm, work, user) -> None:
    """Link the saved work to the assignments ticked (and unlink those unticked)."""
    if form.is_shown:
        services.assignments_fulfil(work=work, user=user, assignments=form.chosen())
