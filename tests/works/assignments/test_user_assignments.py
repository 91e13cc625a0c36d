"""/users/<login>/assignments, and defaulting with confirmation."""

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client

from tests.factories import make_user, make_work
from tests.works.assignments.helpers import (
    REQUEST,
    make_assignment,
    make_exchange,
    make_signup,
)
from works.models import Assignment

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup():
    mod = make_user(username="swapmod")
    challenge = make_exchange(moderators=[mod])
    giver = make_signup(challenge, make_user(username="giver"))
    recipient = make_signup(challenge, make_user(username="recipient"), requests=[REQUEST])
    assignment = make_assignment(challenge, giver=giver, recipient=recipient)
    client = Client()
    client.force_login(giver.user)
    return challenge, assignment, client


def test_the_giver_sees_the_recipient_the_requests_and_the_due_date(setup):
    challenge, assignment, client = setup
    page = client.get("/users/giver/assignments").content.decode()
    assert "Winter Swap" in page
    assert "for recipient" in page
    assert "Lighthouse keepers in winter" in page
    assert "Tidewater Chronicles" in page
    assert "<em>cosy</em>" in page  # the description, rendered
    assert "(Europe/Madrid)" in page
    assert f'href="/works/new?assignment={assignment.pk}"' in page
    assert f'href="/collections/winterswap/assignments/{assignment.pk}/default"' in page


def test_the_page_is_its_owners_alone(setup):
    challenge, assignment, client = setup
    for viewer in ("recipient", "swapmod", "winterswapowner"):
        other = Client()
        other.force_login(get_user_model().objects.get(username=viewer))
        response = other.get("/users/giver/assignments")
        assert response.status_code == 404
        assert b"Lighthouse" not in response.content
    guest = Client().get("/users/giver/assignments")
    assert guest.status_code == 302 and "/users/login" in guest["Location"]


def test_an_assignment_not_yet_sent_is_not_shown(setup):
    challenge, assignment, client = setup
    Assignment.objects.filter(pk=assignment.pk).update(sent_at=None)
    page = client.get("/users/giver/assignments").content.decode()
    assert "Lighthouse" not in page
    assert "You have no assignments to write." in page


def test_a_fulfilled_assignment_moves_to_completed(setup):
    challenge, assignment, client = setup
    work = make_work(creator=assignment.giver.user, title="Keepers of the Cold Light")
    Assignment.objects.filter(pk=assignment.pk).update(work=work, fulfilled_at=work.created_at)
    unposted = client.get("/users/giver/assignments").content.decode()
    assert "Keepers of the Cold Light" not in unposted
    done = client.get("/users/giver/assignments?posted=true").content.decode()
    assert "Keepers of the Cold Light" in done and "Complete!" in done


def test_the_list_costs_a_fixed_number_of_queries(setup, django_assert_max_num_queries):
    challenge, assignment, client = setup
    for _ in range(5):
        recipient = make_signup(challenge, requests=[REQUEST, ("Second", {}, "")])
        make_assignment(challenge, giver=assignment.giver, recipient=recipient)
    with django_assert_max_num_queries(6):
        response = client.get("/users/giver/assignments")
    assert response.content.decode().count("Lighthouse keepers in winter") == 6


def test_defaulting_asks_first_then_tells_the_moderators(setup, django_capture_on_commit_callbacks):
    challenge, assignment, client = setup
    url = f"/collections/winterswap/assignments/{assignment.pk}/default"
    confirm = client.get(url).content.decode()
    assert "It cannot be undone." in confirm
    assert not Assignment.objects.get(pk=assignment.pk).defaulted_at
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, follow=True)
    assert "notified the collection maintainers" in response.content.decode()
    assert Assignment.objects.get(pk=assignment.pk).defaulted_at is not None
    told = sorted(m.to[0] for m in mail.outbox)
    assert told == ["swapmod@example.org", "winterswapowner@example.org"]
    assert "giver defaulted on their assignment for recipient" in mail.outbox[0].body
    assert "/collections/winterswap/assignments" in mail.outbox[0].body
    assert "Lighthouse" not in client.get("/users/giver/assignments").content.decode()


def test_only_the_giver_can_default(setup):
    challenge, assignment, client = setup
    url = f"/collections/winterswap/assignments/{assignment.pk}/default"
    for login in ("recipient", "swapmod"):
        other = Client()
        other.force_login(get_user_model().objects.get(username=login))
        assert other.get(url).status_code == 404
        assert other.post(url).status_code == 404
    assert Client().post(url).status_code == 302  # a guest is sent to log in
    assert Assignment.objects.get(pk=assignment.pk).defaulted_at is None
    wrong_collection = f"/collections/elsewhere/assignments/{assignment.pk}/default"
    assert client.post(wrong_collection).status_code == 404
