"""Challenge sign-up pages (issue 20, part 1): the owner's settings form (times in the owner's
time zone), the sign-up form, the moderators' list, the requests summary, the audit, and
the collection's challenge navigation."""

import datetime
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from tests.factories import make_challenge, make_signup, make_user
from works.models import Challenge, ChallengeAction, Collection, Signup

pytestmark = pytest.mark.django_db


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


def challenge_post(**overrides):
    data = {
        "kind": "gift_exchange",
        "time_zone": "UTC",
        "requests_min": "1",
        "requests_max": "2",
        "offers_min": "1",
        "offers_max": "1",
        "match_prompts": "1",
        "match_fandoms": "1",
        "match_characters": "0",
        "match_relationships": "0",
        "match_ratings": "0",
        "match_freeforms": "0",
    }
    for side in ("request", "offer"):
        for tag_type, least, most in (
            ("fandom", 1, 1),
            ("character", 0, 2),
            ("relationship", 0, 1),
            ("rating", 0, 1),
            ("freeform", 0, 2),
        ):
            data[f"{side}_{tag_type}_min"] = str(least)
            data[f"{side}_{tag_type}_max"] = str(most)
        data[f"{side}_title_allowed"] = "on"
        data[f"{side}_description_allowed"] = "on"
    data.update(overrides)
    return data


# The owner's settings ----------------------------------------------------------------------------


def test_the_owner_makes_a_collection_a_gift_exchange_in_their_time_zone():
    owner = make_user()
    collection = Collection.objects.create(name="winter", title="Winter Swap", owner=owner)
    client = logged_in(owner)
    page = client.get("/collections/winter/challenge/edit").content.decode()
    assert '<option value="UTC" selected>UTC</option>' in page
    response = client.post(
        "/collections/winter/challenge/edit",
        challenge_post(
            time_zone="America/New_York",
            signups_open_at="2027-01-10T09:00",
            signups_close_at="2027-01-20T17:30",
        ),
    )
    assert response.status_code == 302
    challenge = Challenge.objects.get(collection=collection)
    assert challenge.signups_open_at == datetime.datetime(2027, 1, 10, 14, 0, tzinfo=datetime.UTC)
    assert challenge.rules.get(side="request").character_max == 2
    page = client.get("/collections/winter").content.decode()
    assert "Gift Exchange" in page
    assert "Sun 10 Jan 2027 09:00" in page
    assert "America/New_York" in page
    # Editing shows the times as the owner typed them.
    page = client.get("/collections/winter/challenge/edit").content.decode()
    assert 'value="2027-01-20T17:30"' in page


def test_bad_settings_are_refused_keeping_what_was_typed():
    owner = make_user()
    Collection.objects.create(name="badset", title="Bad", owner=owner)
    response = logged_in(owner).post(
        "/collections/badset/challenge/edit",
        challenge_post(
            requests_min="3",
            requests_max="2",
            signups_open_at="2027-02-01T10:00",
            signups_close_at="2027-01-01T10:00",
            signup_instructions="Kept instructions",
        ),
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Cannot be more than the number allowed." in page
    assert "Sign-ups must close after they open." in page
    assert "Kept instructions" in page
    assert not Challenge.objects.exists()


@pytest.mark.parametrize("who", ["moderator", "other"])
def test_only_the_owner_reaches_the_challenge_settings(who):
    owner = make_user()
    challenge = make_challenge(owner=owner)
    user = make_user()
    if who == "moderator":
        challenge.collection.moderators.add(user)
    client = logged_in(user)
    url = f"/collections/{challenge.collection.name}/challenge/edit"
    assert client.get(url).status_code == 404
    assert client.post(url, challenge_post(kind="prompt_meme")).status_code == 404
    assert Challenge.objects.get(pk=challenge.pk).kind == "gift_exchange"


# Signing up ----------------------------------------------------------------------------------


def signup_post(**overrides):
    data = {"request_0_fandom": "Fandom A", "offer_0_fandom": "Fandom B"}
    data.update(overrides)
    return data


def test_signing_up_through_the_form(django_capture_on_commit_callbacks):
    challenge = make_challenge()
    user = make_user()
    client = logged_in(user)
    name = challenge.collection.name
    page = client.get(f"/collections/{name}/signups/new").content.decode()
    assert 'name="request_0_fandom"' in page
    assert 'name="offer_0_fandom"' in page
    data = signup_post(pseud=str(user.pseuds.get().pk), pinch_hitter="on")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/collections/{name}/signups/new", data)
    signup = Signup.objects.get(user=user)
    assert response["Location"] == f"/collections/{name}/signups/{signup.pk}"
    assert signup.pinch_hitter
    page = client.get(response["Location"]).content.decode()
    assert "Fandom A" in page and "Fandom B" in page
    assert len(mail.outbox) == 1
    # Signed up: the form sends them to their sign-up.
    assert client.get(f"/collections/{name}/signups/new")["Location"].endswith(str(signup.pk))


def test_a_refused_sign_up_shows_each_problem_next_to_its_field_and_keeps_the_text():
    challenge = make_challenge(rules={"request": {"character_min": 1, "character_max": 1}})
    user = make_user()
    response = logged_in(user).post(
        f"/collections/{challenge.collection.name}/signups/new",
        signup_post(
            pseud=str(user.pseuds.get().pk),
            request_0_character="Ann, Bea",
            request_0_description="My careful request text",
        ),
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Character: at most 1 tag is allowed." in page
    assert 'href="#field_request_0_character"' in page
    assert "My careful request text" in page
    assert not Signup.objects.exists()


def test_sign_up_is_closed_outside_the_window():
    challenge = make_challenge(signups_close_at=timezone.now() - datetime.timedelta(hours=1))
    client = logged_in(make_user())
    response = client.get(f"/collections/{challenge.collection.name}/signups/new")
    assert response.status_code == 302
    assert response["Location"] == f"/collections/{challenge.collection.name}"


def test_the_participant_edits_and_deletes_their_own_sign_up():
    challenge = make_challenge()
    user = make_user()
    signup = make_signup(challenge, user)
    client = logged_in(user)
    base = f"/collections/{challenge.collection.name}/signups/{signup.pk}"
    page = client.get(base + "/edit").content.decode()
    assert 'value="Fandom A"' in page
    response = client.post(
        base + "/edit", signup_post(pseud=str(signup.pseud_id), request_0_fandom="Fandom Z")
    )
    assert response.status_code == 302
    assert signup.prompts.get(side="request").tags.get().name == "Fandom Z"
    assert not ChallengeAction.objects.exists()  # a participant's own edit is not audited
    assert "Are you sure" in client.get(base + "/delete").content.decode()
    client.post(base + "/delete")
    assert not Signup.objects.exists()


def test_a_moderator_deletes_a_sign_up_and_the_log_shows_it(django_capture_on_commit_callbacks):
    challenge = make_challenge()
    moderator = make_user(username="signupmod")
    challenge.collection.moderators.add(moderator)
    signup = make_signup(challenge, make_user(username="gone", email="gone@example.org"))
    client = logged_in(moderator)
    name = challenge.collection.name
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/collections/{name}/signups/{signup.pk}/delete")
    assert response["Location"] == f"/collections/{name}/signups"
    assert mail.outbox[0].to == ["gone@example.org"]
    page = client.get(f"/collections/{name}/challenge/log").content.decode()
    assert "Deleted a sign-up" in page
    assert "signupmod" in page


# Privacy -------------------------------------------------------------------------------------

SECRET_REQUEST = "Quietly Requested Fandom"


@pytest.fixture
def private_world():
    owner = make_user(username="swapowner")
    moderator = make_user(username="swapmod")
    participant = make_user(username="swapper")
    challenge = make_challenge(owner=owner)
    challenge.collection.moderators.add(moderator)
    signup = make_signup(challenge, participant, requests=((SECRET_REQUEST,),))
    return {
        "challenge": challenge,
        "signup": signup,
        "users": {
            "guest": None,
            "other": make_user(username="swapstranger"),
            "other_participant": make_signup(challenge).user,
            "participant": participant,
            "owner": owner,
            "moderator": moderator,
        },
    }


@pytest.mark.parametrize(
    "viewer", ["guest", "other", "other_participant", "participant", "owner", "moderator"]
)
def test_a_sign_up_is_seen_by_its_participant_and_the_staff_only(viewer, private_world):
    user = private_world["users"][viewer]
    client = logged_in(user) if user else Client()
    name = private_world["challenge"].collection.name
    signup = private_world["signup"]
    sees = viewer in {"participant", "owner", "moderator"}
    staff = viewer in {"owner", "moderator"}
    for url, allowed in (
        (f"/collections/{name}/signups/{signup.pk}", sees),
        (f"/collections/{name}/signups/{signup.pk}/edit", sees),
        (f"/collections/{name}/signups/{signup.pk}/delete", sees),
        (f"/collections/{name}/signups", staff),
        (f"/collections/{name}/challenge/log", staff),
        (f"/collections/{name}/requests", staff),
    ):
        response = client.get(url)
        page = response.content.decode()
        if allowed:
            assert response.status_code == 200, url
        else:
            assert response.status_code in {302, 404}, url
            if response.status_code == 302:
                assert "/users/login" in response["Location"]
            assert SECRET_REQUEST not in page, url
            if viewer != "participant":  # (their own name is in the header)
                assert "swapper" not in page, url
    # Writes by those who may not see it change nothing.
    if not sees and user:
        client.post(f"/collections/{name}/signups/{signup.pk}/delete")
        client.post(f"/collections/{name}/signups/{signup.pk}/edit", signup_post())
    if not sees:
        assert signup.prompts.get(side="request").tags.get().name == SECRET_REQUEST


def test_the_public_requests_summary_never_names_who_asked(private_world):
    challenge = private_world["challenge"]
    Challenge.objects.filter(pk=challenge.pk).update(requests_summary_visible=True)
    name = challenge.collection.name
    page = Client().get(f"/collections/{name}/requests").content.decode()
    assert SECRET_REQUEST in page
    assert "swapper" not in page
    assert f"/signups/{private_world['signup'].pk}" not in page
    staff_page = logged_in(private_world["users"]["owner"]).get(f"/collections/{name}/requests")
    assert "by swapper" in staff_page.content.decode()


def test_the_requests_summary_counts_requests_and_offers_per_tag():
    challenge = make_challenge(requests_summary_visible=True)
    make_signup(challenge, requests=(("Popular",),), offers=(("Rare",),))
    make_signup(challenge, requests=(("Popular",),), offers=(("Popular",),))
    make_signup(challenge, requests=(("Rare",),), offers=(("Popular",),))
    page = Client().get(f"/collections/{challenge.collection.name}/requests").content.decode()
    table = page[page.index('id="challenge_summary"') :]
    # Fewest offers first: Rare (1 request, 1 offer), then Popular (2 requests, 2 offers).
    assert table.index("Rare") < table.index("Popular")
    assert '<span class="requested">2</span>' in table


# Navigation ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "viewer,expected",
    [
        ("guest", []),
        ("other", ["Sign Up"]),
        ("participant", ["My Sign-up"]),
        ("moderator", ["Sign Up", "Requests Summary", "Sign-ups", "Challenge Log"]),
        (
            "owner",
            ["Sign Up", "Requests Summary", "Sign-ups", "Challenge Log", "Challenge Settings"],
        ),
    ],
)
def test_the_collection_shows_the_challenge_pages_each_viewer_may_use(
    viewer, expected, private_world
):
    user = private_world["users"][viewer]
    client = logged_in(user) if user else Client()
    page = client.get(f"/collections/{private_world['challenge'].collection.name}")
    nav = page.content.decode().split('aria-label="Collection"')[1].split("</ul>")[0]
    labels = ["Sign Up", "My Sign-up", "Requests Summary", "Sign-ups", "Challenge Log"]
    labels.append("Challenge Settings")
    shown = [label for label in labels if f">{label}</a>" in nav]
    assert shown == expected


def test_the_owner_of_a_plain_collection_is_offered_to_make_it_a_challenge():
    owner = make_user()
    Collection.objects.create(name="plain", title="Plain", owner=owner)
    assert "Make this a Challenge" in logged_in(owner).get("/collections/plain").content.decode()
    assert "Make this a Challenge" not in Client().get("/collections/plain").content.decode()


# Cost ----------------------------------------------------------------------------------------


def test_the_sign_ups_list_costs_the_same_for_more_sign_ups(django_assert_max_num_queries):
    challenge = make_challenge()
    owner = challenge.collection.owner
    client = logged_in(owner)
    url = f"/collections/{challenge.collection.name}/signups"
    for _ in range(3):
        make_signup(challenge, requests=(("A",), ("B",)), offers=(("C",),))
    client.get(url)
    with django_assert_max_num_queries(12):
        page = client.get(url).content.decode()
    for _ in range(10):
        make_signup(challenge, requests=(("A",), ("B",)), offers=(("C",),))
    with django_assert_max_num_queries(12):
        page = client.get(url).content.decode()
    assert "13 sign-ups" in page


# Demo and admin ------------------------------------------------------------------------------


def test_the_demo_has_a_gift_exchange_open_for_sign_ups(client):
    call_command("load_demo", "--quiet-logins", stdout=StringIO())
    page = client.get("/collections/lantern_swap_2026").content.decode()
    assert "Gift Exchange" in page
    assert "Europe/Lisbon" in page
    author = get_user_model().objects.get(username="demo_author")
    signup = Signup.objects.get(user=author, challenge__collection__name="lantern_swap_2026")
    client.force_login(author)
    page = client.get("/collections/lantern_swap_2026").content.decode()
    assert f"/collections/lantern_swap_2026/signups/{signup.pk}" in page
    assert (
        "The lamp in the off season"
        in client.get(f"/collections/lantern_swap_2026/signups/{signup.pk}").content.decode()
    )


def test_the_admin_lists_every_challenge_model_and_keeps_the_audit_read_only(client):
    challenge = make_challenge()
    make_signup(challenge)
    ChallengeAction.objects.create(challenge=challenge, action="signup_deleted", detail="x")
    client.force_login(make_user(is_staff=True, is_superuser=True))
    for model in (
        "challenge",
        "signup",
        "prompt",
        "matchrun",
        "potentialmatch",
        "assignment",
        "claim",
        "challengeaction",
        "tagset",
        "tagnomination",
    ):
        assert client.get(f"/admin/works/{model}/").status_code == 200, model
    action = ChallengeAction.objects.get()
    assert client.get("/admin/works/challengeaction/add/").status_code == 403
    client.post(f"/admin/works/challengeaction/{action.pk}/delete/", {"post": "yes"})
    assert ChallengeAction.objects.filter(pk=action.pk).exists()
    signup = Signup.objects.get()
    assert client.get(f"/admin/works/signup/{signup.pk}/change/").status_code == 200


def test_a_participant_lists_their_own_sign_ups_and_no_one_else_does():
    challenge = make_challenge(signups_close_at=timezone.now() + datetime.timedelta(days=3))
    user = make_user(username="lister")
    signup = make_signup(challenge, user)
    page = logged_in(user).get("/users/lister/signups").content.decode()
    assert challenge.collection.title in page
    assert f"/signups/{signup.pk}/edit" in page
    assert logged_in(make_user()).get("/users/lister/signups").status_code == 404
    assert challenge.collection.title not in Client().get("/users/lister/signups").content.decode()


def test_the_sign_up_form_says_when_sign_ups_close_in_the_owners_time_zone():
    close = datetime.datetime(2030, 6, 1, 16, 0, tzinfo=datetime.UTC)
    challenge = make_challenge(signups_close_at=close, time_zone="Asia/Kolkata")
    page = logged_in(make_user()).get(f"/collections/{challenge.collection.name}/signups/new")
    assert "Sign-ups close Sat 01 Jun 2030 21:30 (Asia/Kolkata)." in page.content.decode()


# More of what participants and moderators notice ---------------------------------------------


def test_a_moderator_edits_a_sign_up_through_the_form_and_the_participant_is_told_in_their_language(
    django_capture_on_commit_callbacks,
):
    challenge = make_challenge()
    moderator = make_user(username="editingmod")
    challenge.collection.moderators.add(moderator)
    participant = make_user(email="es@example.org", interface_language="es")
    signup = make_signup(challenge, participant)
    url = f"/collections/{challenge.collection.name}/signups/{signup.pk}/edit"
    with django_capture_on_commit_callbacks(execute=True):
        response = logged_in(moderator).post(
            url, signup_post(pseud=str(signup.pseud_id), request_0_fandom="Fixed Fandom")
        )
    assert response.status_code == 302
    assert signup.prompts.get(side="request").tags.get().name == "Fixed Fandom"
    assert ChallengeAction.objects.get().action == "signup_edited"
    assert "Un moderador" in mail.outbox[0].subject
    # Another participant's pseud cannot be put on the sign-up.
    other = make_user()
    response = logged_in(moderator).post(url, signup_post(pseud=str(other.pseuds.get().pk)))
    assert response.status_code == 200
    assert Signup.objects.get(pk=signup.pk).pseud_id == signup.pseud_id


def test_a_prompt_meme_sign_up_posts_prompts_that_may_be_anonymous():
    challenge = make_challenge(kind=Challenge.Kind.PROMPT_MEME, requests_max=2)
    user = make_user()
    client = logged_in(user)
    url = f"/collections/{challenge.collection.name}/signups/new"
    page = client.get(url).content.decode()
    assert "Prompt 2" in page
    assert 'name="request_0_anonymous"' in page
    assert 'name="offer_0_fandom"' not in page
    assert 'name="pinch_hitter"' not in page
    client.post(
        url,
        {
            "pseud": str(user.pseuds.get().pk),
            "request_0_fandom": "Meme Fandom",
            "request_0_anonymous": "on",
        },
    )
    prompt = Signup.objects.get(user=user).prompts.get()
    assert prompt.anonymous
    assert Client().get(f"/collections/{challenge.collection.name}/requests").status_code == 404


def test_the_requests_summary_costs_the_same_for_more_requests(django_assert_max_num_queries):
    challenge = make_challenge(requests_summary_visible=True)
    url = f"/collections/{challenge.collection.name}/requests"
    client = Client()
    make_signup(challenge, requests=(("A",),))
    client.get(url)
    with django_assert_max_num_queries(10):
        client.get(url)
    for n in range(12):
        make_signup(challenge, requests=((f"Fandom {n}",),))
    with django_assert_max_num_queries(10):
        page = client.get(url).content.decode()
    assert "Fandom 11" in page
