"""Posting from an assignment: the "Fulfill" link opens the posting form with the challenge's
collection and the recipient filled in; posting links the work to the assignment and gifts
it to the recipient."""

import re

import pytest
from django.test import Client

from tests.factories import make_user
from tests.works.assignments.helpers import REQUEST, make_assignment, make_exchange, make_signup
from tests.works.test_posting_work import work_data
from works.models import Assignment, CollectionItem, Gift, Work

pytestmark = pytest.mark.django_db


@pytest.fixture
def assignment():
    challenge = make_exchange()
    giver = make_signup(challenge, make_user(username="giver"))
    recipient = make_signup(challenge, make_user(username="recipient"), requests=[REQUEST])
    return make_assignment(challenge, giver=giver, recipient=recipient)


@pytest.fixture
def giver_client(assignment):
    client = Client()
    client.force_login(assignment.giver.user)
    return client


def _value(page, name):
    match = re.search(rf'<input type="text" name="{re.escape(name)}" value="([^"]*)"', page)
    return match.group(1) if match else None


def test_the_fulfill_link_fills_in_the_collection_and_the_recipient(assignment, giver_client):
    page = giver_client.get(f"/works/new?assignment={assignment.pk}").content.decode()
    assert _value(page, "collections") == "winterswap"
    assert _value(page, "work[recipients]") == "recipient"
    box = re.search(
        rf'<input type="checkbox" name="assignments" value="{assignment.pk}"[^>]*>', page
    )
    assert box and "checked" in box.group(0)
    assert "Winter Swap, for recipient" in page


def test_posting_links_the_work_gifts_it_and_fulfils_the_assignment(assignment, giver_client):
    data = work_data(
        collections="winterswap",
        assignments=[str(assignment.pk)],
        **{"work[recipients]": "recipient"},
    )
    response = giver_client.post("/works/new", data)
    assert response.status_code == 302
    work = Work.objects.get(title="The Lamp on the Pier")
    assignment.refresh_from_db()
    assert assignment.work == work and assignment.fulfilled_at is not None
    assert Gift.objects.get(work=work).pseud.user.username == "recipient"
    assert CollectionItem.objects.filter(work=work, collection__name="winterswap").exists()
    done = giver_client.get("/users/giver/assignments?posted=true").content.decode()
    assert "The Lamp on the Pier" in done


def test_a_draft_fulfils_the_assignment_once_it_is_posted(assignment, giver_client):
    data = work_data(assignments=[str(assignment.pk)], post_button=None, save_button="1")
    giver_client.post("/works/new", data)
    work = Work.objects.get(title="The Lamp on the Pier")
    assignment.refresh_from_db()
    assert assignment.work == work and assignment.fulfilled_at is None
    page = giver_client.get("/users/giver/assignments").content.decode()
    assert "(Draft)" in page
    giver_client.post(f"/works/{work.pk}/preview", {"post_button": "1"})
    assignment.refresh_from_db()
    assert assignment.fulfilled_at is not None


def test_unticking_on_edit_unlinks_the_work(assignment, giver_client):
    giver_client.post("/works/new", work_data(assignments=[str(assignment.pk)]))
    work = Work.objects.get(title="The Lamp on the Pier")
    edit = giver_client.get(f"/works/{work.pk}/edit").content.decode()
    assert re.search(rf'value="{assignment.pk}"[^>]*checked', edit)
    giver_client.post(f"/works/{work.pk}/edit", work_data())
    assignment.refresh_from_db()
    assert assignment.work is None and assignment.fulfilled_at is None


def test_someone_elses_assignment_cannot_be_fulfilled(assignment):
    stranger = make_user(username="stranger")
    client = Client()
    client.force_login(stranger)
    page = client.get(f"/works/new?assignment={assignment.pk}").content.decode()
    assert not _value(page, "collections")  # nothing of the assignment is shown
    assert "recipient" not in (_value(page, "work[recipients]") or "")
    assert 'name="assignments"' not in page
    response = client.post("/works/new", work_data(assignments=[str(assignment.pk)]))
    assert response.status_code == 302  # the field is not theirs: ignored
    assert Assignment.objects.get(pk=assignment.pk).work is None


def test_a_writer_without_assignments_sees_no_new_field(giver_client, assignment):
    Assignment.objects.filter(pk=assignment.pk).delete()
    page = giver_client.get("/works/new").content.decode()
    assert "Does this fulfill a challenge assignment?" not in page


def test_a_recipient_who_allows_no_gifts_still_gets_their_assignments_gift(
    assignment, giver_client
):
    recipient = assignment.recipient.user
    recipient.disallow_gifts = True
    recipient.save()
    data = work_data(assignments=[str(assignment.pk)], **{"work[recipients]": "recipient"})
    assert giver_client.post("/works/new", data).status_code == 302
    assert Gift.objects.get(pseud__user=recipient).work.title == "The Lamp on the Pier"
    # Anyone else is still refused.
    stranger = Client()
    stranger.force_login(make_user(username="stranger"))
    refused = stranger.post("/works/new", work_data(**{"work[recipients]": "recipient"}))
    assert "recipient does not accept gifts." in refused.content.decode()
