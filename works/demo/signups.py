"""Demo (issue 20, part 1): a gift exchange open for sign-ups, run by the second author with
the demo moderator, that the demo author has signed up to. Every word here was written for
this project.

Made through the services, as a real owner and participant would: `challenge_save` with the
times in the owner's time zone, `signup_create` with typed tag names.
"""

import datetime
import zoneinfo

from django.utils import timezone

from works.demo.content import STARFALL, VELL
from works.models import Challenge, Collection, PromptRules
from works.services.challenge_settings import RULE_FIELDS, challenge_save
from works.services.signups import PromptEntry, signup_create

SWAP_NAME = "lantern_swap_2026"
SWAP_TIME_ZONE = "Europe/Lisbon"
REQUEST, OFFER = PromptRules.Side.REQUEST, PromptRules.Side.OFFER


def _rules(**values) -> dict:
    defaults = PromptRules()
    rules = {name: getattr(defaults, name) for name in RULE_FIELDS}
    rules.update(values)
    return rules


def load_signups_demo(*, owner, moderator, participant) -> Challenge:
    """The swap, open since two days ago and closing in two weeks (at 18:00 in Lisbon)."""
    collection = Collection.objects.create(
        name=SWAP_NAME,
        title="Lantern Swap 2026",
        owner=owner,
        description=(
            "A small winter gift exchange: ask for a story in one of your fandoms, offer to "
            "write in two, and on the longest night everyone gets a gift."
        ),
        is_anonymous=True,
        is_unrevealed=True,
    )
    collection.moderators.add(moderator)
    zone = zoneinfo.ZoneInfo(SWAP_TIME_ZONE)
    today = timezone.now().astimezone(zone).date()

    def at(days, hour):
        moment = datetime.datetime.combine(today + datetime.timedelta(days=days), datetime.time())
        return moment.replace(hour=hour, tzinfo=zone)

    challenge = challenge_save(
        collection=collection,
        actor=owner,
        fields={
            "kind": Challenge.Kind.GIFT_EXCHANGE,
            "time_zone": SWAP_TIME_ZONE,
            "signups_open_at": at(-2, 9),
            "signups_close_at": at(14, 18),
            "assignments_due_at": at(45, 18),
            "works_reveal_at": at(47, 12),
            "creators_reveal_at": at(54, 12),
            "signup_instructions": (
                "Ask for one or two stories and offer to write in at least one fandom. "
                "Say what you love in the description: your writer will read it closely."
            ),
            "requests_min": 1,
            "requests_max": 2,
            "offers_min": 1,
            "offers_max": 2,
            "match_fandoms": 1,
            "requests_summary_visible": True,
        },
        rules={
            REQUEST: _rules(character_max=3, relationship_max=1, freeform_max=3),
            OFFER: _rules(character_max=6, relationship_max=2, description_allowed=False),
        },
    )
    signup_create(
        challenge=challenge,
        user=participant,
        pseud=participant.pseuds.get(is_default=True),
        requests=[
            PromptEntry(
                title="The lamp in the off season",
                description=(
                    "Anything quiet about the keepers in the months no ship comes: mending "
                    "nets, long letters, a storm they only watch."
                ),
                tag_names={"fandom": [VELL], "freeform": ["Found Family"]},
            )
        ],
        offers=[
            PromptEntry(tag_names={"fandom": [VELL]}),
            PromptEntry(tag_names={"fandom": [STARFALL]}),
        ],
        pinch_hitter=True,
    )
    return challenge
