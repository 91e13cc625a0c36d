"""Tag names from a source made fit for this archive, each change said.

Ratings, archive warnings and categories must be AO3's fixed tags (tags/fixed.py): another
spelling AO3 used is mapped to its tag, and a name that is none of them is kept as an
additional tag, never dropped. A missing rating, warning or fandom gets AO3's default. Other
names lose the characters tag names may not hold (tags/models.py TAG_NAME_FORBIDDEN) and are
cut to TAG_NAME_MAX_LENGTH. Every change is appended to the ParsedWork's warnings, which the
person importing sees.
"""

from django.utils.translation import gettext as _

from tags.fixed import CATEGORIES, DEFAULT_RATING, DEFAULT_WARNING, RATINGS, WARNINGS
from tags.models import TAG_NAME_FORBIDDEN, TAG_NAME_MAX_LENGTH, TagType
from tags.services import squash_spaces
from works.forms.fields import MAX_USER_TAGS
from works.importing.parsed import ParsedWork

NO_FANDOM = "No Fandom"  # AO3's name for a work that belongs to none

# Other spellings of the fixed tags that sources use (older AO3 names, short forms).
_RATING_ALIASES = {
    "general": "General Audiences",
    "g": "General Audiences",
    "teen": "Teen And Up Audiences",
    "teen and up": "Teen And Up Audiences",
    "t": "Teen And Up Audiences",
    "m": "Mature",
    "e": "Explicit",
    "not rated": "Not Rated",
}
_WARNING_ALIASES = {
    "choose not to use archive warnings": DEFAULT_WARNING,
    "creator chose not to use archive warnings": DEFAULT_WARNING,
    "no archive warnings apply": "No Archive Warnings Apply",
    "underage": "Underage Sex",
    "rape/non-con": "Rape/Non-Con",
    "graphic depictions of violence": "Graphic Depictions Of Violence",
    "major character death": "Major Character Death",
}
_USER_TYPES = (
    TagType.FANDOM,
    TagType.RELATIONSHIP,
    TagType.CHARACTER,
    TagType.FREEFORM,
    TagType.PROMPT,
)


def _fixed_name(name: str, known: list[str], aliases: dict) -> str | None:
    key = squash_spaces(name).casefold()
    for candidate in known:
        if candidate.casefold() == key:
            return candidate
    return aliases.get(key)


def legal_tag_name(name: str) -> tuple[str, str | None]:
    """The name made legal here, and the note saying what changed (None: unchanged).

    Forbidden characters (tags/models.py TAG_NAME_FORBIDDEN) become spaces; a name longer
    than TAG_NAME_MAX_LENGTH is cut at the last space that fits.
    """
    clean = squash_spaces(name)
    notes = []
    bad = sorted({ch for ch in clean if ch in TAG_NAME_FORBIDDEN})
    if bad:
        clean = squash_spaces("".join(" " if ch in TAG_NAME_FORBIDDEN else ch for ch in clean))
        notes.append(_("tag names cannot contain %(chars)s") % {"chars": " ".join(bad)})
    if len(clean) > TAG_NAME_MAX_LENGTH:
        cut = clean[:TAG_NAME_MAX_LENGTH]
        clean = (cut.rsplit(" ", 1)[0] if " " in cut else cut).strip()
        notes.append(
            _("tag names can be at most %(max)d characters long") % {"max": TAG_NAME_MAX_LENGTH}
        )
    if not notes:
        return clean, None
    return clean, "; ".join(notes)


def import_tag_names(parsed: ParsedWork) -> dict[str, list[str]]:
    """The tag names to post, by type, with every change noted in `parsed.warnings`.

    Ratings, warnings and categories must be one of AO3's fixed tags: another name is kept
    as an additional tag, and the rating or warning falls back to AO3's default."""
    warnings = parsed.warnings
    extra_freeforms: list[str] = []
    names: dict[str, list[str]] = {}

    ratings = []
    for raw in parsed.tags.get(TagType.RATING, []):
        fixed = _fixed_name(raw, RATINGS, _RATING_ALIASES)
        if fixed:
            ratings.append(fixed)
        else:
            extra_freeforms.append(raw)
            warnings.append(
                _("“%(name)s” is not a rating here: kept as an additional tag.") % {"name": raw}
            )
    if not ratings:
        warnings.append(
            _("No rating given: the work is “%(rating)s”.") % {"rating": DEFAULT_RATING}
        )
        ratings = [DEFAULT_RATING]
    elif len(set(ratings)) > 1:
        warnings.append(
            _("A work has one rating: “%(kept)s” kept, “%(dropped)s” left out.")
            % {"kept": ratings[0], "dropped": ", ".join(dict.fromkeys(ratings[1:]))}
        )
    names[TagType.RATING] = ratings[:1]

    for tag_type, known, aliases in (
        (TagType.WARNING, WARNINGS, _WARNING_ALIASES),
        (TagType.CATEGORY, CATEGORIES, {}),
    ):
        chosen = []
        for raw in parsed.tags.get(tag_type, []):
            fixed = _fixed_name(raw, known, aliases)
            if fixed:
                if fixed not in chosen:
                    chosen.append(fixed)
                continue
            extra_freeforms.append(raw)
            if tag_type == TagType.WARNING:
                message = _("“%(name)s” is not an archive warning here: kept as an additional tag.")
            else:
                message = _("“%(name)s” is not a category here: kept as an additional tag.")
            warnings.append(message % {"name": raw})
        names[tag_type] = chosen
    if not names[TagType.WARNING]:
        warnings.append(
            _("No archive warning given: the work has “%(warning)s”.")
            % {"warning": DEFAULT_WARNING}
        )
        names[TagType.WARNING] = [DEFAULT_WARNING]

    total = 0
    for tag_type in _USER_TYPES:
        raw_names = list(parsed.tags.get(tag_type, []))
        if tag_type == TagType.FREEFORM:
            raw_names += extra_freeforms
        kept, seen = [], set()
        for raw in raw_names:
            name, note = legal_tag_name(raw)
            if not name:
                warnings.append(
                    _("The tag “%(name)s” has nothing left once made legal: left out.")
                    % {"name": raw}
                )
                continue
            if note:
                warnings.append(
                    _("Tag “%(old)s” renamed “%(new)s”: %(why)s.")
                    % {"old": raw, "new": name, "why": note}
                )
            if name.casefold() in seen:
                continue
            seen.add(name.casefold())
            if tag_type != TagType.PROMPT and total >= MAX_USER_TAGS:
                warnings.append(
                    _(
                        "Tag “%(name)s” left out: a work has at most %(max)d fandoms, "
                        "relationships, characters and additional tags."
                    )
                    % {"name": name, "max": MAX_USER_TAGS}
                )
                continue
            if tag_type != TagType.PROMPT:
                total += 1
            kept.append(name)
        names[tag_type] = kept
    if not names[TagType.FANDOM]:
        warnings.append(
            _("No fandom given: the work is tagged “%(fandom)s”.") % {"fandom": NO_FANDOM}
        )
        names[TagType.FANDOM] = [NO_FANDOM]
    return names
