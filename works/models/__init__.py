"""The works app's models, one module per area; import them from here."""

from .archive_imports import (
    ArchiveImport,
    ImportedCreator,
    ImportedSeries,
    ImportedStory,
    email_digest,
)
from .challenges import (
    Assignment,
    Challenge,
    ChallengeAction,
    Claim,
    MatchRun,
    PotentialMatch,
    Prompt,
    PromptRules,
    Signup,
)
from .chapters import Chapter
from .collections import (
    Collection,
    CollectionItem,
    CollectionPrompt,
)
from .creatorships import CreatorshipInvitation
from .daily_stats import DailyStat, Period
from .exports import AccountExport
from .feedback import (
    BOOKMARK_NOTES_MAX_LENGTH,
    COMMENT_MAX_LENGTH,
    GUEST_NAME_MAX_LENGTH,
    Bookmark,
    Comment,
    Kudos,
    Reading,
    Subscription,
)
from .gifts import RECIPIENT_NAME_MAX_LENGTH, Gift
from .search import (
    ExcludedTag,
    WorkSearch,
)
from .series import (
    Series,
    SeriesWork,
)
from .tag_sets import TagNomination, TagSet
from .tagging import (
    FilterTagging,
    TaggedWork,
)
from .works import (
    CHAPTER_MAX_LENGTH,
    NOTES_MAX_LENGTH,
    SUMMARY_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    CommentPermission,
    Work,
    WorkCreator,
    WorkStats,
)

__all__ = [
    "ArchiveImport",
    "ImportedCreator",
    "ImportedSeries",
    "ImportedStory",
    "email_digest",
    "CreatorshipInvitation",
    "CommentPermission",
    "Work",
    "WorkCreator",
    "TaggedWork",
    "FilterTagging",
    "Chapter",
    "WorkStats",
    "DailyStat",
    "Period",
    "Series",
    "SeriesWork",
    "Collection",
    "CollectionItem",
    "CollectionPrompt",
    "TITLE_MAX_LENGTH",
    "SUMMARY_MAX_LENGTH",
    "NOTES_MAX_LENGTH",
    "CHAPTER_MAX_LENGTH",
    "Kudos",
    "Comment",
    "Bookmark",
    "Subscription",
    "Reading",
    "COMMENT_MAX_LENGTH",
    "BOOKMARK_NOTES_MAX_LENGTH",
    "GUEST_NAME_MAX_LENGTH",
    "ExcludedTag",
    "WorkSearch",
    "AccountExport",
    "Gift",
    "Challenge",
    "PromptRules",
    "Signup",
    "Prompt",
    "MatchRun",
    "PotentialMatch",
    "Assignment",
    "Claim",
    "ChallengeAction",
    "TagSet",
    "TagNomination",
    "RECIPIENT_NAME_MAX_LENGTH",
]
