"""The matching bench's exchange, small, through the same queue path as the bench
(tests/bench/matching.py): what it measures must be a real, consistent assignment."""

import pytest

from tests.bench.matching import build_exchange, exchange_prompts, run_queued
from works.models import MatchRun, PotentialMatch

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("real_queue")]


def test_prompts_have_two_to_eight_requests_and_offers_each():
    shapes = exchange_prompts(200, 50, seed=1)
    assert {len(requests) for requests, _offers in shapes} == set(range(2, 9))
    assert {len(offers) for _requests, offers in shapes} == set(range(2, 9))


def test_the_bench_exchange_is_matched_on_the_task_queue():
    challenge = build_exchange(participants=40, fandoms=6, seed=2, prefix="smallbench")
    assert challenge.signups.count() == 40
    run = run_queued(challenge, challenge.collection.owner)
    assert run.status == MatchRun.Status.DONE
    assert run.participants == 40
    assert 30 <= run.matched <= 40 and run.good_matches == run.matched
    assigned = list(
        PotentialMatch.objects.filter(challenge=challenge, assigned=True).values_list(
            "giver_id", "recipient_id"
        )
    )
    assert len(assigned) == run.matched
    assert len({g for g, _r in assigned}) == len({r for _g, r in assigned}) == len(assigned)
    assert all(g != r for g, r in assigned)
