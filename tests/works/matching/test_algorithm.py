"""The matching algorithm on small exchanges a moderator would recognise (works/matching.py:
plain data in, pairs out; no database)."""

import itertools
import random

from works.matching import Participant, Rules, assign, match, pair_score, potential_pairs

# Tag ids by name, so the cases read like sign-ups.
TAGS = {
    name: number
    for number, name in enumerate(
        [
            "Discworld",
            "Moomins",
            "Earthsea",
            "Vimes",
            "Vetinari",
            "Snufkin",
            "Moomintroll",
            "Ged",
            "Tenar",
            "General",
            "Teen",
        ],
        start=1,
    )
}
FANDOM_AND_CHARACTER = Rules(prompts=1, tags={"fandom": 1, "character": 1})
FANDOM_ONLY = Rules(prompts=1, tags={"fandom": 1})


def prompt(fandom, *characters, rating=None):
    tags = {"fandom": [TAGS[fandom]], "character": [TAGS[c] for c in characters]}
    if rating:
        tags["rating"] = [TAGS[rating]]
    return tags


def person(pk, requests, offers):
    return Participant(pk, tuple(requests), tuple(offers))


def by_recipient(result):
    return {pair.recipient: pair.giver for pair in result.pairs}


def test_a_ring_of_three_is_matched_perfectly():
    """Ann wants Discworld, offers Moomins; Bo wants Moomins, offers Earthsea; Cy wants
    Earthsea, offers Discworld: the only way is Cy → Ann, Ann → Bo, Bo → Cy."""
    people = [
        person(1, [prompt("Discworld", "Vimes")], [prompt("Moomins", "Snufkin")]),
        person(2, [prompt("Moomins", "Snufkin")], [prompt("Earthsea", "Ged")]),
        person(3, [prompt("Earthsea", "Ged")], [prompt("Discworld", "Vimes")]),
    ]
    result = match(people, FANDOM_AND_CHARACTER)
    assert by_recipient(result) == {1: 3, 2: 1, 3: 2}
    assert result.no_giver == [] and result.no_recipient == []
    assert result.good == 3


def test_nobody_is_given_their_own_request():
    """Two people who each offer exactly what they request still write for each other."""
    people = [
        person(1, [prompt("Discworld", "Vimes")], [prompt("Discworld", "Vimes")]),
        person(2, [prompt("Discworld", "Vimes")], [prompt("Discworld", "Vimes")]),
    ]
    result = match(people, FANDOM_AND_CHARACTER)
    assert by_recipient(result) == {1: 2, 2: 1}
    assert all(pair.giver != pair.recipient for pair in result.pairs)


def test_someone_nobody_can_write_for_is_reported_without_a_giver():
    """Dee requests Earthsea, which nobody offers: she gets no giver (no gift she never asked
    for) but still writes for someone; the others are matched to each other."""
    people = [
        person(1, [prompt("Discworld", "Vimes")], [prompt("Moomins", "Snufkin")]),
        person(2, [prompt("Moomins", "Snufkin")], [prompt("Discworld", "Vimes")]),
        person(4, [prompt("Earthsea", "Ged")], [prompt("Moomins", "Snufkin")]),
    ]
    result = match(people, FANDOM_AND_CHARACTER)
    assert result.no_giver == [4]
    assert 4 not in by_recipient(result)
    assert len(result.pairs) == 2
    assert result.no_recipient in ([1], [4])  # two Moomins writers, one Moomins reader


def test_the_character_rule_is_honoured():
    """Same fandom, no character in common: not a match when the rules ask for a character,
    a match when they ask for the fandom only."""
    ann = person(1, [prompt("Discworld", "Vimes")], [prompt("Discworld", "Vetinari")])
    bo = person(2, [prompt("Discworld", "Vimes")], [prompt("Discworld", "Vetinari")])
    assert match([ann, bo], FANDOM_AND_CHARACTER).pairs == []
    assert len(match([ann, bo], FANDOM_ONLY).pairs) == 2
    assert not pair_score(ann, bo, FANDOM_AND_CHARACTER).good
    assert pair_score(ann, bo, FANDOM_ONLY).good


def test_several_requests_must_be_matched_when_the_rules_say_so():
    """Rules asking for two matched requests: a giver who covers one of two is not enough."""
    rules = Rules(prompts=2, tags={"fandom": 1})
    recipient = person(1, [prompt("Discworld"), prompt("Moomins")], [prompt("Earthsea")])
    one = person(2, [prompt("Earthsea")], [prompt("Discworld")])
    both = person(3, [prompt("Earthsea")], [prompt("Discworld"), prompt("Moomins")])
    assert pair_score(one, recipient, rules).prompts_matched == 1
    assert not pair_score(one, recipient, rules).good
    assert pair_score(both, recipient, rules).good
    result = match([recipient, one, both], rules)
    assert by_recipient(result).get(1) == 3


def test_a_bigger_overlap_wins_the_giver():
    """Two givers could write for Ann; the one who shares more of her characters does,
    while the other still gets a recipient."""
    ann = person(1, [prompt("Discworld", "Vimes", "Vetinari")], [prompt("Moomins")])
    close = person(2, [prompt("Moomins", "Snufkin")], [prompt("Discworld", "Vimes", "Vetinari")])
    far = person(3, [prompt("Moomins", "Snufkin")], [prompt("Discworld", "Vimes")])
    result = match([ann, close, far], FANDOM_AND_CHARACTER)
    assert by_recipient(result)[1] == 2
    assert (
        pair_score(close, ann, FANDOM_AND_CHARACTER).score
        > pair_score(far, ann, FANDOM_AND_CHARACTER).score
    )


def test_more_people_matched_beats_a_higher_score():
    """Xan suits Ann very well and Bo a little; Yu suits only Ann, a little. Giving Ann to
    Xan would leave Bo without a gift: Xan writes for Bo and Yu for Ann."""
    chosen = assign(
        ["xan", "yu"], ["ann", "bo"], [("xan", "ann", 10), ("xan", "bo", 1), ("yu", "ann", 1)]
    )
    assert sorted(chosen) == [("xan", "bo", 1), ("yu", "ann", 1)]


def test_a_rating_rule_only_matches_the_requested_rating():
    """A rating rule: only offers of the requested rating match."""
    rules = Rules(prompts=1, tags={"fandom": 1, "rating": 1})
    ann = person(1, [prompt("Discworld", rating="General")], [prompt("Moomins", rating="Teen")])
    bo = person(2, [prompt("Moomins", rating="General")], [prompt("Discworld", rating="General")])
    assert pair_score(bo, ann, rules).good
    assert not pair_score(ann, bo, rules).good  # Bo asked for General, Ann offers Teen


def test_rules_that_ask_nothing_match_everyone():
    """No match rules (AO3: purely random): everyone gives and gets, never to themselves."""
    people = [person(i, [prompt("Discworld")], [prompt("Moomins")]) for i in range(1, 6)]
    result = match(people, Rules(prompts=0, tags={}))
    assert len(result.pairs) == 5
    assert all(pair.giver != pair.recipient for pair in result.pairs)
    assert {pair.recipient for pair in result.pairs} == {1, 2, 3, 4, 5}


def test_assign_matches_only_along_the_given_pairs():
    chosen = assign([1, 2], [1, 2, 3], [(1, 2, 5), (2, 3, 1), (2, 2, 9)])
    assert sorted(chosen) == [(1, 2, 5), (2, 3, 1)]
    assert assign([1], [1], [(1, 1, 5)]) == []


def _brute_force_best(people, rules):
    """The most people matched, then the best score, by trying every assignment."""
    ids = [p.id for p in people]
    scores = {(g.id, r.id): pair_score(g, r, rules) for g in people for r in people if g.id != r.id}
    best = (0, 0)
    for perm in itertools.permutations(ids + [None] * len(ids), len(ids)):
        pairs = [(g, r) for g, r in zip(ids, perm, strict=True) if r is not None]
        if len({r for _g, r in pairs}) != len(pairs):
            continue
        if not all((g, r) in scores and scores[g, r].good for g, r in pairs):
            continue
        best = max(best, (len(pairs), sum(scores[p].score for p in pairs)))
    return best


def test_random_small_exchanges_match_the_brute_force_optimum():
    rng = random.Random(7)
    for _round in range(25):
        people = []
        for pk in range(1, rng.randint(2, 5) + 1):
            requests = [
                {"fandom": [rng.randint(1, 3)], "character": rng.sample(range(4, 10), 2)}
                for _ in range(rng.randint(1, 2))
            ]
            offers = [
                {"fandom": [rng.randint(1, 3)], "character": rng.sample(range(4, 10), 3)}
                for _ in range(rng.randint(1, 2))
            ]
            people.append(Participant(pk, tuple(requests), tuple(offers)))
        result = match(people, FANDOM_AND_CHARACTER)
        got = (len(result.pairs), sum(pair.score for pair in result.pairs))
        assert got == _brute_force_best(people, FANDOM_AND_CHARACTER), people
        for pair in result.pairs:
            giver = next(p for p in people if p.id == pair.giver)
            recipient = next(p for p in people if p.id == pair.recipient)
            assert pair_score(giver, recipient, FANDOM_AND_CHARACTER) == pair


def test_the_vectorised_pairs_agree_with_one_pair_at_a_time():
    rng = random.Random(3)
    people = [
        Participant(
            pk,
            tuple(
                {"fandom": [rng.randint(1, 4)], "character": rng.sample(range(10, 20), 2)}
                for _ in range(rng.randint(1, 4))
            ),
            tuple(
                {"fandom": [rng.randint(1, 4)], "character": rng.sample(range(10, 20), 4)}
                for _ in range(rng.randint(1, 4))
            ),
        )
        for pk in range(1, 30)
    ]
    for rules in (FANDOM_AND_CHARACTER, FANDOM_ONLY, Rules(prompts=2, tags={"fandom": 1})):
        found = {(p.giver, p.recipient): p for p in potential_pairs(people, rules).pairs()}
        expected = {
            (g.id, r.id): pair_score(g, r, rules)
            for g in people
            for r in people
            if pair_score(g, r, rules).good
        }
        assert found == expected
