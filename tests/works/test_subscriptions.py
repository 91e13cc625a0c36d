import pytest
from django.core import mail

from archive.models import InboxItem
from tests.factories import make_chapter, make_user, make_work
from works.models import Subscription, WorkStats
from works.services import feedback
from works.services import posting as services

pytestmark = pytest.mark.django_db


def test_subscribing_to_a_work_brings_new_chapters_to_the_inbox_and_email(
    client, author, reader, django_capture_on_commit_callbacks
):
    work = make_work(creator=author, title="Tidewater")
    client.force_login(reader)
    page = client.get(f"/works/{work.pk}").content.decode()
    assert f'action="/works/{work.pk}/subscribe"' in page
    client.post(f"/works/{work.pk}/subscribe")
    assert WorkStats.objects.get(work=work).subscriptions == 1
    with django_capture_on_commit_callbacks(execute=True):
        chapter = make_chapter(work)
    item = InboxItem.objects.get(recipient=reader)
    assert item.kind == "chapter" and item.chapter == chapter
    assert [m.to for m in mail.outbox] == [[reader.email]]
    assert "Tidewater" in mail.outbox[0].subject
    inbox = client.get(f"/users/{reader.username}/inbox").content.decode()
    assert "New chapter of" in inbox and "Tidewater" in inbox


def test_draft_chapters_tell_nobody_until_posted(author, reader):
    work = make_work(creator=author)
    feedback.subscription_add(user=reader, work=work)
    chapter = make_chapter(work, post=False)
    assert not InboxItem.objects.exists()
    services.chapter_update(chapter=chapter, fields={}, post=True)
    assert InboxItem.objects.filter(recipient=reader, kind="chapter").count() == 1


def test_subscribing_to_an_author_brings_new_works(client, author, reader):
    client.force_login(reader)
    client.post(f"/users/{author.username}/subscribe")
    work = make_work(creator=author)
    assert InboxItem.objects.get(recipient=reader).work == work
    make_work(creator=author, post=False)
    assert InboxItem.objects.filter(recipient=reader).count() == 1


def test_subscribing_to_a_series_brings_new_parts(client, author, reader):
    series = services.series_create(creator=author, title="Harbour Cycle")
    first = make_work(creator=author)
    services.work_set_series(work=first, series=[series])
    client.force_login(reader)
    response = client.post(f"/series/{series.pk}/subscribe")
    assert response.status_code == 302
    second = services.work_create(
        creator=author,
        fields={"title": "Harbour Cycle, Part Two"},
        tag_names={"rating": ["General Audiences"], "warning": ["No Archive Warnings Apply"]},
        chapter={"body": "The second part begins."},
        series=[series],
    )
    item = InboxItem.objects.get(recipient=reader)
    assert item.kind == "part" and item.work == second and item.series == series


def test_subscribe_series_url_has_the_name_series_pages_use(author):
    from django.urls import reverse

    assert reverse("works:subscribe_series", args=[7]) == "/series/7/subscribe"


def test_double_subscribe_keeps_one_subscription(client, reader):
    work = make_work()
    client.force_login(reader)
    client.post(f"/works/{work.pk}/subscribe")
    client.post(f"/works/{work.pk}/subscribe")
    assert Subscription.objects.count() == 1
    assert WorkStats.objects.get(work=work).subscriptions == 1


def test_unsubscribe_from_the_subscriptions_page(client, reader, author):
    work = make_work(title="Moorings")
    feedback.subscription_add(user=reader, work=work)
    feedback.subscription_add(user=reader, author=author)
    client.force_login(reader)
    page = client.get(f"/users/{reader.username}/subscriptions").content.decode()
    assert "Moorings" in page and author.username in page
    subscription = Subscription.objects.get(work=work)
    client.post(f"/subscriptions/{subscription.pk}/delete")
    assert not Subscription.objects.filter(work=work).exists()
    assert WorkStats.objects.get(work=work).subscriptions == 0
    page = client.get(f"/works/{work.pk}").content.decode()
    assert f'action="/works/{work.pk}/subscribe"' in page


def test_unsubscribe_from_the_work_page(client, reader):
    work = make_work()
    subscription = feedback.subscription_add(user=reader, work=work)
    client.force_login(reader)
    page = client.get(f"/works/{work.pk}").content.decode()
    assert f'action="/subscriptions/{subscription.pk}/delete"' in page


def test_subscriptions_page_is_only_for_its_owner(client, reader):
    client.force_login(make_user())
    assert client.get(f"/users/{reader.username}/subscriptions").status_code == 404


def test_others_cannot_delete_my_subscription(client, reader):
    subscription = feedback.subscription_add(user=reader, work=make_work())
    client.force_login(make_user())
    assert client.post(f"/subscriptions/{subscription.pk}/delete").status_code == 404
    assert Subscription.objects.filter(pk=subscription.pk).exists()
