"""Builds a large, realistic archive quickly: the data set of the benchmarks (tests/bench/).

`python -m tests.bench.generate --works N --seed S` is the entry point (cli.py; tests/bench/run.py
runs it). Everything is made up from a small word list of our own and drawn from one seeded
random generator, so the same seed on an empty database gives the same archive, row for row.

Shape (what a listing or a filter sees):
- users: N/10 (at least 10); prolific creators are rarer than occasional ones (Zipf-like);
- fandoms with a long tail (N/100, at least 20; a few huge, thousands tiny), each under one or
  two media, the biggest with an "All Media Types" meta tag, some with synonyms;
- characters and relationships inside each fandom (Tag.parents), more for bigger fandoms;
- freeforms with a long tail, "Alternate Universe" and "Fluff" meta tag chains, synonyms;
- about 17 tags a work: rating 1, warnings 1-2, categories 0-2, fandoms 1-2 (about 5%
  crossovers), relationships, characters and freeforms;
- 10% multi-chapter works; log-normal word counts; skewed hits, kudos, comments, bookmarks;
- several languages, about 2% drafts, 5% restricted and 0.5% hidden works, dates over 17
  years, co-created works, series;
- the filter rows (works.FilterTagging) exactly as tags.filtering computes them,
  Tag.work_count (posted works not hidden by moderators that carry the tag directly), and the
  search documents (works.WorkSearch) as works.listing.search writes them.

Text: chapter bodies are stored already rendered (`body_html` with RENDER_VERSION), as the
Markdown renderer itself would render them. The first 100 posted works carry their full text,
so their word counts are the counts of their text; the first of all is a 6,000-word
single-chapter work for the benchmarks. The bulk of the works store two short paragraphs while
their `word_count` says what a real work of that size would: listings and filters see
realistic numbers without gigabytes of filler text.

Speed: PostgreSQL gets COPY (psycopg 3) from a writer thread while the next batch is being
generated, with `synchronous_commit` off and, for a superuser, foreign-key triggers skipped
(`session_replication_role = replica`) because the generator builds consistent rows itself.
SQLite gets batched executemany. Nothing that migrations own is dropped or recreated.

Modules: vocabulary (words, names, weights), text (sentences, titles, text pools), user_rows,
tag_rows (tags, wrangling, filter tags), work_rows (works and everything hanging off them),
sinks (the COPY and executemany writers), generator (the run: session, order, counts, VACUUM;
and the wipe), cli (the command line). Importing this package imports no Django model, so
__main__ can set Django up first.
"""
