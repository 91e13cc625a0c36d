"""A gift exchange's assignments (issue 20, part 4): sending them, defaulting, pinch hits, and
the works that fulfil them.

- `assignments_notify(challenge)` enqueues `assignments_send_task`: each giver of an assignment
  not defaulted hears of it in their inbox and by email, with the recipient's requests and the
  due date, in their own language. Safe to retry: each inbox item carries the event
  `assignment:<id>` and a giver already told of it is skipped (no duplicate email), as in
  works/services/notifications.py.
- `assignment_default`: a giver gives up their assignment (or a pinch hitter their pinch hit);
  the collection's owner and moderators are told by email.
- Moderators' actions, each written to the audit (`ChallengeAction`):
  `assignment_default_by_moderator`, `assignment_undefault`, `assignment_cover` (a pinch hit:
  a defaulted assignment given to a volunteer, who is told as a giver is). The giver hears of
  a default or an undefault done for them.
- `assignments_fulfil(work=, user=, assignments=)` links a work to the assignments its creator
  says it fulfils (the posting form's "Fulfill" choice, works/forms/assignments.py);
  `assignments_work_posted(work=)` marks them fulfilled when a draft is posted.

Who sees which assignment is decided in works/models/visibility.py (`assignments_of`,
`may_review_matches`).
"""

from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Prefetch, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from archive.errors import Refused
from archive.models import InboxItem
from archive.queue import enqueue, job
from archive.site import site_url
from tags.models import TagType
from works.models import Assignment, Challenge, ChallengeAction, Prompt, Work
from works.models.visibility import assignments_of

SEND_BATCH = 200
ASSIGN = InboxItem.Kind.ASSIGNMENT


def requests_prefetch() -> Prefetch:
    """The recipient's requests with their tags (for emails and pages: two queries)."""
    return Prefetch(
        "recipient__prompts",
        queryset=Prompt.objects.filter(side=Prompt.Side.REQUEST).prefetch_related("tags"),
        to_attr="requests",
    )


def tag_groups(prompt: Prompt) -> list[tuple[str, list[str]]]:
    """A prompt's prefetched tags as [(type label, [names])], in AO3's order of types."""
    groups: dict[str, list[str]] = {}
    for tag in sorted(prompt.tags.all(), key=lambda t: t.name.lower()):
        groups.setdefault(tag.type, []).append(tag.name)
    return [(t.label, groups[t.value]) for t in TagType if t.value in groups]


def _with_requests(assignments):
    return assignments.select_related(
        "challenge__collection", "giver__user", "recipient__pseud__user", "pinch_hitter"
    ).prefetch_related(requests_prefetch())


# Emails ---------------------------------------------------------------------------------------


def _mail(user, template: str, context: dict) -> tuple[str, str, str] | None:
    """(address, subject, body) in the recipient's language; None for an account that cannot
    be written to."""
    if not user.is_active or not user.email:
        return None
    with translation.override(user.interface_language or settings.LANGUAGE_CODE):
        text = render_to_string(template, {**context, "user": user}).strip()
    subject, _blank, body = text.partition("\n")
    return user.email, subject.strip(), body.strip() + "\n"


def _send_on_commit(mails) -> None:
    mails = [m for m in mails if m is not None]

    def send():
        for address, subject, body in mails:
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [address], fail_silently=True)

    if mails:
        transaction.on_commit(send)


def _assignment_context(assignment: Assignment) -> dict:
    challenge = assignment.challenge
    return {
        "assignment": assignment,
        "challenge": challenge,
        "collection": challenge.collection,
        "collection_url": site_url(challenge.collection.get_absolute_url()),
        "requests": [
            (prompt, tag_groups(prompt))
            for prompt in getattr(assignment.recipient, "requests", None)
            or assignment.recipient.prompts.filter(side=Prompt.Side.REQUEST)
        ],
        "recipient": assignment.recipient.pseud,
        "due": challenge.assignments_due_at,
        "time_zone": challenge.time_zone,
    }


def _assignment_mail(user, assignment: Assignment, *, pinch_hit: bool = False):
    context = {
        **_assignment_context(assignment),
        "pinch_hit": pinch_hit,
        "assignments_url": site_url(reverse("works:user_assignments", args=[user.username])),
    }
    return _mail(user, "works/challenges/assignments/email_assignment.txt", context)


def _moderators(collection) -> list:
    staff = {collection.owner_id, *collection.moderators.values_list("pk", flat=True)}
    return list(get_user_model().objects.filter(pk__in=staff).order_by("pk"))


# Sending --------------------------------------------------------------------------------------


def assignments_notify(challenge: Challenge) -> None:
    """Tell every giver of `challenge` of their assignment (on a worker)."""
    enqueue(assignments_send_task, challenge_id=challenge.pk)


@job()
def assignments_send_task(*, challenge_id: int) -> int:
    """Inbox item and email for each giver not yet told; returns how many were told."""
    challenge = Challenge.objects.filter(pk=challenge_id).first()
    if challenge is None:
        return 0
    ids = list(
        challenge.assignments.filter(giver__isnull=False, defaulted_at__isnull=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    told = sum(_send_batch(ids[i : i + SEND_BATCH]) for i in range(0, len(ids), SEND_BATCH))
    Challenge.objects.filter(pk=challenge.pk, assignments_sent_at__isnull=True).update(
        assignments_sent_at=timezone.now()
    )
    return told


@transaction.atomic
def _send_batch(ids: list[int]) -> int:
    assignments = list(_with_requests(Assignment.objects.filter(pk__in=ids)).order_by("pk"))
    events = {a.pk: f"assignment:{a.pk}" for a in assignments}
    already = set(
        InboxItem.objects.filter(event__in=list(events.values())).values_list(
            "recipient_id", "event"
        )
    )  # a giver swapped in after sending is told too
    new = [a for a in assignments if (a.giver.user_id, events[a.pk]) not in already]
    now = timezone.now()
    Assignment.objects.filter(pk__in=ids, sent_at__isnull=True).update(sent_at=now)
    InboxItem.objects.bulk_create(
        InboxItem(recipient_id=a.giver.user_id, kind=ASSIGN, event=events[a.pk]) for a in new
    )
    _send_on_commit(_assignment_mail(a.giver.user, a) for a in new)
    return len(new)


# Defaulting -----------------------------------------------------------------------------------


def _locked(assignment: Assignment) -> Assignment:
    return _with_requests(Assignment.objects.select_for_update(of=("self",))).get(pk=assignment.pk)


def _audit(challenge, actor, action: str, assignment: Assignment, extra: str = "") -> None:
    giver = assignment.giver.user.username if assignment.giver_id else "-"
    detail = f"assignment {assignment.pk}: {giver} → {assignment.recipient.pseud.user.username}"
    ChallengeAction.objects.create(
        challenge=challenge, actor=actor, action=action, detail=(detail + extra)[:300]
    )


def _refuse_fulfilled(assignment: Assignment) -> None:
    if assignment.fulfilled_at is not None:
        raise Refused(
            _("A work was already posted for this assignment."), field="assignment", code="posted"
        )


@transaction.atomic
def assignment_default(*, assignment: Assignment, user) -> Assignment:
    """`user` gives up an assignment that is theirs (assignments_of): a giver defaults, a pinch
    hitter hands the pinch hit back. The collection's owner and moderators are told."""
    if not assignments_of(user).filter(pk=assignment.pk).exists():
        raise Refused(_("This assignment is not yours."), field="assignment", code="not_yours")
    assignment = _locked(assignment)
    _refuse_fulfilled(assignment)
    now = timezone.now()
    if assignment.pinch_hitter_id == user.pk:
        assignment.pinch_hitter, assignment.covered_at = None, None
    assignment.defaulted_at = assignment.defaulted_at or now
    assignment.work = None
    assignment.save(update_fields=["pinch_hitter", "covered_at", "defaulted_at", "work"])
    collection = assignment.challenge.collection
    context = {
        **_assignment_context(assignment),
        "defaulter": user,
        "manage_url": site_url(reverse("works:collection_assignments", args=[collection.name])),
    }
    template = "works/challenges/assignments/email_defaulted_moderators.txt"
    _send_on_commit(_mail(moderator, template, context) for moderator in _moderators(collection))
    return assignment


def _check_moderator(assignment: Assignment, moderator) -> None:
    # The views reach assignments through the collections their user runs; this guards any
    # other caller.
    collection = assignment.challenge.collection
    if (
        collection.owner_id != moderator.pk
        and not collection.moderators.filter(pk=moderator.pk).exists()
    ):
        raise Refused(_("Only the challenge's moderators can do this."), code="not_moderator")


def _tell_giver(assignment: Assignment, template: str) -> None:
    if assignment.giver_id:
        giver = assignment.giver.user
        context = {
            **_assignment_context(assignment),
            "assignments_url": site_url(reverse("works:user_assignments", args=[giver.username])),
        }
        _send_on_commit([_mail(giver, template, context)])


@transaction.atomic
def assignment_default_by_moderator(*, assignment: Assignment, moderator) -> Assignment:
    """A moderator marks an open assignment defaulted (its giver is told)."""
    assignment = _locked(assignment)
    _check_moderator(assignment, moderator)
    _refuse_fulfilled(assignment)
    if assignment.defaulted_at is not None and assignment.pinch_hitter_id is None:
        return assignment  # already defaulted: a second click changes nothing
    if assignment.pinch_hitter_id is None:
        assignment.defaulted_at = timezone.now()
        _tell_giver(assignment, "works/challenges/assignments/email_defaulted_giver.txt")
    else:
        assignment.pinch_hitter, assignment.covered_at = None, None  # the pinch hit is open again
    assignment.work = None
    assignment.save(update_fields=["defaulted_at", "pinch_hitter", "covered_at", "work"])
    _audit(assignment.challenge, moderator, "assignment_default", assignment)
    return assignment


@transaction.atomic
def assignment_undefault(*, assignment: Assignment, moderator) -> Assignment:
    """A moderator gives a defaulted assignment back to its giver (who is told)."""
    assignment = _locked(assignment)
    _check_moderator(assignment, moderator)
    if assignment.defaulted_at is None:
        return assignment
    if assignment.giver_id is None:
        raise Refused(_("This assignment has no giver to give it back to."), code="no_giver")
    assignment.defaulted_at, assignment.pinch_hitter, assignment.covered_at = None, None, None
    assignment.save(update_fields=["defaulted_at", "pinch_hitter", "covered_at"])
    _audit(assignment.challenge, moderator, "assignment_undefault", assignment)
    _tell_giver(assignment, "works/challenges/assignments/email_undefaulted_giver.txt")
    return assignment


def pinch_hitter_find(name: str):
    """The account a moderator names as a pinch hitter: a login, or "Pseud (login)"."""
    name = name.strip()
    login = name.rsplit("(", 1)[1].rstrip(") ") if name.endswith(")") and "(" in name else name
    user = get_user_model().objects.filter(username__iexact=login, is_active=True).first()
    if user is None:
        raise Refused(
            _("We couldn't find the user %(name)s to give the pinch hit to.") % {"name": name},
            field="pinch_hitter",
            code="unknown_user",
        )
    return user


@transaction.atomic
def assignment_cover(*, assignment: Assignment, moderator, volunteer) -> Assignment:
    """A pinch hit: a moderator gives a defaulted assignment to `volunteer` (a participant who
    offered to pinch hit, or anyone they name), who is told as a giver is."""
    assignment = _locked(assignment)
    _check_moderator(assignment, moderator)
    _refuse_fulfilled(assignment)
    if assignment.defaulted_at is None and assignment.giver_id is not None:
        raise Refused(
            _("Only a defaulted assignment can be given as a pinch hit."), code="not_defaulted"
        )
    if volunteer.pk == assignment.recipient.user_id:
        raise Refused(
            _("%(name)s cannot write their own gift.") % {"name": volunteer.username},
            field="pinch_hitter",
            code="own_gift",
        )
    if assignment.pinch_hitter_id == volunteer.pk:
        return assignment
    assignment.pinch_hitter, assignment.covered_at = volunteer, timezone.now()
    assignment.work = None
    assignment.save(update_fields=["pinch_hitter", "covered_at", "work"])
    _audit(assignment.challenge, moderator, "pinch_hit", assignment, f" ({volunteer.username})")
    event = f"pinchhit:{assignment.pk}:{volunteer.pk}"
    if not InboxItem.objects.filter(recipient=volunteer, event=event).exists():
        InboxItem.objects.create(recipient=volunteer, kind=ASSIGN, event=event)
        _send_on_commit([_assignment_mail(volunteer, assignment, pinch_hit=True)])
    return assignment


# Fulfilling -----------------------------------------------------------------------------------


def is_assigned_to(recipient_id: int, giver_ids: set[int]) -> bool:
    """Whether any of `giver_ids` is to write a gift for the user `recipient_id` (a giver who
    has not defaulted, or a pinch hitter): their gift is welcome whatever the recipient's
    gift preference (works/services/gifts.py)."""
    if not giver_ids:
        return False
    own = Q(giver__user_id__in=giver_ids, defaulted_at__isnull=True)
    return (
        Assignment.objects.filter(recipient__user_id=recipient_id, sent_at__isnull=False)
        .filter(own | Q(pinch_hitter_id__in=giver_ids))
        .exists()
    )


@transaction.atomic
def assignments_fulfil(*, work: Work, user, assignments: Iterable[Assignment]) -> None:
    """The work fulfils exactly these of `user`'s assignments (those left out that it
    fulfilled before no longer count it). Fulfilled once the work is posted."""
    wanted = {a.pk for a in assignments}
    mine = Assignment.objects.filter(pk__in=assignments_of(user).values("pk"))
    mine.filter(work=work).exclude(pk__in=wanted).update(work=None, fulfilled_at=None)
    fulfilled_at = timezone.now() if work.posted else None
    mine.filter(pk__in=wanted).exclude(work=work).update(work=work, fulfilled_at=fulfilled_at)


@transaction.atomic
def assignments_work_posted(*, work: Work) -> None:
    """A draft that fulfils assignments was posted: they are fulfilled now."""
    Assignment.objects.filter(work=work, fulfilled_at__isnull=True).update(
        fulfilled_at=timezone.now()
    )
