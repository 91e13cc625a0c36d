"""Claiming imported works (works/services/claims.py, /works/import/claim): the old email
proves the old account, a signed link emailed to it moves the works, once."""

import re
import time

import pytest
from django.core import mail, signing

from tests.factories import make_user
from works.models import ImportedCreator, Series, Work, WorkCreator
from works.services import claims

from .test_efiction_import import start

pytestmark = pytest.mark.django_db

CLAIM = "/works/import/claim"


@pytest.fixture
def run():
    return start()


@pytest.fixture
def ask(client, django_capture_on_commit_callbacks):
    """POST the old address on the claim page; the email goes once the request commits."""

    def post(email):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(CLAIM, {"email": email}, follow=True)

    return post


@pytest.fixture
def quill(client):
    user = make_user(username="quill_new", email="new@example.com")
    client.force_login(user)
    return user


def link_in(message) -> str:
    return re.search(r"https?://[^\s]+(/works/import/claim/[^\s]+)", message.body).group(1)


def test_the_old_email_gets_a_link_that_moves_the_works_to_the_account(run, client, quill, ask):
    response = ask("  QUILL@example.org ")
    assert "we have sent it a link" in response.content.decode()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["QUILL@example.org"]
    assert "quill_new" in message.body and "quillfeather (Harbour Lights)" in message.body

    link = link_in(message)
    confirm = client.get(link).content.decode()
    assert "Salt and Compass" in confirm and "Crumbs" not in confirm
    response = client.post(link, follow=True)
    assert "Works claimed: 1." in response.content.decode()
    assert response.redirect_chain[-1][0] == "/users/quill_new/works"
    assert "Salt and Compass" in response.content.decode()

    salt = Work.objects.get(title="Salt and Compass")
    page = client.get(f"/works/{salt.pk}?view_adult=true").content.decode()
    assert "quillfeather (harbour_lights_import)" not in page
    assert 'href="/users/quill_new/pseuds/quill_new"' in page
    assert list(WorkCreator.objects.filter(work=salt).values_list("user", flat=True)) == [quill.pk]
    creator = ImportedCreator.objects.get(name="quillfeather")
    assert creator.claimed_by == quill and creator.claimed_at is not None


def test_a_used_link_says_so_and_changes_nothing(run, client, quill, ask):
    ask("quill@example.org")
    link = link_in(mail.outbox[0])
    client.post(link)
    again = client.post(link)
    assert again.status_code == 400
    assert "This claim link has been used" in again.content.decode()
    assert WorkCreator.objects.filter(user=quill).count() == 1


def test_an_address_no_old_account_had_gets_no_email_and_the_same_answer(run, client, quill, ask):
    response = ask("stranger@example.org")
    assert "we have sent it a link" in response.content.decode()
    assert mail.outbox == []


def test_a_link_for_another_account_is_refused(run, client, quill, ask):
    ask("quill@example.org")
    link = link_in(mail.outbox[0])
    client.force_login(make_user(username="someone_else"))
    response = client.post(link)
    assert response.status_code == 400
    assert "sent for another account" in response.content.decode()
    assert not ImportedCreator.objects.filter(claimed_by__isnull=False).exists()


def test_an_expired_or_altered_link_is_refused(run, client, quill, monkeypatch):
    eight_days_ago = time.time() - 8 * 24 * 3600
    monkeypatch.setattr(signing.time, "time", lambda: eight_days_ago)
    token = claims.claim_token(user=quill, email="quill@example.org")
    monkeypatch.undo()
    expired = client.get(f"{CLAIM}/{token}")
    assert expired.status_code == 400 and "has expired" in expired.content.decode()
    fresh = claims.claim_token(user=quill, email="quill@example.org")
    altered = client.get(f"{CLAIM}/{fresh[:-3]}abc")
    assert altered.status_code == 400 and "is not valid" in altered.content.decode()
    assert not ImportedCreator.objects.filter(claimed_by__isnull=False).exists()


def test_guests_are_asked_to_log_in_first(run, client):
    response = client.get(CLAIM)
    assert response.status_code == 302 and "/login" in response["Location"]


def test_a_coauthor_claim_adds_them_and_keeps_the_other_old_name(run, client, ask):
    marrow = make_user(username="marrow")
    client.force_login(marrow)
    ask("marrow@example.org")
    link = link_in(mail.outbox[0])
    client.post(link)
    mine = set(Work.objects.filter(work_creators__user=marrow).values_list("title", flat=True))
    assert mine == {"The Lamp at Low Water", "Second Watch", "Crumbs"}
    crumbs = Work.objects.get(title="Crumbs")
    bylines = [c.pseud.byline for c in WorkCreator.objects.filter(work=crumbs).order_by("position")]
    assert bylines == ["Juniper (harbour_lights_import)", "marrow"]
    series = Series.objects.get(title="Keepers of the Light")
    assert list(series.creators.values_list("username", flat=True)) == ["marrow"]
