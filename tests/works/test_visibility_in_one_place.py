"""Who sees what is decided in works/models/visibility.py alone: no other module of the apps
writes the rules again (the guest rule, the muted-users subquery, the secrets' filters)."""

import re
from pathlib import Path

from works.listing import tagsets
from works.models import visibility

ROOT = Path(__file__).resolve().parents[2]
APPS = ("archive", "tags", "works")
VISIBILITY = ROOT / "works" / "models" / "visibility.py"

# Spellings of a visibility rule in a query.
RULES = {
    "not hidden": re.compile(r"hidden_by_moderator\s*=\s*False"),
    "not restricted": re.compile(r"restricted\s*=\s*False"),
    "posted works": re.compile(r"(?<![\w.])(content_object__|work__)?posted\s*=\s*True"),
    "muted users": re.compile(r"Mute\.objects\.filter\(\s*muter\s*=[^)]*\)\s*\.values"),
    "muters": re.compile(r"Mute\.objects\.filter\(\s*muted__in"),
    "approved comments": re.compile(r"filter\([^)]*status\s*=\s*Comment\.Status\.APPROVED"),
    "public bookmarks": re.compile(r"is_private\s*=\s*False"),
    "secret collections": re.compile(r"collection__is_(anonymous|unrevealed)\s*=\s*True"),
    "guest rule in SQL": re.compile(r"NOT\s+hidden|NOT\s+restricted"),
}
# Writes that match a spelling without deciding who sees anything, each with its reason.
ALLOWED = {
    # A ban hides the banned user's works that are not hidden yet (a write).
    ("works/services/moderation.py", "not hidden"),
    # Posting counts and dates a work's posted chapters (a write of derived fields).
    ("works/services/posting.py", "posted works"),
    # Deleting an account lowers WorkStats.bookmarks, which counts public bookmarks (a write).
    ("works/services/leaving.py", "public bookmarks"),
}


def _sources():
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" in path.parts or path == VISIBILITY:
                continue
            yield path.relative_to(ROOT).as_posix(), path.read_text()


def test_no_module_but_the_visibility_module_decides_who_sees_what():
    found = [
        f"{name}: {rule} ({pattern.pattern})"
        for name, text in _sources()
        for rule, pattern in RULES.items()
        if pattern.search(text) and (name, rule) not in ALLOWED
    ]
    assert found == []


def test_the_presort_sql_is_built_from_the_guest_rule():
    """The PostgreSQL presort path reads the same rule as the queryset, through the tag-set
    table's column names (works.listing.tagsets.COPIED)."""
    assert visibility.GUEST == {"posted": True, "hidden_by_moderator": False, "restricted": False}
    assert tagsets.rule_sql(visibility.GUEST) == "posted AND NOT hidden AND NOT restricted"
    assert tagsets.rule_sql(visibility.POSTED) == "posted"


def test_every_allowed_exception_still_exists():
    """An exception whose write went away is removed from ALLOWED, so the list stays true."""
    sources = dict(_sources())
    stale = [
        (name, rule) for name, rule in ALLOWED if not RULES[rule].search(sources.get(name, ""))
    ]
    assert stale == []
