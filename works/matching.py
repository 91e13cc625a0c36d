"""Matching a gift exchange: who gives a gift to whom (issue 20). Plain data in, pairs out.

Nothing here touches the database or Django; works/services/matching.py loads the sign-ups,
calls these functions and stores what they return.

- A `Participant` has requests and offers; each prompt is a mapping of tag type ("fandom",
  "character", ...) to tag ids. `Rules` say what counts as a match (the Challenge's match
  rules): an offer matches a request when they share at least `tags[type]` tags of each type,
  and a giver suits a recipient when their offers match at least `prompts` of the recipient's
  requests. Such a pair is a *good match*; the assignment only ever uses good matches, so
  whoever no one suits is reported unmatched rather than given a gift nobody asked for.
- `pair_score(giver, recipient, rules)`: one pair, in plain Python (a moderator's swap, one
  person's regeneration).
- `potential_pairs(participants, rules)`: every good pair at once, as sparse matrix products
  (scipy.sparse): an inverted index over the tags of the most selective required type finds
  the candidate request/offer pairs; the other types are checked on those candidates only.
- `assign(givers, recipients, pairs)`: one giver per recipient and one recipient per giver,
  as many people as possible first, then the highest total score, with scipy's
  `linear_sum_assignment` (why scipy and not networkx: docs/decisions.md, "Matching").
- `match(participants, rules)`: both steps, and who is left without a giver or a recipient.

A pair's score is how much they overlap: for each request the giver's offers match, the most
tags that request shares with one matching offer, summed.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse
from scipy.optimize import linear_sum_assignment

TAG_TYPES = ("fandom", "character", "relationship", "rating", "freeform")

Prompt = Mapping[str, Iterable[int]]


@dataclass(frozen=True)
class Rules:
    """How many of a recipient's requests must be matched (0: anyone suits anyone), and how
    many tags of each type a request and an offer must share to match (0 or absent: that
    type does not matter)."""

    prompts: int = 1
    tags: Mapping[str, int] = field(default_factory=lambda: {"fandom": 1})

    def required(self, tag_type: str) -> int:
        return self.tags.get(tag_type, 0)

    @property
    def anyone_matches(self) -> bool:
        return self.prompts == 0


@dataclass(frozen=True)
class Participant:
    id: int
    requests: Sequence[Prompt] = ()
    offers: Sequence[Prompt] = ()


@dataclass(frozen=True)
class Pair:
    giver: int
    recipient: int
    score: int
    prompts_matched: int
    good: bool


@dataclass
class Result:
    pairs: list[Pair]  # the assignment: each giver and each recipient at most once
    potential: "PotentialPairs"
    no_giver: list[int]  # recipients left without a giver
    no_recipient: list[int]  # givers left without a recipient

    @property
    def good(self) -> int:
        return sum(pair.good for pair in self.pairs)


# One pair ------------------------------------------------------------------------------------


def _common(request: Prompt, offer: Prompt) -> dict[str, int]:
    return {t: len(set(request.get(t, ())) & set(offer.get(t, ()))) for t in TAG_TYPES}


def _prompts_match(common: Mapping[str, int], rules: Rules) -> bool:
    return all(common[t] >= rules.required(t) for t in TAG_TYPES)


def pair_score(giver: Participant, recipient: Participant, rules: Rules) -> Pair:
    """How well `giver`'s offers suit `recipient`'s requests (a pair of one person with
    themselves is never good)."""
    score = matched = 0
    for request in recipient.requests:
        overlaps = [
            sum(common.values())
            for offer in giver.offers
            if _prompts_match(common := _common(request, offer), rules)
        ]
        if overlaps:
            matched += 1
            score += max(overlaps)
    good = giver.id != recipient.id and (rules.anyone_matches or matched >= rules.prompts)
    return Pair(giver.id, recipient.id, score, matched, good)


# Every pair ----------------------------------------------------------------------------------


@dataclass
class PotentialPairs:
    """Every good (giver, recipient) pair as parallel arrays of participant indexes; when
    `everyone` is set (rules that ask for nothing), every pair of two different people is
    good and the arrays hold only those with a score above zero."""

    ids: np.ndarray  # index -> participant id
    givers: np.ndarray
    recipients: np.ndarray
    scores: np.ndarray
    prompts_matched: np.ndarray
    everyone: bool = False

    def __len__(self) -> int:
        return len(self.givers)

    def pairs(self) -> Iterable[Pair]:
        ids = self.ids
        for g, r, s, m in zip(
            self.givers, self.recipients, self.scores, self.prompts_matched, strict=True
        ):
            yield Pair(int(ids[g]), int(ids[r]), int(s), int(m), True)


def _incidence(prompts: list[Prompt], tag_type: str, columns: dict[int, int]) -> sparse.csr_array:
    rows, cols = [], []
    for row, prompt in enumerate(prompts):
        for tag in set(prompt.get(tag_type, ())):
            rows.append(row)
            cols.append(columns.setdefault(tag, len(columns)))
    data = np.ones(len(rows), dtype=np.int32)
    return sparse.csr_array((data, (rows, cols)), shape=(len(prompts), max(len(columns), 1)))


def _pad(matrix: sparse.csr_array, width: int) -> sparse.csr_array:
    matrix.resize((matrix.shape[0], width))
    return matrix


def _gathered_common(req: sparse.csr_array, off: sparse.csr_array, qi, oi) -> np.ndarray:
    """Tags shared by request qi[k] and offer oi[k], for every k."""
    if len(qi) == 0 or req.nnz == 0 or off.nnz == 0:
        return np.zeros(len(qi), dtype=np.int64)
    out = np.zeros(len(qi), dtype=np.int64)
    step = 500_000  # bounds the memory of the gathered rows
    for start in range(0, len(qi), step):
        q, o = qi[start : start + step], oi[start : start + step]
        product = req[q].multiply(off[o])
        out[start : start + step] = np.asarray(product.sum(axis=1)).ravel()
    return out


def _group_max(keys: np.ndarray, values: np.ndarray):
    """Unique keys and the largest value of each."""
    order = np.lexsort((values, keys))
    keys, values = keys[order], values[order]
    last = np.ones(len(keys), dtype=bool)
    last[:-1] = keys[1:] != keys[:-1]
    return keys[last], values[last]


def potential_pairs(participants: Sequence[Participant], rules: Rules) -> PotentialPairs:
    """Every good pair among `participants`, with its score and prompts matched."""
    ids = np.array([p.id for p in participants], dtype=np.int64)
    requests = [q for p in participants for q in p.requests]
    offers = [o for p in participants for o in p.offers]
    request_owner = np.array([i for i, p in enumerate(participants) for _ in p.requests])
    offer_owner = np.array([i for i, p in enumerate(participants) for _ in p.offers])
    matrices = {}
    for tag_type in TAG_TYPES:
        columns: dict[int, int] = {}
        req = _incidence(requests, tag_type, columns)
        off = _incidence(offers, tag_type, columns)
        width = max(len(columns), 1)
        matrices[tag_type] = (_pad(req, width), _pad(off, width))
    required = [t for t in TAG_TYPES if rules.required(t) > 0]
    everyone = rules.anyone_matches or not required
    # The candidates come from one type's inverted index: the required type whose product is
    # smallest, or (when nothing is required) every type but ratings, whose few tags would
    # make every pair a candidate.
    keys = required or [t for t in TAG_TYPES if t != "rating"]

    def product_size(tag_type):
        req, off = matrices[tag_type]
        return float(req.sum(axis=0) @ off.sum(axis=0))

    if required:
        key_types = [min(keys, key=product_size)]
    else:
        key_types = keys
    candidates = None
    for tag_type in key_types:
        req, off = matrices[tag_type]
        product = (req @ off.T).tocoo()
        candidates = product if candidates is None else candidates + product
    candidates = candidates.tocoo() if candidates is not None else None
    if candidates is None or candidates.nnz == 0:
        qi = oi = np.zeros(0, dtype=np.int64)
    else:
        qi, oi = candidates.row.astype(np.int64), candidates.col.astype(np.int64)
    not_self = request_owner[qi] != offer_owner[oi] if len(qi) else np.zeros(0, dtype=bool)
    qi, oi = qi[not_self], oi[not_self]
    overlap = np.zeros(len(qi), dtype=np.int64)
    matches = np.ones(len(qi), dtype=bool)
    for tag_type in TAG_TYPES:
        req, off = matrices[tag_type]
        common = _gathered_common(req, off, qi, oi)
        overlap += common
        matches &= common >= rules.required(tag_type)
    if not everyone:
        qi, oi, overlap = qi[matches], oi[matches], overlap[matches]
    count = len(participants)
    # Per (request, giver): the best overlap; then per (giver, recipient): requests matched
    # and the sum of their best overlaps.
    givers = offer_owner[oi] if len(oi) else np.zeros(0, dtype=np.int64)
    q_keys, best = _group_max(qi * count + givers, overlap)
    q_of, g_of = q_keys // count, q_keys % count
    r_of = request_owner[q_of] if len(q_of) else np.zeros(0, dtype=np.int64)
    pair_keys = g_of * count + r_of
    unique, inverse = np.unique(pair_keys, return_inverse=True)
    matched = np.bincount(inverse, minlength=len(unique))
    scores = np.bincount(inverse, weights=best, minlength=len(unique)).astype(np.int64)
    g, r = unique // count, unique % count
    if not everyone:
        keep = matched >= rules.prompts
        g, r, scores, matched = g[keep], r[keep], scores[keep], matched[keep]
    return PotentialPairs(ids, g, r, scores, matched, everyone=everyone)


# The assignment ------------------------------------------------------------------------------


def _solve(shape, rows, cols, scores, *, everyone: bool, same) -> list[tuple[int, int, int]]:
    """(row, column, score) of a maximum assignment of a `shape` grid along the allowed cells
    (rows[k], cols[k]) (every cell but `same` when `everyone`): the most pairs first, then
    the highest total score."""
    rows, cols = np.asarray(rows, dtype=np.int64), np.asarray(cols, dtype=np.int64)
    scores = np.asarray(scores, dtype=np.float64)
    if 0 in shape or (len(rows) == 0 and not everyone):
        return []
    top = float(scores.max()) if len(scores) else 0.0
    # One more pair always outweighs any gain in score: an assignment's total score is
    # below min(shape) * (top + 1).
    bonus = (top + 1.0) * min(shape) + 1.0
    allowed = np.full(shape, everyone, dtype=bool)
    gain = np.full(shape, bonus if everyone else 0.0, dtype=np.float64)
    for i, j in same:
        allowed[i, j], gain[i, j] = False, 0.0
    allowed[rows, cols] = True
    gain[rows, cols] = bonus + scores
    row_ind, col_ind = linear_sum_assignment(gain, maximize=True)
    keep = allowed[row_ind, col_ind]
    row_ind, col_ind = row_ind[keep], col_ind[keep]
    won = np.rint(gain[row_ind, col_ind] - bonus).astype(np.int64)
    return list(zip(row_ind.tolist(), col_ind.tolist(), won.tolist(), strict=True))


def assign(
    givers: Sequence[int],
    recipients: Sequence[int],
    edges: Iterable[tuple[int, int, int]],
    *,
    everyone: bool = False,
) -> list[tuple[int, int, int]]:
    """(giver, recipient, score) triples: each giver and each recipient at most once, only
    along `edges` (giver, recipient, score), or between any two different people when
    `everyone`; the most people first, then the highest total score."""
    g_index = {g: i for i, g in enumerate(givers)}
    r_index = {r: i for i, r in enumerate(recipients)}
    rows, cols, scores = [], [], []
    for giver, recipient, score in edges:
        if giver in g_index and recipient in r_index and giver != recipient:
            rows.append(g_index[giver])
            cols.append(r_index[recipient])
            scores.append(score)
    same = [(i, r_index[g]) for g, i in g_index.items() if g in r_index]
    solved = _solve(
        (len(givers), len(recipients)), rows, cols, scores, everyone=everyone, same=same
    )
    return [(givers[i], recipients[j], score) for i, j, score in solved]


def match(participants: Sequence[Participant], rules: Rules) -> Result:
    """The whole exchange: every good pair, then the assignment."""
    potential = potential_pairs(participants, rules)
    count = len(participants)
    solved = _solve(
        (count, count),
        potential.givers,
        potential.recipients,
        potential.scores,
        everyone=potential.everyone,
        same=[(i, i) for i in range(count)],
    )
    ids = [int(i) for i in potential.ids]
    order = np.lexsort((potential.recipients, potential.givers))
    sorted_keys = potential.givers[order] * count + potential.recipients[order]
    pairs = []
    for g, r, score in solved:
        at = np.searchsorted(sorted_keys, g * count + r)
        found = at < len(sorted_keys) and sorted_keys[at] == g * count + r
        matched = int(potential.prompts_matched[order[at]]) if found else 0
        pairs.append(Pair(ids[g], ids[r], score, matched, True))
    givers = {p.giver for p in pairs}
    recipients = {p.recipient for p in pairs}
    return Result(
        pairs=pairs,
        potential=potential,
        no_giver=[i for i in ids if i not in recipients],
        no_recipient=[i for i in ids if i not in givers],
    )
