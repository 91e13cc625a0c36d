"""Matching a 3,000-participant gift exchange on the task queue (issue 20, part 3).

    nice -n 19 .venv/bin/python -m tests.bench.matching [--participants 3000] [--fandoms 1500]
        [--seed 20]              # DATABASE_URL=postgres://... to measure PostgreSQL

It works in a scratch database of its own (`<database>_matchbench`, made and dropped like a
test database), never in the one named. It writes the exchange as the sign-up form would
leave it (users and their pseuds, a collection run as a gift exchange whose sign-ups have
closed, each participant's sign-up with 2 to 8 requests and 2 to 8 offers, their tags), then
generates the matches as a moderator does: `matching_start` enqueues the task through
archive/queue.py on the database backend, and the database worker (django-tasks-db's, run in
batch mode as tests/queue.py does) runs it. It prints the time from the moderator's click
to the finished run, the run's own time, how many people were matched and the share of them
given a good match (one that meets the challenge's rules), then the time of each step, of
the moderators' review page and of regenerating one person's matches.

The exchange (a guess written down, not AO3's data): fandom popularity falls off as
1 / rank^0.8 over `--fandoms` fandoms; each fandom has 12 characters; a request names one
fandom and 1 to 3 of its characters, an offer one fandom and 2 to 6 of its characters; each
prompt has one of the 5 ratings and up to 3 of 200 additional tags. The rules are the issue's
example: at least one fandom and one character in common, one request matched
(`--match-prompts`, `--match-characters` ask for more).
"""

from __future__ import annotations

import argparse
import random
import sys
import time
import warnings

from tests.bench.scratch import bench_environment, in_scratch_database

CHARACTERS_PER_FANDOM = 12
RATINGS = 5
FREEFORMS = 200


def exchange_prompts(participants: int, fandoms: int, seed: int):
    """Each participant's (requests, offers): prompts as {type: [tag key]} where a key names
    a tag to make: ("fandom", f), ("character", f, c), ("rating", k), ("freeform", k)."""
    rng = random.Random(seed)
    weights = [1 / (rank + 1) ** 0.8 for rank in range(fandoms)]
    cumulative, total = [], 0.0
    for weight in weights:
        total += weight
        cumulative.append(total)

    def prompt(offer: bool):
        fandom = rng.choices(range(fandoms), cum_weights=cumulative)[0]
        count = rng.randint(2, 6) if offer else rng.randint(1, 3)
        characters = rng.sample(range(CHARACTERS_PER_FANDOM), count)
        return {
            "fandom": [("fandom", fandom)],
            "character": [("character", fandom, c) for c in characters],
            "rating": [("rating", rng.randrange(RATINGS))],
            "freeform": [("freeform", k) for k in rng.sample(range(FREEFORMS), rng.randint(0, 3))],
        }

    return [
        (
            [prompt(False) for _ in range(rng.randint(2, 8))],
            [prompt(True) for _ in range(rng.randint(2, 8))],
        )
        for _ in range(participants)
    ]


def _tag_name(key) -> str:
    kind, *rest = key
    if kind == "fandom":
        return f"Bench Fandom {rest[0]}"
    if kind == "character":
        return f"Bench Character {rest[1]} of {rest[0]}"
    if kind == "rating":
        return f"Bench Rating {rest[0]}"
    return f"Bench Tag {rest[0]}"


def build_exchange(
    *,
    participants: int,
    fandoms: int,
    seed: int,
    prefix: str = "bench",
    match_prompts: int = 1,
    match_characters: int = 1,
):
    """Write the exchange; returns its Challenge (sign-ups closed, nothing matched yet)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from archive.models import Pseud
    from tags.models import Tag
    from works.models import Challenge, Collection, Prompt, Signup

    shapes = exchange_prompts(participants, fandoms, seed)
    User = get_user_model()
    now = timezone.now()
    password = make_password("bench-matching", salt="benchmatching")
    owner = User.objects.create(username=f"{prefix}owner", email=f"{prefix}owner@example.org")
    users = User.objects.bulk_create(
        [
            User(username=f"{prefix}{n}", email=f"{prefix}{n}@example.org", password=password)
            for n in range(participants)
        ],
        batch_size=1000,
    )
    if users and users[0].pk is None:  # backends that do not return ids
        users = list(User.objects.filter(username__startswith=prefix).exclude(pk=owner.pk))
        users.sort(key=lambda user: int(user.username[len(prefix) :]))
    Pseud.objects.bulk_create(
        [Pseud(user=user, name=user.username, is_default=True) for user in users],
        batch_size=1000,
    )
    pseuds = dict(Pseud.objects.filter(user__in=users).values_list("user_id", "id"))
    collection = Collection.objects.create(
        name=f"{prefix}_exchange", title="Bench Exchange", owner=owner
    )
    challenge = Challenge.objects.create(
        collection=collection,
        kind=Challenge.Kind.GIFT_EXCHANGE,
        signups_close_at=now,
        requests_max=8,
        offers_max=8,
        match_fandoms=1,
        match_characters=match_characters,
        match_prompts=match_prompts,
    )
    keys = sorted(
        {
            key
            for requests, offers in shapes
            for p in requests + offers
            for ks in p.values()
            for key in ks
        }
    )
    Tag.objects.bulk_create(
        [
            Tag(
                name=_tag_name(key),
                slug=f"{prefix}-{'-'.join(map(str, key))}",
                type=key[0],
                canonical=True,
            )
            for key in keys
        ],
        batch_size=2000,
    )
    tag_ids = dict(Tag.objects.filter(name__startswith="Bench ").values_list("name", "id"))
    signups = Signup.objects.bulk_create(
        [Signup(challenge=challenge, user=user, pseud_id=pseuds[user.pk]) for user in users],
        batch_size=1000,
    )
    if signups and signups[0].pk is None:
        signups = list(Signup.objects.filter(challenge=challenge).order_by("user_id"))
    prompts, prompt_tags = [], []
    for signup, (requests, offers) in zip(signups, shapes, strict=True):
        for side, side_prompts in (("request", requests), ("offer", offers)):
            for position, tags in enumerate(side_prompts, start=1):
                prompts.append(
                    Prompt(challenge=challenge, signup=signup, side=side, position=position)
                )
                prompt_tags.append([tag_ids[_tag_name(k)] for ks in tags.values() for k in ks])
    Prompt.objects.bulk_create(prompts, batch_size=2000)
    if prompts and prompts[0].pk is None:
        prompts = list(
            Prompt.objects.filter(challenge=challenge).order_by("signup_id", "-side", "position")
        )
    Through = Prompt.tags.through
    Through.objects.bulk_create(
        [
            Through(prompt_id=prompt.pk, tag_id=tag_id)
            for prompt, ids in zip(prompts, prompt_tags, strict=True)
            for tag_id in ids
        ],
        batch_size=5000,
    )
    return challenge


def run_queued(challenge, moderator):
    """Generate the matches as a moderator does: enqueue on the database backend, then the
    database worker runs every ready task (tests/queue.py's batch mode)."""
    from tests.queue import run_worker
    from works.services.matching import matching_start

    run = matching_start(challenge=challenge, moderator=moderator)
    run_worker()
    run.refresh_from_db()
    return run


def measure(args) -> None:
    from django.test import Client

    from works.matching import match
    from works.models import PotentialMatch
    from works.services.matching import challenge_participants, challenge_rules, match_regenerate

    out = sys.stdout.write
    started = time.perf_counter()
    challenge = build_exchange(
        participants=args.participants,
        fandoms=args.fandoms,
        seed=args.seed,
        match_prompts=args.match_prompts,
        match_characters=args.match_characters,
    )
    out(f"exchange written: {args.participants:,} participants, {args.fandoms:,} fandoms, ")
    out(f"{challenge.prompts.count():,} prompts in {time.perf_counter() - started:.1f} s\n")
    started = time.perf_counter()
    run = run_queued(challenge, challenge.collection.owner)
    wall = time.perf_counter() - started
    if run.status != run.Status.DONE:
        sys.exit(f"the run did not finish: {run.status} {run.error}")
    share = run.good_matches / max(run.participants, 1)
    out(f"generated on the task queue in {wall:.1f} s (the task itself: {run.seconds:.1f} s)\n")
    out(f"participants {run.participants:,}, matched {run.matched:,}, ")
    out(f"good matches {run.good_matches:,} ({share:.1%} of participants)\n")
    rows = PotentialMatch.objects.filter(challenge=challenge)
    out(f"potential matches kept for review: {rows.count():,}\n")
    started = time.perf_counter()
    participants = challenge_participants(challenge)
    read = time.perf_counter() - started
    started = time.perf_counter()
    result = match(participants, challenge_rules(challenge))
    solved = time.perf_counter() - started
    out(f"steps: reading the sign-ups {read:.1f} s; every good pair and the assignment ")
    out(f"{solved:.1f} s ({len(result.potential):,} good pairs)\n")
    owner = challenge.collection.owner
    client = Client()
    client.force_login(owner)
    url = f"/collections/{challenge.collection.name}/potential_matches"
    assert client.get(url).status_code == 200
    started = time.perf_counter()
    client.get(url)
    client.get(f"{url}?page=30")
    out(f"the review page (50 assignments a page): {(time.perf_counter() - started) / 2:.2f} s\n")
    person = challenge.signups.order_by("id")[len(participants) // 2]
    started = time.perf_counter()
    match_regenerate(challenge=challenge, moderator=owner, signup=person)
    out(f"regenerating one person's matches: {time.perf_counter() - started:.2f} s\n")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=3000)
    parser.add_argument("--fandoms", type=int, default=1500)
    parser.add_argument("--seed", type=int, default=20)
    parser.add_argument("--match-prompts", type=int, default=1, help="requests to match")
    parser.add_argument("--match-characters", type=int, default=1, help="characters in common")
    args = parser.parse_args(argv)
    bench_environment("match", ARCHIVE_TASKS_BACKEND="database")
    warnings.filterwarnings("ignore", message="No directory at")
    in_scratch_database("matchbench", lambda: measure(args))


if __name__ == "__main__":
    main()
