"""Sending assignments: each giver hears of theirs in the inbox and by email, with the
recipient's requests and the due date, once, on the task queue."""

import pytest
from django.core import mail

from archive.models import InboxItem
from tests.factories import make_user
from tests.queue import run_worker
from tests.works.assignments.helpers import (
    REQUEST,
    make_assignment,
    make_exchange,
    make_signup,
)
from works.models import Assignment, PotentialMatch
from works.services import assignments as services
from works.services import matching

pytestmark = pytest.mark.django_db


@pytest.fixture
def exchange():
    challenge = make_exchange()
    alba = make_signup(challenge, make_user(username="alba"), requests=[REQUEST])
    bruno = make_signup(
        challenge,
        make_user(username="bruno"),
        requests=[("Harbour ghosts", {}, "")],
    )
    first = make_assignment(challenge, giver=alba, recipient=bruno, sent=False)
    second = make_assignment(challenge, giver=bruno, recipient=alba, sent=False)
    return challenge, first, second


def test_each_giver_is_told_of_their_assignment_with_the_recipients_requests(
    exchange, django_capture_on_commit_callbacks
):
    challenge, first, second = exchange
    with django_capture_on_commit_callbacks(execute=True):
        services.assignments_notify(challenge)

    assert sorted(m.to[0] for m in mail.outbox) == ["alba@example.org", "bruno@example.org"]
    to_bruno = next(m for m in mail.outbox if m.to == ["bruno@example.org"])
    assert to_bruno.subject == "[Winter Swap] Your assignment"
    assert "Recipient: alba" in to_bruno.body
    assert "Lighthouse keepers in winter" in to_bruno.body
    assert "Fandom: Tidewater Chronicles" in to_bruno.body
    assert "Character: Ysolde Marren" in to_bruno.body
    assert "Something *cosy*, please." in to_bruno.body
    assert "Europe/Madrid" in to_bruno.body  # the due date, in the challenge's time zone
    assert "/users/bruno/assignments" in to_bruno.body
    to_alba = next(m for m in mail.outbox if m.to == ["alba@example.org"])
    assert "Harbour ghosts" in to_alba.body and "Lighthouse" not in to_alba.body
    items = InboxItem.objects.filter(kind=InboxItem.Kind.ASSIGNMENT)
    assert sorted(items.values_list("recipient__username", flat=True)) == ["alba", "bruno"]
    assert not Assignment.objects.filter(sent_at__isnull=True).exists()
    challenge.refresh_from_db()
    assert challenge.assignments_sent_at is not None


def test_sending_again_tells_nobody_twice(exchange, django_capture_on_commit_callbacks):
    challenge, first, second = exchange
    with django_capture_on_commit_callbacks(execute=True):
        services.assignments_notify(challenge)
        services.assignments_notify(challenge)
    assert len(mail.outbox) == 2
    assert InboxItem.objects.filter(kind=InboxItem.Kind.ASSIGNMENT).count() == 2


def test_a_defaulted_assignment_is_not_sent(exchange, django_capture_on_commit_callbacks):
    challenge, first, second = exchange
    Assignment.objects.filter(pk=first.pk).update(defaulted_at=first.created_at)
    with django_capture_on_commit_callbacks(execute=True):
        services.assignments_notify(challenge)
    assert [m.to for m in mail.outbox] == [["bruno@example.org"]]


def test_the_email_is_in_the_givers_language(exchange, django_capture_on_commit_callbacks):
    challenge, first, second = exchange
    first.giver.user.interface_language = "es"
    first.giver.user.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.assignments_notify(challenge)
    to_alba = next(m for m in mail.outbox if m.to == ["alba@example.org"])
    assert to_alba.subject == "[Winter Swap] Tu asignación"


def test_sending_runs_on_the_task_queue_and_a_retry_after_a_crash_doubles_nothing(
    exchange, real_queue, monkeypatch, django_capture_on_commit_callbacks
):
    challenge, first, second = exchange
    monkeypatch.setattr(services, "SEND_BATCH", 1)
    real_mail = services._assignment_mail
    calls = []

    def crash_on_the_second(user, assignment, **kwargs):
        calls.append(user.username)
        if len(calls) == 2:
            raise RuntimeError("the worker died half-way")
        return real_mail(user, assignment, **kwargs)

    monkeypatch.setattr(services, "_assignment_mail", crash_on_the_second)
    with django_capture_on_commit_callbacks(execute=True):
        services.assignments_notify(challenge)
        assert not InboxItem.objects.exists()  # only enqueued
        run_worker()
    assert sorted(m.to[0] for m in mail.outbox) == ["alba@example.org", "bruno@example.org"]
    assert InboxItem.objects.filter(kind=InboxItem.Kind.ASSIGNMENT).count() == 2


def test_the_inbox_links_to_the_givers_assignments(exchange, client):
    challenge, first, second = exchange
    services.assignments_notify(challenge)
    client.force_login(first.giver.user)
    page = client.get("/users/alba/inbox").content.decode()
    assert "Your challenge assignment" in page
    assert 'href="/users/alba/assignments"' in page


def test_a_giver_swapped_in_after_sending_is_told_when_sent_again(
    exchange, django_capture_on_commit_callbacks
):
    challenge, first, second = exchange
    services.assignments_notify(challenge)
    first.giver = make_signup(challenge, make_user(username="carmen"))
    first.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.assignments_notify(challenge)
    assert [m.to for m in mail.outbox] == [["carmen@example.org"]]


def test_sending_from_the_matching_page_tells_each_giver(django_capture_on_commit_callbacks):
    challenge = make_exchange()
    alba = make_signup(challenge, make_user(username="alba"), requests=[REQUEST])
    bruno = make_signup(challenge, make_user(username="bruno"), requests=[REQUEST])
    for giver, recipient in ((alba, bruno), (bruno, alba)):
        PotentialMatch.objects.create(
            challenge=challenge, giver=giver, recipient=recipient, score=3, assigned=True
        )
    with django_capture_on_commit_callbacks(execute=True):
        matching.assignments_send(challenge=challenge, moderator=challenge.collection.owner)
    assert sorted(m.to[0] for m in mail.outbox) == ["alba@example.org", "bruno@example.org"]
    assert InboxItem.objects.filter(kind=InboxItem.Kind.ASSIGNMENT).count() == 2
