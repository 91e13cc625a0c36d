"""The generated tags and their wrangling: fandoms under media, characters and relationships
inside fandoms, freeforms with meta tag chains, synonyms; and the filter tags each tag puts
on a work (as tags.filtering.filter_tag_ids_for computes them).
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from itertools import chain, count

from django.utils.text import slugify

from tags.fixed import CATEGORIES, MEDIA, RATINGS, WARNINGS
from tags.models import TYPE_SUFFIX, Tag, TagType
from tests.bench.generate.sinks import Sink, Table
from tests.bench.generate.text import fandom_name
from tests.bench.generate.vocabulary import (
    ADJECTIVES,
    AU_SETTINGS,
    EPOCH,
    FIRST_NAMES,
    LAST_NAMES,
    MEDIA_WEIGHTS,
    NOUNS,
    VERBS,
    zipf_cum_weights,
)


class NameBook:
    """Tag names unique case-insensitively, across types, as the Tag model requires."""

    def __init__(self, taken: Iterable[str]):
        self.taken = {name.lower() for name in taken}
        self.next_number: dict[str, int] = {}

    def claim(self, name: str, tag_type: str) -> str:
        suffixed = f"{name} ({TYPE_SUFFIX[TagType(tag_type)]})"
        start = self.next_number.get(name, 2)
        numbered = (f"{name} {n}" for n in count(start))
        for candidate in chain([name, suffixed], numbered):
            if candidate.lower() not in self.taken:
                self.taken.add(candidate.lower())
                if candidate not in (name, suffixed):
                    self.next_number[name] = int(candidate.rsplit(" ", 1)[1]) + 1
                return candidate
        raise AssertionError("unreachable")  # pragma: no cover


class TagTree:
    """New tags beside the archive's existing ones (ids after the highest), built in memory:
    what works draw their tags from, and the rows write() puts in the database."""

    def __init__(self, *, rng: random.Random, n_works: int):
        existing = list(Tag.objects.values_list("pk", "name", "type", "merger_id"))
        names = NameBook(name for _, name, _, _ in existing)
        by_name = {name: pk for pk, name, _, _ in existing}
        self.next_tag_id = max((row[0] for row in existing), default=0) + 1
        self.new_tags: list[tuple] = []  # rows for tags_tag
        self.parents: list[tuple[int, int]] = []
        self.metas: list[tuple[int, int]] = []
        self.merger: dict[int, int] = {pk: merger for pk, _, _, merger in existing if merger}
        meta_map: dict[int, list[int]] = {}
        for from_id, to_id in Tag.meta_tags.through.objects.values_list("from_tag_id", "to_tag_id"):
            meta_map.setdefault(from_id, []).append(to_id)

        created_at = EPOCH

        def new_tag(name, tag_type, canonical=True, merger=None):
            pk = self.next_tag_id
            self.next_tag_id += 1
            name = names.claim(name, tag_type)
            slug = f"{slugify(name, allow_unicode=True)[:200]}-{pk}"
            self.new_tags.append((pk, name, slug, tag_type, canonical, False, merger, created_at))
            if merger:
                self.merger[pk] = merger
            return pk

        def add_meta(sub, meta):
            self.metas.append((sub, meta))
            meta_map.setdefault(sub, []).append(meta)

        self.rating_ids = [by_name[n] for n in RATINGS]
        self.warning_ids = [by_name[n] for n in WARNINGS]
        self.category_ids = [by_name[n] for n in CATEGORIES]
        media_ids = [by_name[n] for n in MEDIA]

        # Fandoms: Zipf-like popularity, a few huge and a long tail of tiny ones.
        n_fandoms = max(20, n_works // 100)
        self.fandoms = []  # (canonical id, synonym id or None, characters, char cw, rels, rel cw)
        media_names, media_w = list(MEDIA_WEIGHTS), list(MEDIA_WEIGHTS.values())
        big = max(2, n_fandoms // 50)
        for rank in range(n_fandoms):
            base = fandom_name(rng)
            medium = rng.choices(media_names, weights=media_w)[0]
            suffix = {"TV Shows": " (TV)", "Movies": " (Movies)", "Video Games": " (Video Game)"}
            fandom = new_tag(base + suffix.get(medium, ""), TagType.FANDOM)
            self.parents.append((fandom, media_ids[MEDIA.index(medium)]))
            if rng.random() < 0.05:
                other = rng.choice([m for m in MEDIA if m != medium])
                self.parents.append((fandom, media_ids[MEDIA.index(other)]))
            if rank < big:
                meta = new_tag(f"{base} - All Media Types", TagType.FANDOM)
                self.parents.append((meta, media_ids[MEDIA.index("Uncategorized Fandoms")]))
                add_meta(fandom, meta)
            synonym = None
            if rng.random() < 0.1:
                initials = "".join(w[0] for w in base.split() if w[0].isupper())
                synonym = new_tag(
                    f"{initials or base} {rng.choice(NOUNS)}", TagType.FANDOM, False, fandom
                )
            size = (1.0 / (rank + 1)) ** 0.45
            n_chars = 3 + int(30 * size) + rng.randrange(3)
            chars, char_syn, char_names = [], {}, {}
            for _ in range(n_chars):
                first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
                char = new_tag(f"{first} {last}", TagType.CHARACTER)
                char_names[char] = self.new_tags[-1][1]
                self.parents.append((char, fandom))
                chars.append(char)
                if rng.random() < 0.05:
                    syn = new_tag(f"{first} {last[0]}.", TagType.CHARACTER, False, char)
                    self.parents.append((syn, fandom))
                    char_syn[char] = syn
            rels = []
            for _ in range(max(1, int(n_chars * 0.8))):
                a, b = rng.sample(chars, 2)
                joiner = "/" if rng.random() < 0.75 else " & "
                rel = new_tag(f"{char_names[a]}{joiner}{char_names[b]}", TagType.RELATIONSHIP)
                self.parents.append((rel, fandom))
                rels.append(rel)
            self.fandoms.append(
                (
                    fandom,
                    synonym,
                    chars,
                    zipf_cum_weights(len(chars), 1.0),
                    rels,
                    zipf_cum_weights(len(rels), 1.1),
                    char_syn,
                )
            )
        self.fandom_cw = zipf_cum_weights(n_fandoms, 1.05, offset=1.5)

        # Freeforms: meta chains (Alternate Universe > ... > ...), Fluff, and a long tail.
        n_freeforms = max(200, n_works // 20)
        au = new_tag("Alternate Universe", TagType.FREEFORM)
        fluff = new_tag("Fluff", TagType.FREEFORM)
        freeforms = [fluff, au]
        au_modern = None
        for setting in AU_SETTINGS:
            sub = new_tag(f"Alternate Universe - {setting}", TagType.FREEFORM)
            add_meta(sub, au)
            au_modern = au_modern or sub
            freeforms.append(sub)
        for kind in ("Tooth-Rotting Fluff", "Fluff and Angst", "Hurt/Comfort Fluff"):
            sub = new_tag(kind, TagType.FREEFORM)
            add_meta(sub, fluff)
            freeforms.append(sub)
        self.ff_synonyms: dict[int, int] = {}
        while len(freeforms) < n_freeforms:
            pattern = rng.randrange(5)
            noun, adj, verb = rng.choice(NOUNS), rng.choice(ADJECTIVES), rng.choice(VERBS)
            name = (
                f"{adj.capitalize()} {noun.capitalize()}",
                f"{verb.capitalize()} {noun.capitalize()}s",
                f"{noun.capitalize()} Feelings",
                f"Alternate Universe - {noun.capitalize()} Shop",
                f"Not {adj.capitalize()} Enough",
            )[pattern]
            canonical = len(freeforms) < n_freeforms * 0.3
            ff = new_tag(name, TagType.FREEFORM, canonical)
            if pattern == 3 and canonical:
                add_meta(ff, au_modern)
            if canonical and rng.random() < 0.05:
                syn = new_tag(f"{name} ({rng.choice(ADJECTIVES)})", TagType.FREEFORM, False, ff)
                self.ff_synonyms[ff] = syn
            freeforms.append(ff)
        self.freeforms = freeforms
        self.freeform_cw = zipf_cum_weights(len(freeforms), 1.0, offset=3)

        # What each tag puts in the filter rows (tags.filtering.filter_tag_ids_for).
        def closure(canonical):
            seen, frontier = {canonical}, [canonical]
            while frontier:
                frontier = [m for pk in frontier for m in meta_map.get(pk, ()) if m not in seen]
                seen.update(frontier)
            return seen

        self.tag_names = {pk: name for pk, name, _, _ in existing}
        self.tag_names.update((row[0], row[1]) for row in self.new_tags)
        self.filters: dict[int, tuple[int, ...]] = {}
        for pk in [row[0] for row in existing] + [row[0] for row in self.new_tags]:
            canonical = self.merger.get(pk, pk)
            self.filters[pk] = tuple(sorted(closure(canonical) | {pk}))

    def write(self, sink: Sink) -> None:
        tag_table = Table(
            Tag,
            ["id", "name", "slug", "type", "canonical", "unwrangleable", "merger", "created_at"],
        )
        sink.write(tag_table, self.new_tags)
        sink.write(Table(Tag.parents.through, ["from_tag", "to_tag"]), self.parents)
        sink.write(Table(Tag.meta_tags.through, ["from_tag", "to_tag"]), self.metas)

    def summary(self) -> str:
        return (
            f"{len(self.new_tags):,} tags ({len(self.fandoms):,} fandoms,"
            f" {len(self.freeforms):,} freeforms)"
        )
