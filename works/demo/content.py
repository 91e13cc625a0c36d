"""The demo archive's content: accounts, fandoms, tags, collection and prompts, and the text
of its stories (works/management/commands/load_demo.py posts them).

Every story, note and name here was written for this project.
"""

import re
from pathlib import Path

from tags.models import TagType
from works.services import creatorships, orphans
from works.services import posting as services

DEMO_PASSWORD = "demo-archive-password"
AUTHOR = "demo_author"
SECOND_AUTHOR = "harbour_quill"
# An eFiction archive that "moved here" (imported by load_demo): its works await claims.
OLD_ARCHIVE = "The Tidewater Archive"
OLD_ARCHIVE_DUMP = Path(__file__).resolve().parent / "files" / "tidewater-archive.sql"
MODERATOR = "demo_moderator"
# The second author also writes under a second pseud (works/services/pseuds.py).
SECOND_PSEUD = "Tidewater Cartographer"
SECOND_PSEUD_DESCRIPTION = (
    "Where I keep the *odd* pieces: field guides, weather reports and maps of places that "
    "never were."
)
AUTHOR_BIO = (
    "I write about lighthouses, letters and people who stay up too late. "
    "Comments in any language are welcome.\n\n"
    "Find my series and bookmarks from the links below."
)

# What the moderator may do in the admin: view and change works and everything around them.
MODERATOR_PERMISSIONS = [
    ("works", "work", ("view", "change")),
    ("works", "workcreator", ("view",)),
    ("works", "creatorshipinvitation", ("view",)),
    ("works", "chapter", ("view", "change")),
    ("works", "workstats", ("view",)),
    ("works", "series", ("view", "change")),
    ("works", "serieswork", ("view", "change")),
    ("works", "collection", ("view", "change")),
    ("works", "collectionitem", ("view", "change")),
    ("works", "collectionprompt", ("view", "change", "add")),
    ("works", "gift", ("view", "change")),
    ("archive", "user", ("view", "change")),
    ("archive", "inviterequest", ("view", "change", "delete")),
    ("archive", "invitation", ("view",)),
    ("archive", "accountdeletion", ("view",)),
    ("archive", "pseud", ("view", "change")),
    ("tags", "tag", ("view", "change")),
]
# The invitation queue (with ARCHIVE_SIGNUP=invite): people waiting, and how many
# invitations the demo author may give.
QUEUED_EMAILS = [
    "tidewater.reader@example.org",
    "moth_and_lamp@example.org",
    "ink.ferry@example.org",
]
AUTHOR_INVITATIONS = 3

COLLECTION_NAME = "autumn_lanterns_2025"
PROMPT_PREFIX = "Autumn Lanterns 2025"
PROMPTS = [
    (1, "First Frost", "Something changes overnight."),
    (2, "A Letter Unsent", "Words written down and never delivered."),
    (3, "Borrowed Coat", "Warmth that belongs to somebody else."),
]

VELL = "The Lighthouse Keepers of Vell (TV)"
STARFALL = "Starfall Academy (Video Game)"
SALT_ROAD = "The Salt Road Chronicles (Books)"
ORIGINAL = "Original Work"
# A second spelling of VELL that wranglers have made its synonym.
VELL_SYNONYM = "Vell Lighthouse Keepers"

# Canonical tags and their parents (media of a fandom, fandoms of a character).
FANDOM_MEDIA = {
    VELL: "TV Shows",
    STARFALL: "Video Games",
    SALT_ROAD: "Books & Literature",
    ORIGINAL: "Other Media",
}
CHARACTER_FANDOMS = {
    "Ysolde Marr": VELL,
    "Tobin Ashe": VELL,
    "Renna Holt": STARFALL,
    "Ilse Varga": STARFALL,
    "Imre Dalca": SALT_ROAD,
}
RELATIONSHIP_PARENTS = {
    "Ysolde Marr & Tobin Ashe": (VELL, "Ysolde Marr", "Tobin Ashe"),
    "Renna Holt/Ilse Varga": (STARFALL, "Renna Holt", "Ilse Varga"),
}


# A line that starts a Markdown block of its own (list item, quote, table row, heading, rule).
_BLOCK_START = re.compile(r"^\s*(?:[-*+] |\d+\. |>|\||#|---)")


def unwrap(text):
    """Join the hard-wrapped lines of each paragraph, as an author typing in a browser would.

    The archive keeps single line breaks (like AO3), so source wrapped at 100 columns would
    show ragged lines. Block lines (lists, quotes, tables, headings) stay on their own lines,
    and a line ending in a backslash keeps its break (the backslash is dropped).
    """
    lines = []
    for line in text.splitlines():
        previous = lines[-1] if lines else ""
        joinable = (
            line.strip()
            and previous.strip()
            and not _BLOCK_START.match(line)
            and not previous.endswith("\\")
            and not re.match(r"^\s*(?:\||#|---)", previous)
        )
        if joinable:
            lines[-1] = f"{previous} {line.strip()}"
        else:
            if previous.endswith("\\"):
                lines[-1] = previous[:-1].rstrip()
            lines.append(line)
    if lines and lines[-1].endswith("\\"):
        lines[-1] = lines[-1][:-1].rstrip()
    return "\n".join(lines) + "\n"


TEXT_FIELDS = ("summary", "notes", "endnotes", "body")


def _unwrapped(values):
    return {k: unwrap(v) if k in TEXT_FIELDS and v else v for k, v in values.items()}


def create_work(*, fields, chapter, **kwargs):
    """services.work_create with the demo's wrapped source text unwrapped."""
    return services.work_create(fields=_unwrapped(fields), chapter=_unwrapped(chapter), **kwargs)


def add_chapter(*, work, fields, **kwargs):
    return services.chapter_add(work=work, fields=_unwrapped(fields), **kwargs)


def prompt_tag_name(day, title):
    return f"{PROMPT_PREFIX} Day {day:02d}: {title}"


def demo_tags(
    rating, warnings, fandoms, *, categories=(), relationships=(), characters=(), extra=()
):
    return {
        TagType.RATING: [rating],
        TagType.WARNING: list(warnings),
        TagType.CATEGORY: list(categories),
        TagType.FANDOM: list(fandoms),
        TagType.RELATIONSHIP: list(relationships),
        TagType.CHARACTER: list(characters),
        TagType.FREEFORM: list(extra),
    }


LAMP_CHAPTERS = [
    {
        "title": "The Keeper's Ledger",
        "summary": "Ysolde counts the oil and finds one barrel too many.",
        "notes": "Thank you for reading! This one will be **five chapters** long.",
        "body": """\
The ledger lived on the third step of the tower, because that was where Ysolde Marr
always remembered she had forgotten something.

*Oil, twelve barrels. Wicks, forty. Biscuits, a disgraceful number.*

She ran her thumb down the column twice. Thirteen barrels stood in the cellar, round and
patient as sleeping dogs. Nobody had delivered a thirteenth barrel. Nobody delivered
anything to Vell in the storm months except weather.

"Tobin," she called up the stairwell. "Did you buy oil?"

"With what money?" came the answer, and then, after a pause that was far too thoughtful:
"Why, do we have more?"

---

She opened the thirteenth barrel at dusk. It did not hold oil. It held a lamp, wrapped in
sailcloth, still warm.
""",
        "endnotes": "",
    },
    {
        "title": "Sailcloth",
        "summary": "",
        "notes": "",
        "body": """\
The sailcloth bore a stitched mark: a circle crossed by three lines, the sign of the keepers
of the southern light, the one that had gone dark eleven years ago.

Tobin Ashe turned the lamp over in his hands as if it might bite.

> A light that is lit shall not be hidden,
> and a keeper who is called shall come.

"That's the old oath," he said. "My grandmother said it over the soup."

"Your grandmother said everything over the soup."

"And she was right about most of it." He set the lamp down on the table between them.
Its flame leaned toward the window, toward the south, like a compass needle that had
decided to be a candle instead.
""",
        "endnotes": "The oath is my own invention; any likeness to real lighthouse lore is luck.",
    },
    {
        "title": "South",
        "summary": "They row out before dawn.",
        "notes": "",
        "body": """\
What they packed:

1. The lamp, in its sailcloth.
2. Two oilskins, one of which fit.
3. The ledger, because Ysolde did not trust anything she had not written down.
4. Biscuits (the disgraceful number, now smaller).

The sea was the colour of pewter and in no hurry to let them go. Tobin rowed; Ysolde kept
the lamp on her knees and watched its flame point, and point, and point.

Halfway across the strait she realised the flame had stopped leaning. It stood straight
up, perfectly still, as though whatever it had been looking for was now directly beneath
them.
""",
        "endnotes": "",
    },
]

LAMP_DRAFT_CHAPTER = {
    "title": "Beneath",
    "body": "Ysolde looked down into the water. (Draft: finish the dive scene.)",
}

SERIES_PARTS = [
    {
        "title": "Inventory of a Quiet Harbour",
        "summary": "Before the caravans come back, Imre Dalca counts what is left in the harbour.",
        "body": """\
Imre kept the inventory in the back of a hymnal, which the priest pretended not to know.

- Nets: seven, two of them honest.
- Boats: four, if you counted the one that floated on Tuesdays.
- People: thirty-one, and a cat who considered herself the harbour master.

Salt came down the road in spring. Salt went up the road in autumn. In between, the
harbour waited, and Imre wrote things down so that the waiting would have a shape.
""",
        "notes": "A small thing to start a small series.",
    },
    {
        "title": "What the Caravans Carried",
        "summary": "The salt caravans return, and one wagon carries something that isn't salt.",
        "body": """\
The first wagon rolled in with its wheels singing. The second rolled in quietly, which was
how Imre knew to watch it.

**Cargo declared:** salt, twelve sacks. \\
**Cargo observed:** salt, eleven sacks, and a girl asleep on the twelfth.

She woke when the wagon stopped, looked at Imre's hymnal, and said, "You've got the boats
wrong. That one floats on Wednesdays now."
""",
        "notes": "",
    },
]


SHOWCASE_BODY = """\
## Introduction

Every sky has weather that the almanacs leave out. Here are **seven** of them, recorded by
a very patient observer.

### The weathers

| Name | When it falls | What to wear |
| --- | --- | --- |
| Paper rain | After arguments | A hat you don't mind losing |
| Quiet fog | Sunday mornings | Socks |
| Upward snow | Birthdays | Nothing special; it is polite |

1. **Paper rain** falls in small folded squares. Unfold one and it says *sorry* in a
   handwriting you almost recognise.
2. **Quiet fog** muffles everything except the kettle.
3. **Upward snow** rises from the ground and settles on the clouds.

> "I once saw a thunderstorm apologise." — the observer's notebook

A few smaller phenomena:

- *Teatime drizzle*
- <s>Moon hail</s> (disproved)
- Sudden bunting

---

For more on real weather, see [the Met Office](https://www.metoffice.gov.uk/).
"""


def orphaned_work(creator):
    """A short work its creator orphaned, keeping their name on it: its byline reads
    "harbour_quill (orphan_account)", and the admin finds it under Works › orphaned."""
    work = create_work(
        creator=creator,
        fields={
            "title": "The Ferryman's Last Crossing",
            "summary": "Left to the archive by its author: a ferry, a fog, one passenger.",
            "language": "en",
            "expected_chapters": 1,
        },
        tag_names=demo_tags(
            "General Audiences",
            ["No Archive Warnings Apply"],
            [ORIGINAL],
            categories=["Gen"],
            characters=["The Ferryman"],
            extra=["Fog", "Endings"],
        ),
        chapter={
            "body": """\
The last passenger paid in buttons, which the ferryman accepted, because in forty years
nobody had ever paid him in anything that made more sense.

Halfway across, the fog lifted. Neither of them said anything about the other shore.
""",
        },
    )
    orphans.works_orphan(user=creator, works=[work], keep_name=True)
    return work


def gift_work(creator, *, recipient: str):
    """A short work given to `recipient` (a login) and to a friend without an account: it
    reads "For demo_author, Old Marit" and waits in /users/demo_author/gifts, with its inbox
    item, to be kept or refused."""
    return create_work(
        creator=creator,
        fields={
            "title": "Seven Knots for a Lamplighter",
            "summary": "A birthday present, in seven short knots of rope and memory.",
            "notes": "For a friend who taught me the bowline, twice.",
            "language": "en",
            "expected_chapters": 1,
        },
        tag_names=demo_tags(
            "General Audiences",
            ["No Archive Warnings Apply"],
            [VELL],
            categories=["Gen"],
            characters=["Ysolde Marr"],
            extra=["Gift Fic", "Knots", "Birthdays"],
        ),
        chapter={
            "body": """\
The first knot holds the boat. The second holds the boat when the first one slips, which
it will, Ysolde says, because the sea has more patience than any of us.

The seventh knot holds nothing at all. She ties it around Tobin's wrist, loosely, and says
it is for remembering where he put the other six.
""",
        },
        recipients=[recipient, "Old Marit"],
    )


def cocreated_works(author, second, cartographer):
    """A work by the demo author and the second author's Tidewater Cartographer pseud (an
    invitation accepted), and a draft of the second author's that invites the demo author:
    their inbox and /users/demo_author/creatorships offer to accept or decline it."""
    tags = demo_tags(
        "General Audiences",
        ["No Archive Warnings Apply"],
        [ORIGINAL],
        categories=["Gen"],
        characters=["The Keeper", "The Cartographer"],
        extra=["Collaboration", "Maps"],
    )
    shared = create_work(
        creator=author,
        fields={
            "title": "A Chart of the Lamp Room",
            "summary": "Two hands, one map: the keeper draws the light, the cartographer "
            "the dark around it.",
            "language": "en",
            "expected_chapters": 2,
        },
        tag_names=tags,
        chapter={
            "body": """\
The keeper marked where the beam fell each night. The cartographer marked where it did
not. Between them, by the end of the winter, they had the whole bay.
""",
        },
        cocreators=[cartographer],
    )
    creatorships.creatorship_accept(invitation=shared.creatorship_invitations.get())
    theirs = shared.work_creators.get(pseud=cartographer)
    add_chapter(
        work=shared,
        fields={
            "title": "The Dark Around It",
            "body": """\
Every chart needs its blank places. I drew the ones the beam never reached: the reef that
only shows at the lowest tide, the inlet nobody rows into twice.
""",
        },
        expected_chapters=2,
        chapter_creators=[theirs],  # "Chapter by: Tidewater Cartographer (harbour_quill)"
    )
    pending = create_work(
        creator=second,
        fields={
            "title": "Notes Toward a Harbour Almanac",
            "summary": "Tides, bells and the names of boats: unfinished, and asking for help.",
            "language": "en",
            "expected_chapters": None,
        },
        tag_names=tags,
        chapter={
            "body": """\
High water at the fourth bell. The boats are named for aunts, mostly, and one for a dog.
""",
        },
        post=False,
        cocreators=[author.pseuds.get(is_default=True)],
    )
    return shared, pending
