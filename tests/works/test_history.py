import pytest
from django.core.cache import cache

from tests.factories import make_chapter, make_user, make_work
from works import hits
from works.models import Reading

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def test_history_shows_last_visit_count_and_update_available(client, reader):
    work = make_work(title="Saltmarsh")
    client.force_login(reader)
    client.get(f"/works/{work.pk}")
    client.get(f"/works/{work.pk}")
    hits.flush()
    page = client.get(f"/users/{reader.username}/readings").content.decode()
    assert "Saltmarsh" in page and "Visited 2 times" in page and "Last visited:" in page
    assert "Update available" not in page
    make_chapter(work)
    page = client.get(f"/users/{reader.username}/readings").content.decode()
    assert "Update available" in page


def test_history_turned_off_records_nothing(client):
    quiet = make_user(history_enabled=False)
    client.force_login(quiet)
    client.get(f"/works/{make_work().pk}")
    hits.flush()
    assert not Reading.objects.exists()
    page = client.get(f"/users/{quiet.username}/readings").content.decode()
    assert "Your history is turned off" in page


def test_mark_for_later_lists_the_work(client, reader):
    work = make_work(title="Someday Story")
    client.force_login(reader)
    client.post(f"/works/{work.pk}/mark_for_later")
    page = client.get(f"/users/{reader.username}/readings?show=to-read").content.decode()
    assert "Someday Story" in page
    client.post(f"/works/{work.pk}/mark_for_later", {"marked": "false"})
    page = client.get(f"/users/{reader.username}/readings?show=to-read").content.decode()
    assert "Someday Story" not in page


def test_history_is_private(client, reader):
    client.force_login(make_user())
    assert client.get(f"/users/{reader.username}/readings").status_code == 404
    client.logout()
    response = client.get(f"/users/{reader.username}/readings")
    assert response.status_code == 302 and "/users/login" in response["Location"]


def test_history_leaves_out_works_no_longer_visible(client, reader):
    work = make_work(title="Vanishing Tale")
    Reading.objects.create(user=reader, work=work, visit_count=1)
    work.hidden_by_moderator = True
    work.save()
    client.force_login(reader)
    assert "Vanishing Tale" not in client.get(f"/users/{reader.username}/readings").content.decode()


def test_clear_history(client, reader):
    Reading.objects.create(user=reader, work=make_work(), visit_count=1)
    client.force_login(reader)
    client.post(f"/users/{reader.username}/readings/clear")
    assert not Reading.objects.exists()


def _put_in_unrevealed_collection(work):
    from works.models import Collection, CollectionItem

    collection = Collection.objects.create(
        name="masked_fest", title="Masked Fest", owner=make_user(), is_unrevealed=True
    )
    CollectionItem.objects.create(collection=collection, work=work)


def test_history_and_subscriptions_keep_a_mystery_work_secret(client, reader):
    work = make_work(title="Behind The Veil")
    Reading.objects.create(user=reader, work=work, visit_count=1, marked_for_later=True)
    client.force_login(reader)
    client.post(f"/works/{work.pk}/subscribe")
    assert (
        "Behind The Veil" in client.get(f"/users/{reader.username}/subscriptions").content.decode()
    )
    _put_in_unrevealed_collection(work)
    for url in (
        f"/users/{reader.username}/readings",
        f"/users/{reader.username}/readings?show=to-read",
        f"/users/{reader.username}/subscriptions",
    ):
        assert "Behind The Veil" not in client.get(url).content.decode(), url
