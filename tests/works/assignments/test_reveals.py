"""The reveal dates, applied by the every-minute tick: a guest sees "Mystery Work", then the
work by "Anonymous", then the work by its creator; each reveal audited once."""

import datetime

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django.utils import timezone

from archive import queue as task_queue
from tests.factories import make_user, make_work
from tests.queue import run_worker
from tests.works.assignments.helpers import make_exchange
from works.models import ChallengeAction, Collection, CollectionItem, Gift
from works.services.challenge_reveals import challenges_reveal

pytestmark = pytest.mark.django_db
TITLE = "The Keepers Winter Gift"


@pytest.fixture
def exchange():
    now = timezone.now()
    challenge = make_exchange(
        works_reveal_at=now + datetime.timedelta(days=1),
        creators_reveal_at=now + datetime.timedelta(days=2),
    )
    writer = make_user(username="secretwriter")
    work = make_work(creator=writer, title=TITLE)
    CollectionItem.objects.create(collection=challenge.collection, work=work)
    friend = make_user(username="giftee")
    Gift.objects.create(work=work, pseud=friend.pseuds.get())
    return challenge, work


def _guest_page(work):
    return Client().get(f"/works/{work.pk}").content.decode()


def test_a_guest_sees_a_mystery_then_anonymous_then_the_creator(
    exchange, django_capture_on_commit_callbacks
):
    challenge, work = exchange
    page = _guest_page(work)
    assert "Mystery Work" in page and TITLE not in page and "secretwriter" not in page

    assert challenges_reveal(now=timezone.now()) == 0  # no date has passed yet
    assert "Mystery Work" in _guest_page(work)

    with django_capture_on_commit_callbacks(execute=True):
        challenges_reveal(now=challenge.works_reveal_at + datetime.timedelta(minutes=1))
    page = _guest_page(work)
    assert TITLE in page and "Mystery Work" not in page
    assert "Anonymous" in page and "secretwriter" not in page
    assert [m.to for m in mail.outbox] == [["giftee@example.org"]]  # told of the gift now

    challenges_reveal(now=challenge.creators_reveal_at + datetime.timedelta(minutes=1))
    page = _guest_page(work)
    assert TITLE in page and "secretwriter" in page
    collection = Collection.objects.get(pk=challenge.collection_id)
    assert not collection.is_unrevealed and not collection.is_anonymous
    actions = ChallengeAction.objects.filter(challenge=challenge).values_list("action", flat=True)
    assert sorted(actions) == ["creators_revealed", "works_revealed"]


def test_a_date_is_applied_once(exchange):
    challenge, work = exchange
    later = challenge.creators_reveal_at + datetime.timedelta(minutes=1)
    assert challenges_reveal(now=later) == 2
    # The owner makes the collection a mystery again: the next minutes leave it so.
    Collection.objects.filter(pk=challenge.collection_id).update(is_unrevealed=True)
    assert challenges_reveal(now=later) == 0
    assert Collection.objects.get(pk=challenge.collection_id).is_unrevealed
    assert ChallengeAction.objects.count() == 2


def test_the_every_minute_tick_applies_the_dates(exchange, real_queue):
    challenge, work = exchange
    assert "works.services.challenge_reveals.challenge_reveals_task" in (
        settings.TASKS_EVERY_MINUTE
    )
    past = timezone.now() - datetime.timedelta(minutes=5)
    challenge.works_reveal_at = challenge.creators_reveal_at = past
    challenge.save()
    task_queue.ensure_ticking()
    run_worker()
    page = _guest_page(work)
    assert TITLE in page and "secretwriter" in page
