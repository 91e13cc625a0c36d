"""What the filter form offers and its limits: input caps, the tag types it filters on, the
sort choices, the range fields, and the sizes above which counts and facets are sampled or
cached. Read these as `options.NAME` where a test may change them."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy

from tags.models import TagType
from works.languages import LANGUAGES

# Input caps: GET is not bounded by Django's DATA_UPLOAD limits, so we bound it here.
MAX_QUERY_STRING = 16_000  # characters of the whole query string; beyond it, ignore filters
MAX_TEXT = 500  # characters of any one text field (query, title, creators, tag names)
MAX_TAGS = 30  # tag ids per include or exclude list, tag names per field
MAX_NUMBER = 2_147_483_647
# Exact counts up to this many works (the ids read once give the count, the page and the
# facets' works); beyond it a COUNT(*).
EXACT_LIMIT = 10_000
CACHE_FROM = 1_000  # results this large have their count, facets and ranking cached
# Exact facets up to this many works; beyond it facets come from the first FACET_SAMPLE works
# in the listing's order, and the sidebar says so. Grouping every work's filter rows costs
# about 25 rows a work: at 1,000,000 works a fandom listing of 4,777 works spent more on its
# facets than on everything else (docs/performance.md, "Filters nobody asked for before").
EXACT_FACETS = 1_000
FACET_SAMPLE = 1_000
FACETS_PER_TYPE = 10
CACHE_SECONDS = 300

INCLUDE = "include_work_search"
EXCLUDE = "exclude_work_search"
SEARCH = "work_search"


@dataclass(frozen=True)
class TagFilterType:
    key: str  # AO3's parameter: include_work_search[<key>][]
    type: str
    label: str


TAG_FILTER_TYPES = [
    TagFilterType("rating_ids", TagType.RATING, gettext_lazy("Ratings")),
    TagFilterType("archive_warning_ids", TagType.WARNING, gettext_lazy("Warnings")),
    TagFilterType("category_ids", TagType.CATEGORY, gettext_lazy("Categories")),
    TagFilterType("fandom_ids", TagType.FANDOM, gettext_lazy("Fandoms")),
    TagFilterType("relationship_ids", TagType.RELATIONSHIP, gettext_lazy("Relationships")),
    TagFilterType("character_ids", TagType.CHARACTER, gettext_lazy("Characters")),
    TagFilterType("freeform_ids", TagType.FREEFORM, gettext_lazy("Additional Tags")),
]
TYPE_KEYS = {t.type: t.key for t in TAG_FILTER_TYPES}

# Tag names typed into text fields, included (AO3's advanced search) or excluded.
NAME_FIELDS = {
    "other_tag_names": gettext_lazy("Other tags to include"),
    "fandom_names": gettext_lazy("Fandoms"),
    "relationship_names": gettext_lazy("Relationships"),
    "character_names": gettext_lazy("Characters"),
    "freeform_names": gettext_lazy("Additional Tags"),
}
EXCLUDED_NAMES = "excluded_tag_names"


@dataclass(frozen=True)
class Sort:
    label: str
    descending: bool  # default direction


SORTS = {
    "revised_at": Sort(gettext_lazy("Date Updated"), True),
    "created_at": Sort(gettext_lazy("Date Posted"), True),
    "title_to_sort_on": Sort(gettext_lazy("Title"), False),
    "authors_to_sort_on": Sort(gettext_lazy("Creator"), False),
    "word_count": Sort(gettext_lazy("Word Count"), True),
    "hits": Sort(gettext_lazy("Hits"), True),
    "kudos_count": Sort(gettext_lazy("Kudos"), True),
    "comments_count": Sort(gettext_lazy("Comments"), True),
    "bookmarks_count": Sort(gettext_lazy("Bookmarks"), True),
    "_score": Sort(gettext_lazy("Best Match"), True),
}
DEFAULT_SORT = "revised_at"
# Words a reader may use after "sort:" in the query box.
SORT_ALIASES = {
    "updated": "revised_at",
    "revised": "revised_at",
    "revised_at": "revised_at",
    "date": "revised_at",
    "posted": "created_at",
    "created": "created_at",
    "created_at": "created_at",
    "title": "title_to_sort_on",
    "author": "authors_to_sort_on",
    "authors": "authors_to_sort_on",
    "creator": "authors_to_sort_on",
    "creators": "authors_to_sort_on",
    "words": "word_count",
    "word_count": "word_count",
    "hits": "hits",
    "kudos": "kudos_count",
    "kudos_count": "kudos_count",
    "comments": "comments_count",
    "comments_count": "comments_count",
    "bookmarks": "bookmarks_count",
    "bookmarks_count": "bookmarks_count",
    "relevance": "_score",
    "score": "_score",
    "best": "_score",
}

# Numeric ranges: name in the filter -> the model field it bounds.
RANGE_FIELDS = {
    "words": "word_count",
    "hits": "stats__hits",
    "kudos": "stats__kudos",
    "comments": "stats__comments",
    "bookmarks": "stats__bookmarks",
}
# AO3's advanced-search range fields ("1000-5000", ">100", "<5") and their range name.
RANGE_PARAMS = {
    "word_count": "words",
    "hits": "hits",
    "kudos_count": "kudos",
    "comments_count": "comments",
    "bookmarks_count": "bookmarks",
}
# Names the query box understands before an operator: words>1000, kudos>=10, hits<500.
QUERY_RANGE_ALIASES = {
    "words": "words",
    "word_count": "words",
    "wordcount": "words",
    "hits": "hits",
    "kudos": "kudos",
    "kudos_count": "kudos",
    "comments": "comments",
    "comments_count": "comments",
    "bookmarks": "bookmarks",
    "bookmarks_count": "bookmarks",
}
LANGUAGE_CODES = {code for code, _name in LANGUAGES}
