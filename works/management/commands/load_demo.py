"""Load a small, original demo archive: two authors, a moderator, works in several fandoms.

Every story, note and name here was written for this project. Running the command again
changes nothing: it finds the demo accounts and stops.
"""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from archive.services.invitations import invite_request_add
from archive.site import site_url
from tags.models import Tag, TagType
from tags.services import tag_add_parent, tag_make_synonym, tag_resolve, tag_set_canonical
from works.demo.assignments import load_exchange
from works.demo.content import (
    AUTHOR,
    AUTHOR_BIO,
    AUTHOR_INVITATIONS,
    CHARACTER_FANDOMS,
    COLLECTION_NAME,
    DEMO_PASSWORD,
    FANDOM_MEDIA,
    LAMP_CHAPTERS,
    LAMP_DRAFT_CHAPTER,
    MODERATOR,
    MODERATOR_PERMISSIONS,
    OLD_ARCHIVE,
    OLD_ARCHIVE_DUMP,
    ORIGINAL,
    PROMPTS,
    QUEUED_EMAILS,
    RELATIONSHIP_PARENTS,
    SALT_ROAD,
    SECOND_AUTHOR,
    SECOND_PSEUD,
    SECOND_PSEUD_DESCRIPTION,
    SERIES_PARTS,
    SHOWCASE_BODY,
    STARFALL,
    VELL,
    VELL_SYNONYM,
    add_chapter,
    cocreated_works,
    create_work,
    demo_tags,
    gift_work,
    orphaned_work,
    prompt_tag_name,
)
from works.demo.history import demo_history
from works.demo.promptmeme import load_prompt_meme
from works.demo.signups import load_signups_demo
from works.demo.tag_sets import demo_tag_set
from works.demo.tokens import demo_token
from works.models import ArchiveImport, Collection, CollectionPrompt, Work, WorkStats
from works.services import archive_imports
from works.services.feedback import bookmark_save, comment_add, kudos_add, subscription_add
from works.services.pseuds import profile_update, pseud_create


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
        token = demo_token(get_user_model().objects.get(username=AUTHOR))
        self.stdout.write(
            "\n"
            f"  Demo author:    {AUTHOR} / {DEMO_PASSWORD}\n"
            f"  Second author:  {SECOND_AUTHOR} / {DEMO_PASSWORD}\n"
            f"  Moderator:      {MODERATOR} / {DEMO_PASSWORD}  (staff, admin at /admin/)\n"
            f"  Log in at {site_url(reverse('login'))}\n"
            f"  Sign-up is {settings.ARCHIVE_SIGNUP} (ARCHIVE_SIGNUP=invite for the queue)\n"
            f"  Import works at {site_url(reverse('works:import'))} (a sample file is linked "
            f"there); {AUTHOR} can claim a story of {OLD_ARCHIVE} at "
            f"{site_url(reverse('works:claim'))} (the email is printed on the console)\n"
            f"  API: {site_url('/api/v1/docs')}; a token for {AUTHOR} (every scope, made afresh "
            f"on each start, listed at {site_url(reverse('user_tokens', args=[AUTHOR]))}):\n"
            f"    curl -H 'Authorization: Bearer {token}' {site_url('/api/v1/me')}\n"
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
        profile_update(user=author, bio=AUTHOR_BIO)
        cartographer = pseud_create(
            user=second, name=SECOND_PSEUD, description=SECOND_PSEUD_DESCRIPTION
        )

        today = timezone.localdate()
        collection = self._collection(owner=second)
        # Issue 20, part 5: a prompt meme (its fill first, so the newest works stay the ones
        # the home page has always shown).
        load_prompt_meme(owner=second, prompters=[second, moderator], claimer=author)
        lamp = self._lamp(author, published=today - datetime.timedelta(days=40))
        self._lamp_feedback(lamp, readers=[second, moderator])
        self._salt_road_series(second, today)
        self._embers(author, published=today - datetime.timedelta(days=12))
        self._prompt_works(author, second, collection)
        self._markdown_showcase(second, cartographer)
        self._restricted(author)
        self._draft(author)
        orphaned_work(second)  # orphaned under its author's name (AO3's orphaning)
        gift_work(second, recipient=AUTHOR)  # in /users/demo_author/gifts, to refuse or keep
        cocreated_works(author, second, cartographer)  # co-creators, one still invited
        load_exchange(owner=second, author=author)  # issue 20: a gift exchange, assignments sent
        self._wrangle()
        self._invitations(author)
        self._old_archive()
        load_signups_demo(owner=second, moderator=moderator, participant=author)
        demo_tag_set(owner=second, moderator=author, nominators=[moderator, author])

    def _lamp_feedback(self, work, *, readers):
        """Kudos (from its chapters' pages and from the whole work), a comment, a bookmark and
        a subscription on the lamp, through the services, so its page, its creator's /stats
        and its stats page (today's row) agree."""
        chapters = list(work.chapters.posted().order_by("position"))
        first, second = readers
        kudos_add(work=work, user=first, ip=None, from_chapter_id=chapters[0].pk)
        kudos_add(work=work, user=second, ip=None)
        for n, chapter in enumerate(chapters):
            kudos_add(work=work, user=None, ip=f"192.0.2.{n + 10}", from_chapter_id=chapter.pk)
        comment_add(
            chapter=chapters[0],
            user=first,
            content="The ledger entries in the margins had me checking the tide tables myself.",
        )
        bookmark_save(user=second, work=work, notes="For a stormy evening.")
        subscription_add(user=first, work=work)

    def _old_archive(self):
        """A closed archive moved here: works/demo/files/tidewater-archive.sql imported as
        `manage.py import_efiction` would, but run to the end now rather than on the queue.
        One of its authors used the demo author's email, so the demo author can claim."""
        run = archive_imports.archive_import_start(path=str(OLD_ARCHIVE_DUMP), name=OLD_ARCHIVE)
        while True:
            run.refresh_from_db()
            if run.status == ArchiveImport.Status.FINISHED:
                return
            if not archive_imports.archive_import_task.call(import_id=run.pk):
                return

    def _invitations(self, author):
        """A few people in the invitation queue, and invitations for the author to give."""
        for email in QUEUED_EMAILS:
            invite_request_add(email=email)
        author.invitations_left = AUTHOR_INVITATIONS
        author.save(update_fields=["invitations_left"])

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
            tag_names=demo_tags(
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
        # Its creator's stats page (/works/<id>/stats) has every day since it was posted.
        demo_history(work, today=timezone.localdate(), total_hits=214)
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
                tag_names=demo_tags(
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
            tag_names=demo_tags(
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
                demo_tags(
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
                demo_tags(
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

    def _markdown_showcase(self, author, pseud):
        create_work(
            creator=author,
            pseud=pseud,
            fields={
                "title": "A Field Guide to Imaginary Weather",
                "summary": "Seven kinds of weather that do not exist, described with care.",
                "notes": "Written to show off what the archive's *Markdown* can do.",
                "endnotes": "Thanks for reading. Tell me your own imaginary weather!",
                "language": "en",
                "expected_chapters": 1,
            },
            tag_names=demo_tags(
                "General Audiences",
                ["No Archive Warnings Apply"],
                [ORIGINAL],
                categories=["Other"],
                extra=["Worldbuilding", "Lists", "Whimsy", "Not Really A Story"],
            ),
            chapter={
                "title": "Seven Weathers",
                "body": SHOWCASE_BODY,
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
            tag_names=demo_tags(
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
            tag_names=demo_tags(
                "Not Rated", ["Creator Chose Not To Use Archive Warnings"], [ORIGINAL]
            ),
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
