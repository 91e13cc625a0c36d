"""Matching a gift exchange's participants (issue 20, part 3), for the challenge's moderators.

- `matching_start` records a `MatchRun` and enqueues `matches_generate_task` (archive/queue.py);
  the task reads every sign-up's requests and offers, asks works/matching.py for every good
  pair and the assignment, and replaces the challenge's `PotentialMatch` rows: the assigned
  pairs (`assigned`) and, for the review page's choices, each participant's best potential
  givers and recipients (`KEEP_BEST` each). The run keeps its participants, matched and good
  matches.
- The moderators then review: `match_assign_giver` gives a recipient one of their potential
  givers, and whoever that giver wrote for gets the recipient's former giver (a swap of givers
  between two recipients); `match_regenerate` scores one person's (edited) sign-up again and
  matches them among the people left free.
- `assignments_send` turns the assigned pairs into `Assignment` rows (a recipient nobody could
  write for gets one without a giver, for a pinch hit) and sets `assignments_sent_at`.

Every moderator action is audited in `ChallengeAction`, naming people by their bylines only
(never a sign-up's text). Tags count through their canonical tag: a request tagged with a
synonym matches an offer tagged with the canonical tag.
"""

import time
from collections.abc import Iterable

import numpy as np
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from archive.errors import Refused
from archive.queue import enqueue, job
from works.matching import TAG_TYPES, Pair, Participant, PotentialPairs, Rules, assign, match
from works.matching import pair_score as score_pair
from works.models import (
    Assignment,
    Challenge,
    ChallengeAction,
    MatchRun,
    PotentialMatch,
    Prompt,
    Signup,
)
from works.services.assignments import assignments_notify

# Potential givers kept per recipient (and recipients per giver) for the review page.
KEEP_BEST = 10
ACTIVE = (MatchRun.Status.QUEUED, MatchRun.Status.RUNNING)


# Reading the sign-ups ------------------------------------------------------------------------


def challenge_rules(challenge: Challenge) -> Rules:
    return Rules(
        prompts=challenge.match_prompts,
        tags={t: getattr(challenge, f"match_{t}s") for t in TAG_TYPES},
    )


def challenge_participants(
    challenge: Challenge, signup_ids: Iterable[int] | None = None
) -> list[Participant]:
    """Every sign-up (or those of `signup_ids`) with its requests and offers, in three queries."""
    signups = Signup.objects.filter(challenge=challenge).order_by("id")
    prompts = Prompt.objects.filter(challenge=challenge).order_by("signup_id", "position", "id")
    taggings = Prompt.tags.through.objects.filter(prompt__challenge=challenge)
    if signup_ids is not None:
        signup_ids = list(signup_ids)
        signups = signups.filter(pk__in=signup_ids)
        prompts = prompts.filter(signup_id__in=signup_ids)
        taggings = taggings.filter(prompt__signup_id__in=signup_ids)
    tags: dict[int, dict[str, list[int]]] = {}
    for prompt_id, tag_id, tag_type, merger_id in taggings.values_list(
        "prompt_id", "tag_id", "tag__type", "tag__merger_id"
    ):
        if tag_type in TAG_TYPES:
            tags.setdefault(prompt_id, {}).setdefault(tag_type, []).append(merger_id or tag_id)
    sides: dict[int, dict[str, list]] = {
        pk: {"request": [], "offer": []} for pk in signups.values_list("id", flat=True)
    }
    for prompt_id, signup_id, side in prompts.values_list("id", "signup_id", "side"):
        if signup_id in sides and side in sides[signup_id]:
            sides[signup_id][side].append(tags.get(prompt_id, {}))
    return [
        Participant(pk, tuple(both["request"]), tuple(both["offer"])) for pk, both in sides.items()
    ]


def _audit(challenge: Challenge, moderator, action: str, detail: str = "") -> None:
    ChallengeAction.objects.create(
        challenge=challenge, actor=moderator, action=action, detail=detail[:300]
    )


def _bylines(signup_ids: Iterable[int]) -> dict[int, str]:
    signups = Signup.objects.filter(pk__in=list(signup_ids)).select_related("pseud__user")
    return {signup.pk: signup.pseud.byline for signup in signups}


def _refuse_when_sent(challenge: Challenge) -> None:
    if challenge.assignments_sent_at is not None:
        raise Refused(
            _("The assignments were sent: matches can no longer change here."),
            code="assignments_sent",
        )


def _refuse_while_generating(challenge: Challenge) -> None:
    if challenge.match_runs.filter(status__in=ACTIVE).exists():
        raise Refused(_("Matches are being generated: wait for them."), code="running")


# Generating ----------------------------------------------------------------------------------


@transaction.atomic
def matching_start(*, challenge: Challenge, moderator) -> MatchRun:
    """Queue the generation of potential matches (AO3: only once sign-ups have closed)."""
    challenge = Challenge.objects.select_for_update().get(pk=challenge.pk)
    if not challenge.is_gift_exchange:
        raise Refused(_("Only a gift exchange matches its participants."), code="not_exchange")
    _refuse_when_sent(challenge)
    if challenge.signups_open():
        raise Refused(
            _("Sign-ups are still open. Close them before generating matches."),
            code="signups_open",
        )
    if challenge.signups.count() < 2:
        raise Refused(
            _("At least two people must sign up before anyone can be matched."),
            code="too_few",
        )
    running = challenge.match_runs.filter(status__in=ACTIVE).first()
    if running is not None:
        return running
    run = MatchRun.objects.create(challenge=challenge, requested_by=moderator)
    _audit(challenge, moderator, "generate_matches")
    enqueue(matches_generate_task, run_id=run.pk)
    return run


def _best(keys: np.ndarray, scores: np.ndarray, keep: int) -> np.ndarray:
    """Positions of the `keep` highest scores of each key."""
    if len(keys) == 0:
        return np.zeros(0, dtype=np.int64)
    order = np.lexsort((-scores, keys))
    sorted_keys = keys[order]
    starts = np.r_[0, np.flatnonzero(sorted_keys[1:] != sorted_keys[:-1]) + 1]
    group_start = np.repeat(starts, np.diff(np.r_[starts, len(keys)]))
    return order[np.arange(len(keys)) - group_start < keep]


def _rows_to_keep(potential: PotentialPairs, chosen: list[Pair]) -> list[PotentialMatch]:
    kept = np.union1d(
        _best(potential.recipients, potential.scores, KEEP_BEST),
        _best(potential.givers, potential.scores, KEEP_BEST),
    )
    assigned = {(pair.giver, pair.recipient): pair for pair in chosen}
    rows = {}
    ids = potential.ids
    for k in kept.tolist():
        giver, recipient = int(ids[potential.givers[k]]), int(ids[potential.recipients[k]])
        rows[giver, recipient] = (int(potential.scores[k]), int(potential.prompts_matched[k]))
    for key, pair in assigned.items():
        rows[key] = (pair.score, pair.prompts_matched)
    return [
        PotentialMatch(
            giver_id=giver,
            recipient_id=recipient,
            score=score,
            prompts_matched=matched,
            assigned=(giver, recipient) in assigned,
        )
        for (giver, recipient), (score, matched) in rows.items()
    ]


def matches_generate(run_id: int) -> MatchRun | None:
    """Run one generation (idempotent: a finished run is left as it is)."""
    run = MatchRun.objects.select_related("challenge").filter(pk=run_id).first()
    if run is None or run.status == MatchRun.Status.DONE:
        return run
    MatchRun.objects.filter(pk=run.pk).update(status=MatchRun.Status.RUNNING)
    challenge = run.challenge
    started = time.monotonic()
    try:
        participants = challenge_participants(challenge)
        result = match(participants, challenge_rules(challenge))
        rows = _rows_to_keep(result.potential, result.pairs)
        with transaction.atomic():
            if Challenge.objects.filter(
                pk=challenge.pk, assignments_sent_at__isnull=False
            ).exists():
                raise Refused(_("The assignments were sent."), code="assignments_sent")
            PotentialMatch.objects.filter(challenge=challenge).delete()
            for row in rows:
                row.challenge = challenge
            PotentialMatch.objects.bulk_create(rows, batch_size=2000)
            run.status = MatchRun.Status.DONE
            run.participants = len(participants)
            run.matched = len(result.pairs)
            run.good_matches = result.good
            run.seconds = round(time.monotonic() - started, 3)
            run.finished_at = timezone.now()
            run.error = ""
            run.save()
    except Exception as error:
        MatchRun.objects.filter(pk=run.pk).update(
            status=MatchRun.Status.FAILED,
            error=f"{type(error).__name__}: {error}"[:500],
            finished_at=timezone.now(),
        )
        raise
    return run


@job(max_attempts=1)
def matches_generate_task(*, run_id: int) -> None:
    matches_generate(run_id)


# Reviewing -----------------------------------------------------------------------------------


def _assigned(challenge: Challenge, **where) -> PotentialMatch | None:
    return PotentialMatch.objects.filter(challenge=challenge, assigned=True, **where).first()


def _set_pair(challenge: Challenge, pair: Pair) -> PotentialMatch:
    row, _created = PotentialMatch.objects.update_or_create(
        challenge=challenge,
        giver_id=pair.giver,
        recipient_id=pair.recipient,
        defaults={"score": pair.score, "prompts_matched": pair.prompts_matched, "assigned": True},
    )
    return row


def _scored(challenge: Challenge, pairs: list[tuple[int, int]]) -> list[Pair]:
    people = {p.id: p for p in challenge_participants(challenge, {i for ab in pairs for i in ab})}
    rules = challenge_rules(challenge)
    return [score_pair(people[giver], people[recipient], rules) for giver, recipient in pairs]


@transaction.atomic
def match_assign_giver(*, challenge: Challenge, moderator, recipient: Signup, giver: Signup):
    """Give `recipient` the giver `giver`. Whoever `giver` was writing for gets `recipient`'s
    former giver: the two recipients swap givers. Returns the new pairs; a pair that does
    not meet the match rules is allowed (moderators decide) and shows as not a good match."""
    challenge = Challenge.objects.select_for_update().get(pk=challenge.pk)
    _refuse_when_sent(challenge)
    _refuse_while_generating(challenge)
    if recipient.challenge_id != challenge.pk or giver.challenge_id != challenge.pk:
        raise Refused(_("That person did not sign up for this challenge."), code="not_signed")
    if giver.pk == recipient.pk:
        raise Refused(_("Nobody can write their own gift."), code="self")
    former = _assigned(challenge, recipient=recipient)
    if former is not None and former.giver_id == giver.pk:
        return []
    taken = _assigned(challenge, giver=giver)
    if former is not None and taken is not None and former.giver_id == taken.recipient_id:
        raise Refused(_("That swap would have someone write their own gift."), code="self")
    wanted = [(giver.pk, recipient.pk)]
    if former is not None and taken is not None:
        wanted.append((former.giver_id, taken.recipient_id))
    for row in (former, taken):
        if row is not None:
            PotentialMatch.objects.filter(pk=row.pk).update(assigned=False)
    pairs = _scored(challenge, wanted)
    for pair in pairs:
        _set_pair(challenge, pair)
    names = _bylines([recipient.pk, giver.pk] + ([taken.recipient_id] if taken else []))
    detail = f"{names.get(giver.pk, '')} → {names.get(recipient.pk, '')}"
    if taken is not None:
        detail += f" ({names.get(taken.recipient_id, '')})"
    _audit(challenge, moderator, "swap_givers", detail)
    return pairs


def _candidates(me: Participant, others: list[Participant], rules: Rules, *, mine: str):
    """The others who share a tag of a required type with `me` (all of them when no type is
    required): the only ones who can make a good pair with me."""
    required = [t for t in TAG_TYPES if rules.required(t) > 0]
    if not required or rules.anyone_matches:
        return others
    theirs = "offers" if mine == "requests" else "requests"
    wanted = {t: {tag for p in getattr(me, mine) for tag in p.get(t, ())} for t in required}
    return [
        other
        for other in others
        if all(
            wanted[t] & {tag for p in getattr(other, theirs) for tag in p.get(t, ())}
            for t in required
        )
    ]


@transaction.atomic
def match_regenerate(*, challenge: Challenge, moderator, signup: Signup) -> list[Pair]:
    """Score `signup` against everyone again (after an edit of their sign-up) and match them
    among the people left free: whoever has no giver (or no recipient) after this person's
    pairs are undone. Returns this person's new pairs (none when nobody free suits them)."""
    challenge = Challenge.objects.select_for_update().get(pk=challenge.pk)
    _refuse_when_sent(challenge)
    _refuse_while_generating(challenge)
    if signup.challenge_id != challenge.pk:
        raise Refused(_("That person did not sign up for this challenge."), code="not_signed")
    rules = challenge_rules(challenge)
    people = challenge_participants(challenge)
    me = next(p for p in people if p.id == signup.pk)
    others = [p for p in people if p.id != me.id]
    as_recipient = [
        score_pair(o, me, rules) for o in _candidates(me, others, rules, mine="requests")
    ]
    as_giver = [score_pair(me, o, rules) for o in _candidates(me, others, rules, mine="offers")]
    mine = PotentialMatch.objects.filter(challenge=challenge)
    mine.filter(Q(giver=signup) | Q(recipient=signup)).delete()
    good = sorted((p for p in as_recipient if p.good), key=lambda p: -p.score)[:KEEP_BEST]
    good += sorted((p for p in as_giver if p.good), key=lambda p: -p.score)[:KEEP_BEST]
    PotentialMatch.objects.bulk_create(
        PotentialMatch(
            challenge=challenge,
            giver_id=p.giver,
            recipient_id=p.recipient,
            score=p.score,
            prompts_matched=p.prompts_matched,
        )
        for p in good
    )
    assigned = mine.filter(assigned=True).values_list("giver_id", "recipient_id")
    giving = {g for g, _r in assigned}
    receiving = {r for _g, r in assigned}
    free_givers = [p.id for p in people if p.id not in giving]
    free_recipients = [p.id for p in people if p.id not in receiving]
    edges = mine.filter(giver_id__in=free_givers, recipient_id__in=free_recipients)
    by_pair = {
        (g, r): m for g, r, m in edges.values_list("giver_id", "recipient_id", "prompts_matched")
    }
    chosen = assign(
        free_givers,
        free_recipients,
        edges.values_list("giver_id", "recipient_id", "score"),
        everyone=rules.anyone_matches,
    )
    new_pairs = [Pair(g, r, s, by_pair.get((g, r), 0), True) for g, r, s in chosen]
    for pair in new_pairs:
        _set_pair(challenge, pair)
    _audit(challenge, moderator, "regenerate_match", _bylines([signup.pk]).get(signup.pk, ""))
    return [p for p in new_pairs if me.id in (p.giver, p.recipient)]


# Sending -------------------------------------------------------------------------------------


@transaction.atomic
def assignments_send(*, challenge: Challenge, moderator) -> int:
    """Make the assigned pairs the challenge's assignments (each recipient nobody writes for
    gets one without a giver, for a pinch hit) and mark them sent. Returns how many."""
    challenge = Challenge.objects.select_for_update().get(pk=challenge.pk)
    _refuse_when_sent(challenge)
    _refuse_while_generating(challenge)
    pairs = list(
        PotentialMatch.objects.filter(challenge=challenge, assigned=True).values_list(
            "giver_id", "recipient_id", "score"
        )
    )
    if not pairs:
        raise Refused(
            _("There are no assignments to send: generate matches first."), code="no_matches"
        )
    now = timezone.now()
    rows = [
        Assignment(challenge=challenge, giver_id=g, recipient_id=r, score=s, sent_at=now)
        for g, r, s in pairs
    ]
    receiving = {r for _g, r, _s in pairs}
    rows += [
        Assignment(challenge=challenge, recipient_id=pk)
        for pk in challenge.signups.exclude(pk__in=receiving).values_list("id", flat=True)
    ]
    Assignment.objects.bulk_create(rows, batch_size=2000)
    challenge.assignments_sent_at = now
    challenge.save(update_fields=["assignments_sent_at"])
    _audit(challenge, moderator, "send_assignments", str(len(pairs)))
    assignments_notify(challenge)  # part 4: inbox and email to each giver, on the task queue
    return len(rows)
