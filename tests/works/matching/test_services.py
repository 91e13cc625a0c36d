"""Generating, reviewing and sending a gift exchange's matches (works/services/matching.py),
as moderators do it; the task runs inline (the suite's immediate queue)."""

import pytest

from archive.errors import Refused
from archive.models import FailedTask
from tags.models import Tag
from tests.factories import make_user
from tests.works.matching.factories import make_exchange, make_signup
from works import matching
from works.models import Assignment, Challenge, ChallengeAction, MatchRun, PotentialMatch
from works.services import matching as services

pytestmark = pytest.mark.django_db


def ring(challenge):
    """Ann wants Discworld and offers Moomins, Bo wants Moomins and offers Earthsea, Cy wants
    Earthsea and offers Discworld: one way only, Cy → Ann → Bo → Cy."""
    return (
        make_signup(
            challenge, "ann", requests=[("Discworld", "Vimes")], offers=[("Moomins", "Snufkin")]
        ),
        make_signup(
            challenge, "bo", requests=[("Moomins", "Snufkin")], offers=[("Earthsea", "Ged")]
        ),
        make_signup(
            challenge, "cy", requests=[("Earthsea", "Ged")], offers=[("Discworld", "Vimes")]
        ),
    )


def assigned(challenge):
    rows = PotentialMatch.objects.filter(challenge=challenge, assigned=True)
    return {r: g for g, r in rows.values_list("giver__user__username", "recipient__user__username")}


def generate(challenge, moderator=None):
    run = services.matching_start(
        challenge=challenge, moderator=moderator or challenge.collection.owner
    )
    run.refresh_from_db()
    return run


def test_generating_matches_everyone_in_the_ring_and_records_the_run():
    challenge = make_exchange()
    ring(challenge)
    run = generate(challenge)
    assert run.status == MatchRun.Status.DONE
    assert (run.participants, run.matched, run.good_matches) == (3, 3, 3)
    assert run.seconds is not None and run.finished_at is not None
    assert assigned(challenge) == {"ann": "cy", "bo": "ann", "cy": "bo"}
    action = ChallengeAction.objects.get(challenge=challenge)
    assert (action.action, action.actor) == ("generate_matches", challenge.collection.owner)


def test_someone_nobody_offers_for_is_left_without_a_giver():
    challenge = make_exchange()
    ring(challenge)
    make_signup(challenge, "dee", requests=[("Narnia", "Lucy")], offers=[("Moomins", "Snufkin")])
    run = generate(challenge)
    assert (run.participants, run.matched) == (4, 3)
    assert "dee" not in assigned(challenge)
    assert not PotentialMatch.objects.filter(recipient__user__username="dee").exists()


def test_a_synonym_matches_its_canonical_tag():
    challenge = make_exchange()
    make_signup(
        challenge, "ann", requests=[("Discworld", "Sam Vimes")], offers=[("Moomins", "Snufkin")]
    )
    make_signup(challenge, "bo", requests=[("Moomins", "Snufkin")], offers=[("Discworld", "Vimes")])
    Tag.objects.filter(name="Sam Vimes").update(merger=Tag.objects.get(name="Vimes"))
    generate(challenge)
    assert assigned(challenge) == {"ann": "bo", "bo": "ann"}


def test_generating_is_refused_while_sign_ups_are_open_and_with_one_person():
    challenge = make_exchange(signups_close_at=None)
    ring(challenge)
    with pytest.raises(Refused, match="still open"):
        generate(challenge)
    lonely = make_exchange(name="lonely")
    make_signup(lonely, "solo", requests=[("Discworld", "Vimes")], offers=[("Discworld", "Vimes")])
    with pytest.raises(Refused, match="At least two"):
        generate(lonely)
    meme = make_exchange(name="meme", kind=Challenge.Kind.PROMPT_MEME)
    with pytest.raises(Refused):
        generate(meme)
    assert not MatchRun.objects.exists()


def test_a_crashed_generation_is_marked_failed(monkeypatch):
    challenge = make_exchange()
    ring(challenge)

    def broken(*args, **kwargs):
        raise RuntimeError("solver exploded")

    monkeypatch.setattr(services, "match", broken)
    run = generate(challenge)
    assert run.status == MatchRun.Status.FAILED
    assert "solver exploded" in run.error
    assert FailedTask.objects.filter(task_path__endswith="matches_generate_task").exists()


def four(challenge):
    """Everyone requests and offers Discworld with Vimes: any giver suits anyone."""
    return [
        make_signup(
            challenge, name, requests=[("Discworld", "Vimes")], offers=[("Discworld", "Vimes")]
        )
        for name in ("ann", "bo", "cy", "dee")
    ]


def test_swapping_givers_between_two_recipients():
    challenge = make_exchange()
    people = {s.user.username: s for s in four(challenge)}
    generate(challenge)
    before = assigned(challenge)
    writes_for = {giver: recipient for recipient, giver in before.items()}
    # Ann's new giver: someone else's, whose recipient can take Ann's giver (nobody may be
    # left writing for themselves).
    new_giver = next(
        name
        for name in people
        if name not in ("ann", before["ann"]) and writes_for[name] != before["ann"]
    )
    other = writes_for[new_giver]
    pairs = services.match_assign_giver(
        challenge=challenge,
        moderator=challenge.collection.owner,
        recipient=people["ann"],
        giver=people[new_giver],
    )
    after = assigned(challenge)
    assert after["ann"] == new_giver
    assert after[other] == before["ann"]
    assert {r: after[r] for r in people if r not in ("ann", other)} == {
        r: before[r] for r in people if r not in ("ann", other)
    }
    assert all(pair.good for pair in pairs)
    action = ChallengeAction.objects.get(action="swap_givers")
    assert "ann" in action.detail and new_giver in action.detail


def test_a_swap_may_make_a_pair_outside_the_rules_and_it_shows():
    """Moderators decide: Dee, who offers only Narnia and so writes for nobody, can still be
    given Ann (who wants Discworld); the pair is not a good match, and Ann's former giver
    is free. In a ring of three any swap would have someone write their own gift."""
    challenge = make_exchange()
    ann, bo, _cy = ring(challenge)
    dee = make_signup(challenge, "dee", requests=[("Narnia", "Lucy")], offers=[("Narnia", "Lucy")])
    generate(challenge)
    with pytest.raises(Refused, match="their own gift"):
        services.match_assign_giver(
            challenge=challenge, moderator=challenge.collection.owner, recipient=ann, giver=bo
        )
    pairs = services.match_assign_giver(
        challenge=challenge, moderator=challenge.collection.owner, recipient=ann, giver=dee
    )
    assert [(pair.giver, pair.good) for pair in pairs] == [(dee.pk, False)]
    row = PotentialMatch.objects.get(challenge=challenge, recipient=ann, assigned=True)
    assert row.giver == dee and row.prompts_matched == 0
    assert assigned(challenge) == {"ann": "dee", "bo": "ann", "cy": "bo"}


def test_nobody_is_made_their_own_giver():
    challenge = make_exchange()
    ann, _bo, _cy = ring(challenge)
    generate(challenge)
    with pytest.raises(Refused, match="own gift"):
        services.match_assign_giver(
            challenge=challenge, moderator=challenge.collection.owner, recipient=ann, giver=ann
        )


def test_regenerating_one_person_after_their_sign_up_changed():
    """Dee asked for Narnia, which only she offers: no giver. Cy and Eve both offer
    Discworld, but only one can write for Ann. Dee changes her request to Discworld and a
    moderator regenerates her matches: the free one of Cy and Eve now writes for her, and
    she still writes for Eve (the only one who wanted Narnia)."""
    challenge = make_exchange()
    ring(challenge)
    dee = make_signup(challenge, "dee", requests=[("Narnia", "Lucy")], offers=[("Narnia", "Lucy")])
    make_signup(challenge, "eve", requests=[("Narnia", "Lucy")], offers=[("Discworld", "Vimes")])
    generate(challenge)
    before = assigned(challenge)
    assert "dee" not in before and before["eve"] == "dee" and len(before) == 4
    prompt = dee.prompts.get(side="request")
    prompt.tags.set([Tag.objects.get(name="Discworld"), Tag.objects.get(name="Vimes")])
    pairs = services.match_regenerate(
        challenge=challenge, moderator=challenge.collection.owner, signup=dee
    )
    after = assigned(challenge)
    assert len(after) == 5
    assert after["dee"] in {"cy", "eve"} and after["dee"] != before["ann"]
    assert after["eve"] == "dee"
    assert {(p.recipient, p.good) for p in pairs} >= {(dee.pk, True)}
    assert ChallengeAction.objects.filter(action="regenerate_match", detail="dee").exists()


def test_sending_makes_the_assignments_once():
    challenge = make_exchange()
    ann, bo, cy = ring(challenge)
    make_signup(challenge, "dee", requests=[("Narnia", "Lucy")], offers=[("Moomins", "Snufkin")])
    generate(challenge)
    count = services.assignments_send(challenge=challenge, moderator=challenge.collection.owner)
    assert count == 4
    rows = {a.recipient.user.username: a for a in Assignment.objects.filter(challenge=challenge)}
    assert rows["ann"].giver == cy and rows["ann"].sent_at is not None
    assert (
        rows["dee"].giver is None and rows["dee"].sent_at is None
    )  # nobody could write for Dee: a pinch hit is needed
    challenge.refresh_from_db()
    assert challenge.assignments_sent_at is not None
    assert ChallengeAction.objects.filter(action="send_assignments").count() == 1
    with pytest.raises(Refused, match="were sent"):
        services.assignments_send(challenge=challenge, moderator=challenge.collection.owner)
    with pytest.raises(Refused, match="were sent"):
        services.match_assign_giver(
            challenge=challenge, moderator=challenge.collection.owner, recipient=ann, giver=bo
        )
    with pytest.raises(Refused, match="were sent"):
        generate(challenge)
    assert Assignment.objects.filter(challenge=challenge).count() == 4


def test_sending_before_generating_is_refused():
    challenge = make_exchange()
    ring(challenge)
    with pytest.raises(Refused, match="generate matches first"):
        services.assignments_send(challenge=challenge, moderator=make_user())
    assert not Assignment.objects.exists()


def test_the_rules_come_from_the_challenge():
    challenge = make_exchange(match_prompts=2, match_characters=0, match_relationships=1)
    rules = services.challenge_rules(challenge)
    assert rules.prompts == 2
    assert rules.required("character") == 0 and rules.required("relationship") == 1
    assert isinstance(rules, matching.Rules)


def test_nothing_changes_while_matches_are_being_generated():
    """A generation in progress replaces every pair when it ends: swaps, regenerations and
    sending wait for it; asking to generate again answers with the same run."""
    challenge = make_exchange()
    ann, bo, cy = ring(challenge)
    generate(challenge)
    queued = MatchRun.objects.create(challenge=challenge)
    owner = challenge.collection.owner
    for change in (
        lambda: services.match_assign_giver(
            challenge=challenge, moderator=owner, recipient=ann, giver=bo
        ),
        lambda: services.match_regenerate(challenge=challenge, moderator=owner, signup=cy),
        lambda: services.assignments_send(challenge=challenge, moderator=owner),
    ):
        with pytest.raises(Refused, match="being generated"):
            change()
    assert services.matching_start(challenge=challenge, moderator=owner) == queued
    assert not Assignment.objects.exists()
