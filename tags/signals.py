"""What the tags app tells the rest of the archive when wrangling changes tags.

Tags know nothing of works: the works app answers these signals (works/services/tag_sync.py,
connected in works/apps.py) and keeps its own tables (filter rows, taggings, search documents,
cached pages, counts) in step. Django sends signals synchronously, so every receiver runs
inside the wrangling service's transaction: the tag change and the works' rows commit or roll
back together. Every signal is sent with `sender=Tag`.
"""

from django.dispatch import Signal

# A wrangling service is about to change tags (`tag_ids`): whatever shows tag names is stale.
tags_wrangling = Signal()

# The tag graph around some tags changed. Works carrying a tag in `scope` may have filter rows
# that depend on the change, and only their rows for the tags in `filter_tag_ids` can differ
# (tags.filtering explains why).
tag_graph_changed = Signal()

# A tag (`tag_id`) was renamed: what indexes works by tag name must follow.
tag_renamed = Signal()

# Every work tagged `source_id` moves to `target_id`. Filter rows for `filter_tag_ids` may
# change. Receivers move the taggings and return the number of works that carried the source.
tags_merged = Signal()

# A tag (`tag_id`), already detached from the tag graph, is about to be deleted: the works
# carrying it lose it.
tag_deleting = Signal()
