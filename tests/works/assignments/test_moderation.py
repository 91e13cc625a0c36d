"""/collections/<name>/assignments: the moderators see who has posted, defaulted and pinch
hits; they default, undefault and give pinch hits, each written to the audit."""

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.utils import timezone

from archive.models import InboxItem
from tests.factories import make_user, make_work
from tests.works.assignments.helpers import (
    REQUEST,
    make_assignment,
    make_exchange,
    make_signup,
)
from works.models import Assignment, ChallengeAction

pytestmark = pytest.mark.django_db
URL = "/collections/winterswap/assignments"


@pytest.fixture
def world():
    mod = make_user(username="swapmod")
    challenge = make_exchange(moderators=[mod])
    signups = {
        name: make_signup(challenge, make_user(username=name), requests=[REQUEST])
        for name in ("ana", "ben", "cleo", "dev")
    }
    volunteer = make_signup(challenge, make_user(username="vol"), pinch_hitter=True)
    open_ = make_assignment(challenge, giver=signups["ana"], recipient=signups["ben"])
    defaulted = make_assignment(
        challenge, giver=signups["ben"], recipient=signups["cleo"], defaulted_at=timezone.now()
    )
    work = make_work(creator=signups["cleo"].user, title="Cold Light Gift")
    done = make_assignment(
        challenge,
        giver=signups["cleo"],
        recipient=signups["dev"],
        work=work,
        fulfilled_at=timezone.now(),
    )
    client = Client()
    client.force_login(mod)
    return {
        "challenge": challenge,
        "open": open_,
        "defaulted": defaulted,
        "done": done,
        "volunteer": volunteer,
        "client": client,
        "mod": mod,
    }


def test_the_tabs_show_defaulted_open_and_complete_assignments(world):
    client = world["client"]
    defaulted = client.get(URL).content.decode()
    assert "Defaulted Assignments" in defaulted
    assert f'id="assignment_{world["defaulted"].pk}"' in defaulted
    assert f'id="assignment_{world["open"].pk}"' not in defaulted
    assert 'name="cover_' in defaulted and "vol" in defaulted  # the volunteers offered
    open_ = client.get(URL + "?unfulfilled=true").content.decode()
    assert f'id="assignment_{world["open"].pk}"' in open_
    assert "Not yet posted" in open_
    complete = client.get(URL + "?fulfilled=true").content.decode()
    assert f'id="assignment_{world["done"].pk}"' in complete
    assert "Gift posted on" in complete
    assert "1 of 3 assignments posted." in complete


def test_only_the_collections_owner_and_moderators_see_it(world):
    for login in ("ana", "vol"):
        other = Client()
        other.force_login(get_user_model().objects.get(username=login))
        response = other.get(URL)
        assert response.status_code == 404
        assert b"for ben" not in response.content
        assert other.post(URL, {f"default_{world['open'].pk}": "on"}).status_code == 404
    assert Client().get(URL).status_code == 302
    owner = Client()
    owner.force_login(world["challenge"].collection.owner)
    assert owner.get(URL).status_code == 200
    assert Assignment.objects.get(pk=world["open"].pk).defaulted_at is None


def test_a_collection_that_is_no_gift_exchange_has_no_assignments_page(world):
    world["challenge"].kind = "prompt_meme"
    world["challenge"].save()
    assert world["client"].get(URL).status_code == 404


def test_a_pinch_hit_goes_to_a_volunteer_who_is_told(world, django_capture_on_commit_callbacks):
    defaulted = world["defaulted"]
    with django_capture_on_commit_callbacks(execute=True):
        response = world["client"].post(URL, {f"cover_{defaulted.pk}": "vol"}, follow=True)
    assert "Assignment updates complete!" in response.content.decode()
    defaulted.refresh_from_db()
    assert defaulted.pinch_hitter.username == "vol" and defaulted.covered_at
    assert [m.to for m in mail.outbox] == [["vol@example.org"]]
    assert mail.outbox[0].subject == "[Winter Swap] Your pinch hit assignment"
    assert "Lighthouse keepers in winter" in mail.outbox[0].body
    assert InboxItem.objects.filter(recipient__username="vol", kind="assign").count() == 1
    action = ChallengeAction.objects.get(action="pinch_hit")
    assert action.actor == world["mod"] and "vol" in action.detail
    # The volunteer now has it on their own page, and it is on the Pinch Hits tab.
    vol = Client()
    vol.force_login(defaulted.pinch_hitter)
    assert "for cleo" in vol.get("/users/vol/assignments").content.decode()
    tab = world["client"].get(URL + "?pinch_hit=true").content.decode()
    assert f'id="assignment_{defaulted.pk}"' in tab


def test_anyone_may_be_named_as_pinch_hitter_but_not_the_recipient_or_nobody(world):
    defaulted = world["defaulted"]
    make_user(username="outsider")
    client = world["client"]
    response = client.post(URL, {f"cover_{defaulted.pk}": "nobody-here"}, follow=True)
    assert "find the user nobody-here" in response.content.decode()
    response = client.post(URL, {f"cover_{defaulted.pk}": "cleo"}, follow=True)
    assert "cannot write their own gift" in response.content.decode()
    assert Assignment.objects.get(pk=defaulted.pk).pinch_hitter is None
    client.post(URL, {f"cover_{defaulted.pk}": "outsider"})
    assert Assignment.objects.get(pk=defaulted.pk).pinch_hitter.username == "outsider"


def test_moderators_default_and_undefault_and_the_giver_hears_of_it(
    world, django_capture_on_commit_callbacks
):
    open_, defaulted = world["open"], world["defaulted"]
    with django_capture_on_commit_callbacks(execute=True):
        world["client"].post(URL + "?unfulfilled=true", {f"default_{open_.pk}": "on"})
        world["client"].post(URL, {f"undefault_{defaulted.pk}": "on"})
    assert Assignment.objects.get(pk=open_.pk).defaulted_at is not None
    assert Assignment.objects.get(pk=defaulted.pk).defaulted_at is None
    subjects = {m.to[0]: m.subject for m in mail.outbox}
    assert subjects == {
        "ana@example.org": "[Winter Swap] Your assignment was marked defaulted",
        "ben@example.org": "[Winter Swap] Your assignment is yours again",
    }
    actions = set(ChallengeAction.objects.values_list("action", "actor__username"))
    assert actions == {("assignment_default", "swapmod"), ("assignment_undefault", "swapmod")}


def test_a_form_posted_for_another_tab_changes_nothing(world):
    # The fields are made from the listed assignments: an id from elsewhere is ignored.
    world["client"].post(URL, {f"default_{world['open'].pk}": "on"})
    assert Assignment.objects.get(pk=world["open"].pk).defaulted_at is None


def test_each_tab_costs_a_fixed_number_of_queries(world, django_assert_max_num_queries):
    challenge = world["challenge"]
    for _ in range(6):
        make_assignment(
            challenge,
            giver=make_signup(challenge, requests=[REQUEST]),
            recipient=make_signup(challenge, requests=[REQUEST]),
            defaulted_at=timezone.now(),
        )
    for query in ("", "?unfulfilled=true", "?pinch_hit=true", "?fulfilled=true"):
        with django_assert_max_num_queries(10):
            assert world["client"].get(URL + query).status_code == 200


def test_the_collection_links_its_moderators_to_the_assignments_and_the_log_names_actions(
    world,
):
    client = world["client"]
    page = client.get("/collections/winterswap").content.decode()
    assert f'href="{URL}"' in page
    participant = Client()
    participant.force_login(get_user_model().objects.get(username="ana"))
    assert f'href="{URL}"' not in participant.get("/collections/winterswap").content.decode()
    client.post(URL, {f"cover_{world['defaulted'].pk}": "vol"})
    log = client.get("/collections/winterswap/challenge/log").content.decode()
    assert "Gave a pinch hit" in log


def test_a_recipient_nobody_was_matched_to_waits_for_a_pinch_hit(world):
    challenge = world["challenge"]
    lonely = make_assignment(
        challenge, giver=None, recipient=make_signup(challenge, make_user(username="lonely"))
    )
    client = world["client"]
    defaulted = client.get(URL).content.decode()
    assert f'id="assignment_{lonely.pk}"' in defaulted and "No Giver!" in defaulted
    assert (
        f'id="assignment_{lonely.pk}"' not in client.get(URL + "?unfulfilled=true").content.decode()
    )
    client.post(URL, {f"cover_{lonely.pk}": "vol"})
    lonely.refresh_from_db()
    assert lonely.pinch_hitter.username == "vol"
    vol = Client()
    vol.force_login(lonely.pinch_hitter)
    assert "for lonely" in vol.get("/users/vol/assignments").content.decode()
