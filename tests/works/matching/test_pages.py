"""/collections/<name>/potential_matches and its actions, as the collection's moderators use
them; everyone else gets 404 and learns nothing (the access-matrix cases are here too)."""

import pytest
from django.contrib.auth.models import Permission
from django.test import Client

from tests.factories import make_user
from tests.works.matching.factories import make_exchange, make_signup
from works.models import Assignment, ChallengeAction, Collection, MatchRun, PotentialMatch

pytestmark = pytest.mark.django_db

URL = "/collections/yulelog/potential_matches"


@pytest.fixture
def exchange():
    challenge = make_exchange()
    moderator = make_user(username="yulemod")
    challenge.collection.moderators.add(moderator)
    people = [
        make_signup(
            challenge,
            "annwriter",
            requests=[("Discworld", "Vimes")],
            offers=[("Moomins", "Snufkin")],
        ),
        make_signup(
            challenge, "bowriter", requests=[("Moomins", "Snufkin")], offers=[("Earthsea", "Ged")]
        ),
        make_signup(
            challenge, "cywriter", requests=[("Earthsea", "Ged")], offers=[("Discworld", "Vimes")]
        ),
        make_signup(
            challenge, "deewriter", requests=[("Narnia", "Lucy")], offers=[("Narnia", "Lucy")]
        ),
    ]
    return challenge, moderator, people


def client_for(user):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def test_a_moderator_generates_and_reviews_the_matches(exchange):
    challenge, moderator, _people = exchange
    client = client_for(moderator)
    page = client.get(URL).content.decode()
    assert "No potential matches generated yet!" in page
    response = client.post(f"{URL}/generate")
    assert response.status_code == 302 and response["Location"] == URL
    page = client.get(URL).content.decode()
    assert "Main Assignments" in page
    assert "Participants with No Potential Givers" in page  # Dee asked for Narnia
    assert "Participants with No Potential Recipients" in page  # and only offers Narnia
    assert "deewriter" in page and "annwriter" in page and "cywriter" in page
    assert "3 of 4" in page  # good matches of the participants
    assert MatchRun.objects.get().requested_by == moderator


def test_the_owner_swaps_a_giver_and_is_warned_of_a_pair_outside_the_rules(exchange):
    challenge, _moderator, (ann, _bo, _cy, dee) = exchange
    client = client_for(challenge.collection.owner)
    client.post(f"{URL}/generate")
    # Dee offers nothing Ann asked for: allowed, with a warning, and marked on the page.
    PotentialMatch.objects.create(challenge=challenge, giver=dee, recipient=ann)
    response = client.post(f"{URL}/swap", {"recipient": ann.pk, "giver": dee.pk}, follow=True)
    page = response.content.decode()
    assert "deewriter now writes for annwriter." in page
    assert "does not meet the challenge" in page
    assert "(not a match under the rules)" in page
    assert PotentialMatch.objects.get(recipient=ann, assigned=True).giver == dee
    assert ChallengeAction.objects.filter(action="swap_givers", actor=challenge.collection.owner)


def test_a_refused_swap_says_why_and_changes_nothing(exchange):
    challenge, moderator, (ann, bo, _cy, _dee) = exchange
    client = client_for(moderator)
    client.post(f"{URL}/generate")
    before = set(PotentialMatch.objects.filter(assigned=True).values_list("giver", "recipient"))
    response = client.post(f"{URL}/swap", {"recipient": ann.pk, "giver": bo.pk}, follow=True)
    assert "their own gift" in response.content.decode()
    after = set(PotentialMatch.objects.filter(assigned=True).values_list("giver", "recipient"))
    assert before == after
    # A sign-up of another challenge, or no number at all, is simply not found.
    other = make_exchange(name="otherfest")
    stranger = make_signup(other, "stranger", requests=[("Discworld", "Vimes")])
    assert (
        client.post(f"{URL}/swap", {"recipient": ann.pk, "giver": stranger.pk}).status_code == 404
    )
    assert client.post(f"{URL}/swap", {"recipient": "１", "giver": "x"}).status_code == 404


def test_regenerating_one_person_from_the_page(exchange):
    challenge, moderator, (_ann, _bo, _cy, dee) = exchange
    client = client_for(moderator)
    client.post(f"{URL}/generate")
    response = client.post(f"{URL}/regenerate", {"signup": dee.pk}, follow=True)
    assert "nobody free can write for them" in response.content.decode()
    assert ChallengeAction.objects.filter(action="regenerate_match").count() == 1


def test_sending_asks_first_then_makes_the_assignments(exchange):
    challenge, moderator, _people = exchange
    client = client_for(moderator)
    client.post(f"{URL}/generate")
    confirm = client.get(f"{URL}/send").content.decode()
    assert "3 participants of 4 have a giver" in confirm
    assert not Assignment.objects.exists()
    response = client.post(f"{URL}/send", follow=True)
    assert "4 assignments were sent." in response.content.decode()
    assert Assignment.objects.filter(challenge=challenge).count() == 4
    page = client.get(URL).content.decode()
    assert "The assignments were sent" in page
    assert "Regenerate All Potential Matches" not in page and 'name="giver"' not in page
    again = client.post(f"{URL}/send", follow=True).content.decode()
    assert "were sent" in again
    assert Assignment.objects.count() == 4


def test_the_review_page_costs_the_same_queries_for_more_people(
    exchange, django_assert_max_num_queries
):
    challenge, moderator, _people = exchange
    client = client_for(moderator)
    client.post(f"{URL}/generate")
    for n in range(12):
        make_signup(
            challenge,
            f"extra{n}",
            requests=[("Discworld", "Vimes")],
            offers=[("Discworld", "Vimes")],
        )
    client.post(f"{URL}/generate")
    with django_assert_max_num_queries(14):
        page = client.get(URL)
    assert page.status_code == 200 and "extra11" in page.content.decode()


# Who may see it: the collection's owner and moderators; anyone else (a site moderator too,
# who has the admin) gets 404 and none of the participants' names; a guest the log-in page.

VIEWERS = ["guest", "participant", "other", "site_moderator", "moderator", "owner"]
ACTION_URLS = ["/generate", "/swap", "/regenerate", "/send"]


@pytest.mark.parametrize("viewer", VIEWERS)
def test_only_the_collections_staff_reach_the_matches(viewer, exchange):
    challenge, moderator, (ann, _bo, cy, _dee) = exchange
    client_for(challenge.collection.owner).post(f"{URL}/generate")
    site_moderator = make_user(username="sitemod", is_staff=True)
    site_moderator.user_permissions.add(Permission.objects.get(codename="change_work"))
    users = {
        "guest": None,
        "participant": ann.user,
        "other": make_user(username="passerby"),
        "site_moderator": site_moderator,
        "moderator": moderator,
        "owner": challenge.collection.owner,
    }
    client = client_for(users[viewer])
    staff = viewer in ("moderator", "owner")
    before = list(PotentialMatch.objects.filter(assigned=True).values_list("giver", "recipient"))
    for url in [URL, f"{URL}/send"]:
        response = client.get(url)
        if staff:
            assert response.status_code == 200, url
        else:
            assert response.status_code in ({302} if viewer == "guest" else {404}), url
            assert "cywriter" not in response.content.decode()
            if viewer == "guest":
                assert "/users/login" in response["Location"]
    if not staff:
        for suffix in ACTION_URLS:
            response = client.post(
                f"{URL}{suffix}", {"recipient": ann.pk, "giver": cy.pk, "signup": ann.pk}
            )
            assert response.status_code == (302 if viewer == "guest" else 404), suffix
        after = list(PotentialMatch.objects.filter(assigned=True).values_list("giver", "recipient"))
        assert after == before
        assert MatchRun.objects.count() == 1 and not Assignment.objects.exists()
        assert not ChallengeAction.objects.exclude(action="generate_matches").exists()


def test_a_collection_that_is_not_a_gift_exchange_has_no_matching(exchange):
    _challenge, _moderator, _people = exchange
    plain = Collection.objects.create(name="plainbox", title="Plain", owner=make_user())
    client = client_for(plain.owner)
    assert client.get("/collections/plainbox/potential_matches").status_code == 404
    assert client.post("/collections/plainbox/potential_matches/generate").status_code == 404


def test_long_sections_show_their_first_people_and_how_many_there_are(exchange, monkeypatch):
    challenge, moderator, _people = exchange
    make_signup(challenge, "eveonly", requests=[("Oz", "Dorothy")], offers=[("Oz", "Dorothy")])
    client = client_for(moderator)
    client.post(f"{URL}/generate")
    monkeypatch.setattr("works.pages.matching.SECTION_LIMIT", 1)
    page = client.get(URL).content.decode()
    assert page.count("Showing the first 1 of 2.") == 2  # no potential givers, nor recipients


def test_the_collection_links_its_staff_to_matching_and_the_log_names_each_action(exchange):
    challenge, moderator, (ann, *_rest) = exchange
    client = client_for(moderator)
    client.post(f"{URL}/generate")
    assert f'href="{URL}"' in client.get("/collections/yulelog").content.decode()
    participant = client_for(ann.user).get("/collections/yulelog").content.decode()
    assert f'href="{URL}"' not in participant
    log = client.get("/collections/yulelog/challenge/log").content.decode()
    assert "Generated potential matches" in log
    page = client.get(URL).content.decode()
    assert f'href="/collections/yulelog/signups/{ann.pk}"' in page  # each person's sign-up
