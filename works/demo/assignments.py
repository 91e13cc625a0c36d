"""Demo (issue 20, part 4): a gift exchange whose assignments were sent.

"Midwinter Lights Swap" is run by the second author. The demo author has an assignment to
write (/users/demo_author/assignments, with its "Fulfill" and "Default" actions) and offered
to pinch hit; one participant already posted their gift (a Mystery Work until the reveal
date), another defaulted, so the owner's /collections/midwinter_lights_swap/assignments shows
a defaulted assignment waiting for a pinch hitter. Reveal dates are a few weeks away.
Every name and text here was written for this project.
"""

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from tags.models import TagType
from tags.services import tag_resolve
from works.demo.content import DEMO_PASSWORD, STARFALL, VELL, create_work, demo_tags
from works.models import Assignment, Challenge, Collection, Prompt, Signup
from works.services.assignments import assignments_fulfil, assignments_notify

EXCHANGE_NAME = "midwinter_lights_swap"
PARTICIPANTS = ("keel_and_quill", "fogbell")

REQUESTS = {
    "demo_author": [
        (
            "Two keepers, one storm",
            {TagType.FANDOM: [VELL], TagType.CHARACTER: ["Ysolde Marr"]},
            "I would love the night the lamp nearly went out, told from the boat.",
        )
    ],
    "harbour_quill": [
        (
            "After the last exam",
            {TagType.FANDOM: [STARFALL], TagType.FREEFORM: ["Found Family"]},
            "Anything quiet and hopeful: the first morning with nothing due.",
        )
    ],
    "keel_and_quill": [
        (
            "The keeper's apprentice",
            {TagType.FANDOM: [VELL], TagType.FREEFORM: ["Apprenticeship"]},
            "Someone learning the lamp for the first time. Mistakes welcome.",
        )
    ],
    "fogbell": [
        (
            "Letters across the strait",
            {TagType.FANDOM: [VELL], TagType.FREEFORM: ["Epistolary"]},
            "A story told in letters carried by the supply boat.",
        )
    ],
}


def _signup(challenge, user, *, pinch_hitter=False):
    signup = Signup.objects.create(
        challenge=challenge,
        user=user,
        pseud=user.pseuds.get(is_default=True),
        pinch_hitter=pinch_hitter,
    )
    for position, (title, tags, description) in enumerate(REQUESTS[user.username], start=1):
        prompt = Prompt.objects.create(
            signup=signup,
            challenge=challenge,
            side=Prompt.Side.REQUEST,
            position=position,
            title=title,
            description=description,
        )
        prompt.tags.set(
            [tag_resolve(name, tag_type) for tag_type, names in tags.items() for name in names]
        )
    return signup


def load_exchange(*, owner, author) -> Challenge:
    now = timezone.now()
    collection = Collection.objects.create(
        name=EXCHANGE_NAME,
        title="Midwinter Lights Swap",
        owner=owner,
        description="A small gift exchange for the longest nights: one story given, one got.",
        is_anonymous=True,
        is_unrevealed=True,
    )
    challenge = Challenge.objects.create(
        collection=collection,
        kind=Challenge.Kind.GIFT_EXCHANGE,
        time_zone="Europe/Lisbon",
        signups_open_at=now - datetime.timedelta(days=30),
        signups_close_at=now - datetime.timedelta(days=10),
        assignments_due_at=now + datetime.timedelta(days=20),
        works_reveal_at=now + datetime.timedelta(days=27),
        creators_reveal_at=now + datetime.timedelta(days=34),
    )
    User = get_user_model()
    keel, fogbell = (
        User.objects.create_user(
            username=login, email=f"{login}@example.org", password=DEMO_PASSWORD
        )
        for login in PARTICIPANTS
    )
    mine = _signup(challenge, author, pinch_hitter=True)
    owners = _signup(challenge, owner)
    keels = _signup(challenge, keel)
    fogbells = _signup(challenge, fogbell)
    sent = {"challenge": challenge, "sent_at": now}
    Assignment.objects.create(giver=mine, recipient=fogbells, **sent)
    Assignment.objects.create(giver=owners, recipient=mine, **sent)
    Assignment.objects.create(giver=fogbells, recipient=keels, defaulted_at=now, **sent)
    posted = Assignment.objects.create(giver=keels, recipient=owners, **sent)
    gift = create_work(
        creator=keel,
        fields={
            "title": "The Morning With Nothing Due",
            "summary": "Starfall Academy, the day after the last exam.",
            "language": "en",
            "expected_chapters": 1,
        },
        tag_names=demo_tags(
            "General Audiences",
            ["No Archive Warnings Apply"],
            [STARFALL],
            categories=["Gen"],
            extra=["Found Family"],
        ),
        chapter={
            "body": "Nobody set an alarm. The dormitory kettle sang at noon, and that was all."
        },
        collections=[collection],
        recipients=[owner.username],
    )
    assignments_fulfil(work=gift, user=keel, assignments=[posted])
    assignments_notify(challenge)
    return challenge
