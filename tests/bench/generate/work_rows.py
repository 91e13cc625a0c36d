"""The works: tags, chapters and words, dates, stats, creators, series and search documents,
written batch by batch while the sink copies the previous batch."""

from __future__ import annotations

import datetime as dt
import random
import time
from collections import Counter
from collections.abc import Callable
from itertools import accumulate

from django.db import models

from tags.fixed import CATEGORIES, RATINGS, WARNINGS
from tests.bench.generate.sinks import Sink, Table
from tests.bench.generate.tag_rows import TagTree
from tests.bench.generate.text import TextPools
from tests.bench.generate.user_rows import UserPool
from tests.bench.generate.vocabulary import (
    BENCH_WORK_WORDS,
    CATEGORY_WEIGHTS,
    EPOCH,
    FULL_TEXT_MAX_CHAPTER_WORDS,
    FULL_TEXT_WORKS,
    LANGUAGE_WEIGHTS,
    RATING_WEIGHTS,
    SPAN_SECONDS,
    WARNING_WEIGHTS,
)
from works.models import (
    Chapter,
    FilterTagging,
    Series,
    SeriesWork,
    TaggedWork,
    Work,
    WorkCreator,
    WorkSearch,
    WorkStats,
)
from works.rendering import RENDER_VERSION


def works_make(
    *,
    rng: random.Random,
    n_works: int,
    batch: int,
    sink: Sink,
    tags: TagTree,
    users: UserPool,
    text: TextPools,
    log: Callable[[str], None],
) -> Counter:
    """Write `n_works` works with ids after the highest, `batch` at a time, with their
    chapters, stats, creators, series, taggings, filter rows and search documents. Returns how
    many posted works not hidden by moderators carry each tag (Tag.work_count)."""
    work_table = Table(
        Work,
        [
            "id",
            "title",
            "summary",
            "summary_html",
            "notes",
            "notes_html",
            "render_version",
            "language",
            "expected_chapters",
            "chapter_count",
            "word_count",
            "is_complete",
            "posted",
            "restricted",
            "hidden_by_moderator",
            "hidden_reason",
            "comment_permission",
            "moderate_comments",
            "published_at",
            "revised_at",
            "created_at",
            "updated_at",
        ],
    )
    chapter_table = Table(
        Chapter,
        [
            "work",
            "position",
            "title",
            "body",
            "body_html",
            "render_version",
            "word_count",
            "posted",
            "published_at",
            "created_at",
            "updated_at",
        ],
    )
    stats_table = Table(
        WorkStats, ["work", "hits", "kudos", "comments", "bookmarks", "subscriptions"]
    )
    creator_table = Table(WorkCreator, ["work", "user", "pseud", "position"])
    tagging_table = Table(TaggedWork, ["tag", "content_object"])
    filter_table = Table(FilterTagging, ["tag", "work"])
    series_table = Table(
        Series,
        ["id", "title", "render_version", "is_complete", "created_at", "updated_at"],
    )
    series_creator_table = Table(Series.creators.through, ["series", "user"])
    series_work_table = Table(SeriesWork, ["series", "work", "position"])
    # Search documents as works.listing.search.works_search_refresh writes them; PostgreSQL fills
    # the generated tsvector column itself.
    search_table = Table(WorkSearch, ["work", "title", "creators", "tags", "text"])
    tag_names, usernames = tags.tag_names, users.usernames

    start = (Work.objects.aggregate(m=models.Max("pk"))["m"] or 0) + 1
    series_id = (Series.objects.aggregate(m=models.Max("pk"))["m"] or 0) + 1
    counts: Counter = Counter()
    open_series: dict[int, list] = {}

    languages, language_cw = list(LANGUAGE_WEIGHTS), list(accumulate(LANGUAGE_WEIGHTS.values()))
    rating_ids = [tags.rating_ids[RATINGS.index(n)] for n in RATING_WEIGHTS]
    rating_cw = list(accumulate(RATING_WEIGHTS.values()))
    warning_ids = [tags.warning_ids[WARNINGS.index(n)] for n in WARNING_WEIGHTS]
    warning_cw = list(accumulate(WARNING_WEIGHTS.values()))
    category_ids = [tags.category_ids[CATEGORIES.index(n)] for n in CATEGORY_WEIGHTS]
    category_cw = list(accumulate(CATEGORY_WEIGHTS.values()))
    general = tags.rating_ids[RATINGS.index("General Audiences")]
    no_warnings = tags.warning_ids[WARNINGS.index("No Archive Warnings Apply")]
    fandoms, fandom_cw = tags.fandoms, tags.fandom_cw
    freeforms, freeform_cw, ff_syn = tags.freeforms, tags.freeform_cw, tags.ff_synonyms
    creators, creator_cw = users.creator_pool, users.creator_cw
    pseud_ids = users.pseud_ids
    filters = tags.filters
    choices, rand, randrange = rng.choices, rng.random, rng.randrange
    lognormvariate = rng.lognormvariate
    titles, summaries, notes = text.titles, text.summaries, text.notes
    short_bodies, chapter_titles = text.short_bodies, text.chapter_titles
    full_text_left = FULL_TEXT_WORKS
    began = time.monotonic()
    total = n_works
    done = 0

    while done < total:
        n = min(batch, total - done)
        works, chapters, stats, creator_rows = [], [], [], []
        taggings, filter_rows, series_rows, series_creators, series_works = [], [], [], [], []
        documents = []
        for index in range(done, done + n):
            work_id = start + index
            first = index == 0
            # Works 2, 3 and 4 are a draft, a restricted and a hidden work, so that even a
            # tiny archive has one of each; the rest are drawn.
            draft = index == 1 or (index > 3 and rand() < 0.02)
            posted = not draft
            hidden = index == 3 or (index > 3 and posted and rand() < 0.005)
            restricted = index == 2 or (index > 3 and rand() < 0.05)

            # Tags.
            fandom_picks = choices(fandoms, cum_weights=fandom_cw, k=1)
            r = rand()
            if r < 0.05:
                fandom_picks += choices(fandoms, cum_weights=fandom_cw, k=1 + (r < 0.01))
            tags = {
                general if first else choices(rating_ids, cum_weights=rating_cw)[0],
                no_warnings if first else choices(warning_ids, cum_weights=warning_cw)[0],
            }
            if rand() < 0.2:
                tags.update(choices(warning_ids, cum_weights=warning_cw, k=1))
            r = rand()
            n_cat = 0 if r < 0.15 else 1 if r < 0.8 else 2
            if n_cat:
                tags.update(choices(category_ids, cum_weights=category_cw, k=n_cat))
            for fandom, synonym, chars, char_cw, rels, rel_cw, char_syn in fandom_picks:
                tags.add(synonym if synonym and rand() < 0.2 else fandom)
                k_chars = 1 + int(lognormvariate(1.2, 0.6))
                for char in choices(chars, cum_weights=char_cw, k=min(k_chars, 12)):
                    tags.add(char_syn.get(char, char) if rand() < 0.2 else char)
                r = rand()
                k_rels = 0 if r < 0.15 else 1 if r < 0.5 else 2 + int(lognormvariate(0.4, 0.7))
                if k_rels:
                    tags.update(choices(rels, cum_weights=rel_cw, k=min(k_rels, 8)))
            k_ff = int(lognormvariate(1.9, 0.75))
            if k_ff:
                for ff in choices(freeforms, cum_weights=freeform_cw, k=min(k_ff, 40)):
                    tags.add(ff_syn.get(ff, ff) if ff in ff_syn and rand() < 0.3 else ff)
            tag_list = sorted(tags)
            taggings.extend([(t, work_id) for t in tag_list])
            filter_ids = set()
            for t in tag_list:
                filter_ids.update(filters[t])
            filter_rows.extend([(t, work_id) for t in filter_ids])
            if posted and not hidden:
                counts.update(tag_list)

            # Chapters and words.
            multi = not first and rand() < 0.1
            if multi:
                n_chapters = min(60, 2 + int(lognormvariate(1.0, 0.8)))
                words = [max(100, int(lognormvariate(7.6, 0.6))) for _ in range(n_chapters)]
                r = rand()
                expected = n_chapters if r < 0.55 else None if r < 0.8 else n_chapters + 3
            elif first:
                n_chapters, words, expected = 1, [BENCH_WORK_WORDS], 1
            else:
                n_chapters = 1
                words = [min(200000, max(50, int(lognormvariate(7.7, 1.1))))]
                expected = 1 if rand() < 0.95 else None
            full_text = posted and full_text_left > 0
            if full_text:
                full_text_left -= 1
                words = [min(w, FULL_TEXT_MAX_CHAPTER_WORDS) for w in words]
            offset = int(SPAN_SECONDS * rand() ** 0.6)
            published = EPOCH + dt.timedelta(seconds=offset)
            if multi:
                span = min(int(SPAN_SECONDS - offset), randrange(86400, 86400 * 700))
                revised = published + dt.timedelta(seconds=span)
            else:
                span, revised = 0, published
            for position in range(1, n_chapters + 1):
                at = published + dt.timedelta(seconds=span * (position - 1) // n_chapters)
                if full_text:
                    body, body_html = text.full_text(rng, words[position - 1])
                else:
                    body, body_html = short_bodies[randrange(500)]
                chapter_title = chapter_titles[randrange(500)] if multi and rand() < 0.5 else ""
                chapters.append(
                    (
                        work_id,
                        position,
                        chapter_title,
                        body,
                        body_html,
                        RENDER_VERSION,
                        words[position - 1],
                        posted,
                        at.date() if posted else None,
                        at,
                        at,
                    )
                )
            chapter_count = n_chapters if posted else 0
            word_count = sum(words) if posted else 0
            summary, summary_html = summaries[randrange(500)] if rand() < 0.95 else ("", "")
            note, note_html = notes[randrange(100)] if rand() < 0.2 else ("", "")
            r = rand()
            permission = "everyone" if r < 0.9 else "registered" if r < 0.98 else "nobody"
            title = "A Six Thousand Word Story" if first else titles[randrange(5000)]
            works.append(
                (
                    work_id,
                    title,
                    summary,
                    summary_html,
                    note,
                    note_html,
                    RENDER_VERSION,
                    "en" if full_text else choices(languages, cum_weights=language_cw)[0],
                    expected,
                    chapter_count,
                    word_count,
                    bool(expected and chapter_count >= expected),
                    posted,
                    restricted,
                    hidden,
                    "Hidden while a report is reviewed." if hidden else "",
                    permission,
                    rand() < 0.03,
                    published.date() if posted else None,
                    revised if posted else None,
                    published,
                    revised,
                )
            )
            if posted:
                hits = int(lognormvariate(5.5, 1.5)) + 1
                kudos = int(hits * rand() * 0.15)
                comments = int(kudos * rand() * 0.3)
                bookmarks = int(kudos * rand() * 0.25)
                stats.append((work_id, hits, kudos, comments, bookmarks, bookmarks // 4))
            else:
                stats.append((work_id, 0, 0, 0, 0, 0))

            # Creators and series.
            owner = creators[0] if first else choices(creators, cum_weights=creator_cw)[0]
            creator_rows.append((work_id, owner, pseud_ids[owner], 0))
            byline = usernames[owner]
            if rand() < 0.03:
                co = choices(creators, cum_weights=creator_cw)[0]
                if co != owner:
                    creator_rows.append((work_id, co, pseud_ids[co], 1))
                    byline = f"{byline} {usernames[co]}"
            documents.append(
                (
                    work_id,
                    title,
                    byline,
                    " ".join([tag_names[t] for t in tag_list]),
                    f"{summary} {note}" if summary and note else summary or note,
                )
            )
            if rand() < 0.04:
                current = open_series.get(owner)
                if current is None:
                    current = [series_id, 0]
                    open_series[owner] = current
                    series_rows.append(
                        (
                            series_id,
                            titles[randrange(5000)],
                            RENDER_VERSION,
                            rand() < 0.4,
                            published,
                            revised,
                        )
                    )
                    series_creators.append((series_id, owner))
                    series_id += 1
                current[1] += 1
                series_works.append((current[0], work_id, current[1]))
                if current[1] >= 2 and rand() < 0.3:
                    del open_series[owner]

        sink.write(work_table, works)
        sink.write(stats_table, stats)
        sink.write(creator_table, creator_rows)
        sink.write(chapter_table, chapters)
        sink.write(series_table, series_rows)
        sink.write(series_creator_table, series_creators)
        sink.write(series_work_table, series_works)
        # In (tag, work) order: the (tag, work) indexes then take each tag's new entries in
        # one run of pages instead of a page miss per row (several times faster at 1M).
        taggings.sort()
        filter_rows.sort()
        sink.write(tagging_table, taggings)
        sink.write(filter_table, filter_rows)
        sink.write(search_table, documents)
        done += n
        elapsed = time.monotonic() - began
        log(
            f"  {done:,} / {total:,} works generated, {elapsed:.0f} s "
            f"({done / max(elapsed, 1e-6):,.0f} works/s)"
        )
    return counts
