"""Demo content for tag sets (issue 20, part 2): a set for a small exchange with nominations
open, a few nominations waiting for review and two already reviewed (their nominator has them
in the inbox). Every name here was written for this project."""

import datetime

from django.utils import timezone

from tags.models import TagType
from works.demo.content import SALT_ROAD, STARFALL, VELL
from works.services.tag_nominations import Nominee, nominations_add, nominations_review
from works.services.tag_sets import tag_set_create

TAG_SET_TITLE = "Small Lights Exchange 2026"
TAG_SET_DESCRIPTION = (
    "The fandoms and characters of the *Small Lights* gift exchange. Nominate the small "
    "fandoms you would love to write or read for; the moderators review nominations daily."
)
CHARACTERS = {
    VELL: ["Ysolde Marr", "Tobin Ashe"],
    STARFALL: ["Renna Holt", "Ilse Varga"],
    SALT_ROAD: ["Imre Dalca"],
}


def demo_tag_set(*, owner, moderator, nominators):
    """The set, run by `owner` with `moderator`; `nominators` (two users) nominate."""
    now = timezone.now()
    tag_set = tag_set_create(
        owner=owner,
        moderators=[moderator],
        fields={
            "title": TAG_SET_TITLE,
            "description": TAG_SET_DESCRIPTION,
            "nominations_open_at": now - datetime.timedelta(days=2),
            "nominations_close_at": now + datetime.timedelta(days=12),
            "fandom_nominations": 2,
            "character_nominations": 3,
            "relationship_nominations": 1,
            "freeform_nominations": 1,
        },
        names={
            TagType.FANDOM: [VELL, STARFALL, SALT_ROAD],
            TagType.CHARACTER: [name for names in CHARACTERS.values() for name in names],
            TagType.FREEFORM: ["Found Family", "Letters"],
        },
        chosen={TagType.RATING: ["General Audiences", "Teen And Up Audiences"]},
    )
    first, second = nominators
    reviewed = nominations_add(
        tag_set=tag_set,
        nominator=first,
        nominees=[
            Nominee(TagType.FANDOM, "The Cartographer's Daughter (Radio)"),
            Nominee(TagType.FREEFORM, "Lanterns Everywhere"),
        ],
    )
    nominations_add(
        tag_set=tag_set,
        nominator=first,
        nominees=[Nominee(TagType.CHARACTER, "Wren Alder", SALT_ROAD)],
    )
    nominations_add(
        tag_set=tag_set,
        nominator=second,
        nominees=[
            Nominee(TagType.FANDOM, "Tidewater Ballads (Music)"),
            Nominee(TagType.CHARACTER, "The Ferryman", "Tidewater Ballads (Music)"),
            Nominee(TagType.RELATIONSHIP, "Renna Holt & Ilse Varga", STARFALL),
        ],
    )
    nominations_review(
        tag_set=tag_set, moderator=owner, approve=[reviewed[0]], reject=[reviewed[1]]
    )
    return tag_set
