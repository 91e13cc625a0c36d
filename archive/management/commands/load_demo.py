"""Load a small, original demo archive: two authors, a moderator, works in several fandoms.

Every story, note and name here was written for this project. Running the command again
changes nothing: it finds the demo accounts and stops.
"""

import datetime
import re

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from archive.site import site_url
from tags.models import Tag, TagType
from tags.services import tag_add_parent, tag_make_synonym, tag_resolve, tag_set_canonical
from works.models import Collection, CollectionPrompt, Work, WorkStats
from works.services import posting

DEMO_PASSWORD = "demo-archive-password"
AUTHOR = "demo_author"
SECOND_AUTHOR = "harbour_quill"
MODERATOR = "demo_moderator"

# What the moderator may do in the admin: view and change works and everything around them.
MODERATOR_PERMISSIONS = [
    ("works", "work", ("view", "change")),
    ("works", "workcreator", ("view",)),
    ("works", "chapter", ("view", "change")),
    ("works", "workstats", ("view",)),
    ("works", "series", ("view", "change")),
    ("works", "serieswork", ("view", "change")),
    ("works", "collection", ("view", "change")),
    ("works", "collectionitem", ("view", "change")),
    ("works", "collectionprompt", ("view", "change", "add")),
    ("archive", "user", ("view", "change")),
    ("tags", "tag", ("view", "change")),
]

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
    """posting.work_create with the demo's wrapped source text unwrapped."""
    return posting.work_create(fields=_unwrapped(fields), chapter=_unwrapped(chapter), **kwargs)


def add_chapter(*, work, fields, **kwargs):
    return posting.chapter_add(work=work, fields=_unwrapped(fields), **kwargs)


def prompt_tag_name(day, title):
    return f"{PROMPT_PREFIX} Day {day:02d}: {title}"


def _tags(rating, warnings, fandoms, *, categories=(), relationships=(), characters=(), extra=()):
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


class Command(BaseCommand):
    help = "Load original demo content (authors, a moderator, works, a series, a collection)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--quiet-logins",
            action="store_true",
            help="Do not print the demo logins at the end.",
        )

    def handle(self, *args, **options):
        User = get_user_model()
        if User.objects.filter(username__in=[AUTHOR, MODERATOR]).exists():
            self.stdout.write("Demo content is already loaded; nothing to do.")
        else:
            with transaction.atomic():
                self._load()
            self.stdout.write(self.style.SUCCESS("Demo content loaded."))
        if not options["quiet_logins"]:
            self._print_logins()

    def _print_logins(self):
        # `make run` sets ARCHIVE_SITE_URL to the address it is about to serve on.
        self.stdout.write(
            "\n"
            f"  Demo author:    {AUTHOR} / {DEMO_PASSWORD}\n"
            f"  Second author:  {SECOND_AUTHOR} / {DEMO_PASSWORD}\n"
            f"  Moderator:      {MODERATOR} / {DEMO_PASSWORD}  (staff, admin at /admin/)\n"
            f"  Log in at {site_url(reverse('login'))}\n"
        )

    # --- the content ----------------------------------------------------------------------

    def _load(self):
        User = get_user_model()
        author = User.objects.create_user(
            username=AUTHOR, email="demo_author@example.org", password=DEMO_PASSWORD
        )
        second = User.objects.create_user(
            username=SECOND_AUTHOR, email="harbour_quill@example.org", password=DEMO_PASSWORD
        )
        moderator = User.objects.create_user(
            username=MODERATOR,
            email="demo_moderator@example.org",
            password=DEMO_PASSWORD,
            is_staff=True,
        )
        moderator.user_permissions.set(self._moderator_permissions())

        today = timezone.localdate()
        collection = self._collection(owner=second)
        self._lamp(author, published=today - datetime.timedelta(days=40))
        self._salt_road_series(second, today)
        self._embers(author, published=today - datetime.timedelta(days=12))
        self._prompt_works(author, second, collection)
        self._markdown_showcase(second)
        self._restricted(author)
        self._draft(author)
        self._wrangle()

    def _moderator_permissions(self):
        query = Q(pk__in=[])
        for app_label, model, actions in MODERATOR_PERMISSIONS:
            codenames = [f"{action}_{model}" for action in actions]
            query |= Q(content_type__app_label=app_label, codename__in=codenames)
        return Permission.objects.filter(query)

    def _collection(self, *, owner):
        collection = Collection.objects.create(
            name=COLLECTION_NAME,
            title="Autumn Lanterns 2025",
            owner=owner,
            description=(
                "A gentle prompt fest for the darker evenings: one prompt a day, any fandom, "
                "any length.\n\nPost your work and pick the day's **prompt** tag."
            ),
            rules="1. Be kind.\n2. Tag honestly.\n3. Late entries are welcome.",
        )
        for day, title, description in PROMPTS:
            CollectionPrompt.objects.create(
                collection=collection,
                tag=tag_resolve(prompt_tag_name(day, title), TagType.PROMPT),
                position=day,
                title=title,
                description=description,
            )
        return collection

    def _lamp(self, author, *, published):
        first, *rest = LAMP_CHAPTERS
        work = create_work(
            creator=author,
            fields={
                "title": "The Lamp at the End of the Pier",
                "summary": (
                    "A lighthouse keeper finds a lamp she never ordered, and it only ever "
                    "points south.\n\nA slow mystery with *storms*, biscuits and found family."
                ),
                "notes": "Updates on Sundays, weather permitting.",
                "endnotes": "Come back next week for chapter four!",
                "language": "en",
                "expected_chapters": 5,
                "published_at": published,
            },
            tag_names=_tags(
                "Teen And Up Audiences",
                ["No Archive Warnings Apply"],
                [VELL],
                categories=["Gen"],
                relationships=["Ysolde Marr & Tobin Ashe"],
                characters=["Ysolde Marr", "Tobin Ashe"],
                extra=["Found Family", "Mystery", "Storms", "Slow Burn Friendship"],
            ),
            chapter=first,
        )
        for offset, chapter in enumerate(rest, start=1):
            added = add_chapter(work=work, fields=chapter)
            type(added).objects.filter(pk=added.pk).update(
                published_at=published + datetime.timedelta(days=7 * offset)
            )
        add_chapter(work=work, fields=LAMP_DRAFT_CHAPTER, post=False)
        self._hits(work, 214)
        return work

    def _salt_road_series(self, author, today):
        series = None
        for index, part in enumerate(SERIES_PARTS):
            fields = {
                "title": part["title"],
                "summary": part["summary"],
                "notes": part["notes"],
                "language": "en",
                "expected_chapters": 1,
                "published_at": today - datetime.timedelta(days=30 - 10 * index),
            }
            work = create_work(
                creator=author,
                fields=fields,
                tag_names=_tags(
                    "General Audiences",
                    ["No Archive Warnings Apply"],
                    [SALT_ROAD],
                    categories=["Gen"],
                    characters=["Imre Dalca", "The Harbour Cat"],
                    extra=["Lists", "Small Towns", "Cats"],
                ),
                chapter={"body": part["body"]},
                series=[series] if series else (),
                series_title="" if series else "Salt Road Ledgers",
            )
            if series is None:
                series = work.series_works.get().series
                series.description = "Stories from the harbour at the end of the salt road."
                series.save()
            self._hits(work, 80 - 20 * index)

    def _embers(self, author, *, published):
        work = create_work(
            creator=author,
            fields={
                "title": "Embers Under Glass",
                "summary": (
                    "After the siege of the academy observatory, Captain Renna Holt and "
                    "Ilse Varga take stock of what survived, and of each other."
                ),
                "notes": "Please mind the tags: the battle is described in some detail.",
                "language": "en",
                "expected_chapters": 1,
                "published_at": published,
            },
            tag_names=_tags(
                "Mature",
                ["Graphic Depictions Of Violence"],
                [STARFALL],
                categories=["F/F"],
                relationships=["Renna Holt/Ilse Varga"],
                characters=["Renna Holt", "Ilse Varga"],
                extra=["Post-Battle", "Hurt/Comfort", "Established Relationship"],
            ),
            chapter={
                "body": """\
The observatory dome had cracked in seven places. Renna counted them from the floor, where
she lay because standing had become a matter for later.

Ilse found her there. There was blood on Ilse's sleeve that was not Ilse's, and soot on her
face that was, and she knelt down in the broken glass as though it were grass.

"You held the stair," Ilse said.

"I held *a* stair. There were three." Renna's laugh came out wrong, and hurt on the way.

Above them the telescope, undamaged by some miracle of brass and spite, still tracked the
star it had been set to follow before the siege began, turning slowly, patiently, as if
nothing at all had happened.
""",
            },
        )
        self._hits(work, 133)

    def _prompt_works(self, author, second, collection):
        answers = [
            (
                second,
                2,
                {
                    "title": "Dear Keeper (Not Sent)",
                    "summary": "Tobin writes a letter to Ysolde and puts it in a bottle instead.",
                },
                _tags(
                    "General Audiences",
                    ["No Archive Warnings Apply"],
                    [VELL_SYNONYM],
                    categories=["Gen"],
                    relationships=["Ysolde Marr & Tobin Ashe"],
                    characters=["Tobin Ashe"],
                    extra=["Epistolary", "Letters", "Pining"],
                ),
                """\
Dear Ysolde,

You will say I should have just told you. You will be right, which is the worst part of
knowing you: you are right about things in advance.

The thirteenth barrel was mine. I ordered the lamp from a catalogue of things that should
not exist, with money I had been saving for a boat. I wanted you to have one mystery that
was kind.

I am putting this in a bottle, which is cowardly, and throwing it from the pier, which is
also cowardly but further away.

Yours, in oil and biscuits, \\
Tobin
""",
            ),
            (
                author,
                1,
                {
                    "title": "Frost on the Practice Swords",
                    "summary": "The first cold morning at Starfall Academy. Nobody wants to spar.",
                },
                _tags(
                    "Teen And Up Audiences",
                    ["Creator Chose Not To Use Archive Warnings"],
                    [STARFALL],
                    categories=["Gen"],
                    characters=["Renna Holt", "Cadet Oren Pike"],
                    extra=["Academy Life", "Friendship", "Cold Weather"],
                ),
                """\
The swords had frozen to the rack overnight. Cadet Oren Pike took this as a sign from the
heavens that practice was cancelled.

Instructor Holt took it as a sign that somebody should fetch hot water.

*Guess who,* Oren thought, and went.
""",
            ),
        ]
        for creator, day, fields, tag_names, body in answers:
            tag_names[TagType.PROMPT] = [prompt_tag_name(day, PROMPTS[day - 1][1])]
            work = create_work(
                creator=creator,
                fields={**fields, "language": "en", "expected_chapters": 1},
                tag_names=tag_names,
                chapter={"body": body},
                collections=[collection],
            )
            self._hits(work, 40 + day)

    def _markdown_showcase(self, author):
        create_work(
            creator=author,
            fields={
                "title": "A Field Guide to Imaginary Weather",
                "summary": "Seven kinds of weather that do not exist, described with care.",
                "notes": "Written to show off what the archive's *Markdown* can do.",
                "endnotes": "Thanks for reading. Tell me your own imaginary weather!",
                "language": "en",
                "expected_chapters": 1,
            },
            tag_names=_tags(
                "General Audiences",
                ["No Archive Warnings Apply"],
                [ORIGINAL],
                categories=["Other"],
                extra=["Worldbuilding", "Lists", "Whimsy", "Not Really A Story"],
            ),
            chapter={
                "title": "Seven Weathers",
                "body": """\
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
""",
            },
        )

    def _restricted(self, author):
        work = create_work(
            creator=author,
            fields={
                "title": "A Map Drawn From Memory",
                "summary": "Only for logged-in readers: a cartographer who can't go home.",
                "language": "en",
                "expected_chapters": None,
                "restricted": True,
            },
            tag_names=_tags(
                "Teen And Up Audiences",
                ["No Archive Warnings Apply"],
                [ORIGINAL],
                categories=["Gen"],
                characters=["The Cartographer"],
                extra=["Homesickness", "Maps", "Work In Progress"],
            ),
            chapter={
                "title": "North Is a Feeling",
                "body": """\
The cartographer drew her home town every night, and every night it came out slightly
different: the bakery a street further east, the river wider, the bridge gone.

She began to suspect that the map was right and her memory was wrong.
""",
            },
        )
        self._hits(work, 12)

    def _draft(self, author):
        create_work(
            creator=author,
            fields={
                "title": "Notes Toward a Winter Story (draft)",
                "summary": "Not posted yet: only its author sees it, on the dashboard.",
                "language": "en",
                "expected_chapters": None,
            },
            tag_names=_tags("Not Rated", ["Creator Chose Not To Use Archive Warnings"], [ORIGINAL]),
            chapter={"body": "Snow. A locked greenhouse. Someone has been watering the plants."},
            post=False,
        )

    def _wrangle(self):
        """What a tag wrangler would do: canonical fandoms under their media, characters and
        relationships under their fandoms, and one synonym."""

        def tag(name):
            return Tag.objects.get(name=name)

        for fandom, medium in FANDOM_MEDIA.items():
            tag_set_canonical(tag=tag(fandom))
            tag_add_parent(tag=tag(fandom), parent=Tag.objects.get(type=TagType.MEDIA, name=medium))
        for character, fandom in CHARACTER_FANDOMS.items():
            tag_set_canonical(tag=tag(character))
            tag_add_parent(tag=tag(character), parent=tag(fandom))
        for relationship, parents in RELATIONSHIP_PARENTS.items():
            tag_set_canonical(tag=tag(relationship))
            for parent in parents:
                tag_add_parent(tag=tag(relationship), parent=tag(parent))
        tag_make_synonym(tag=tag(VELL_SYNONYM), canonical=tag(VELL))

    def _hits(self, work: Work, hits: int):
        WorkStats.objects.filter(work=work).update(hits=hits)
