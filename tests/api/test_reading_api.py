"""Subscriptions and reading history through the API: the caller's own, as their pages show
them; nobody else's; and never a work they may not see or know of."""

import pytest
from django.test import Client

from tests.api.conftest import token_for
from tests.factories import make_secret_work, make_user, make_work
from works.models import (
    Reading,
    Series,
    SeriesWork,
    Subscription,
    WorkStats,
)
from works.services import feedback

pytestmark = pytest.mark.django_db

TITLE = "Moonwell Unseen Ledger"


def _own_page(user, path):
    client = Client()
    client.force_login(user)
    return client.get(f"/users/{user.username}/{path}").content.decode()


# Subscriptions ----------------------------------------------------------------------------


def test_subscriptions_show_on_the_subscriptions_page(api):
    reader = make_user(username="subscriber")
    secret = token_for(reader, "read", "write:feedback")
    work = make_work(title="Tidewater Serial")
    make_user(username="followedauthor")
    series = Series.objects.create(title="Harbour Cycle")
    SeriesWork.objects.create(series=series, work=make_work())
    made = [
        api.post("/api/v1/subscriptions", body, token=secret)
        for body in [
            {"kind": "work", "work_id": work.pk},
            {"kind": "user", "login": "followedauthor"},
            {"kind": "series", "series_id": series.pk},
        ]
    ]
    assert [r.status_code for r in made] == [201, 201, 201]
    assert [r.json()["title"] for r in made] == [
        "Tidewater Serial",
        "followedauthor",
        "Harbour Cycle",
    ]
    assert made[1].json()["login"] == "followedauthor" and made[1].json()["kind"] == "user"
    page = _own_page(reader, "subscriptions")
    for title in ("Tidewater Serial", "followedauthor", "Harbour Cycle"):
        assert title in page
    assert WorkStats.objects.get(work=work).subscriptions == 1
    again = api.post("/api/v1/subscriptions", {"kind": "work", "work_id": work.pk}, token=secret)
    assert again.json()["id"] == made[0].json()["id"] and Subscription.objects.count() == 3
    listed = api.get("/api/v1/subscriptions", token=secret).json()
    assert listed["count"] == 3
    assert [s["kind"] for s in listed["results"]] == ["series", "user", "work"]
    gone = api.delete(f"/api/v1/subscriptions/{made[0].json()['id']}", token=secret)
    assert gone.status_code == 204
    assert "Tidewater Serial" not in _own_page(reader, "subscriptions")
    assert WorkStats.objects.get(work=work).subscriptions == 0


def test_subscription_mistakes_are_refused(api):
    reader = make_user(username="selfsubscriber")
    secret = token_for(reader, "read", "write:feedback")
    self_sub = api.post(
        "/api/v1/subscriptions", {"kind": "user", "login": "selfsubscriber"}, token=secret
    )
    assert self_sub.status_code == 422
    assert self_sub.json()["detail"] == "You can't subscribe to yourself."
    missing = api.post("/api/v1/subscriptions", {"kind": "work"}, token=secret)
    assert missing.status_code == 422 and list(missing.json()["errors"]) == ["work_id"]
    bad_kind = api.post("/api/v1/subscriptions", {"kind": "tag", "login": "x"}, token=secret)
    assert bad_kind.status_code == 422 and "kind" in bad_kind.json()["errors"]
    nobody = api.post(
        "/api/v1/subscriptions", {"kind": "user", "login": "nobody-here"}, token=secret
    )
    assert nobody.status_code == 404
    empty_series = Series.objects.create(title="Nothing Yet")
    hidden = api.post(
        "/api/v1/subscriptions", {"kind": "series", "series_id": empty_series.pk}, token=secret
    )
    assert hidden.status_code == 404
    assert not Subscription.objects.exists()


def test_subscriptions_are_their_owners_alone(api):
    owner = make_user(username="subowner")
    subscription = feedback.subscription_add(user=owner, work=make_work())
    assert api.get("/api/v1/subscriptions").status_code == 401
    assert (
        api.get("/api/v1/subscriptions", token=token_for(owner, "write:feedback")).status_code
        == 403
    )
    other = token_for(make_user(), "read", "write:feedback")
    assert api.get("/api/v1/subscriptions", token=other).json()["count"] == 0
    assert api.delete(f"/api/v1/subscriptions/{subscription.pk}", token=other).status_code == 404
    no_write = token_for(owner, "read")
    assert api.delete(f"/api/v1/subscriptions/{subscription.pk}", token=no_write).status_code == 403
    assert api.delete(f"/api/v1/subscriptions/{subscription.pk}").status_code == 401
    assert Subscription.objects.count() == 1


def test_the_generated_client_subscribes(api_client):
    from out.api.reading import subscription_create, subscriptions_list
    from out.models import SubscriptionIn, SubscriptionInKind

    work = make_work(title="Generated Serial")
    client = api_client(token_for(make_user(username="generatedsub")))
    body = SubscriptionIn(kind=SubscriptionInKind.WORK, work_id=work.pk)
    made = subscription_create.sync(client=client, body=body)
    assert made.title == "Generated Serial" and made.work_id == work.pk
    listed = subscriptions_list.sync(client=client)
    assert listed.count == 1 and listed.results[0].id == made.id


# History ----------------------------------------------------------------------------------


def test_history_and_marked_for_later(api):
    reader = make_user(username="historian")
    secret = token_for(reader, "read", "write:feedback")
    read, later = make_work(title="Read Already"), make_work(title="Saved For Later")
    visit = api.post(f"/api/v1/works/{read.pk}/history", {}, token=secret)
    assert visit.status_code == 200
    assert visit.json()["visit_count"] == 1 and visit.json()["marked_for_later"] is False
    assert api.post(f"/api/v1/works/{read.pk}/history", {}, token=secret).json()["visit_count"] == 2
    marked = api.post(
        f"/api/v1/works/{later.pk}/history",
        {"visit": False, "marked_for_later": True},
        token=secret,
    ).json()
    assert marked["marked_for_later"] is True and marked["visit_count"] == 0
    everything = api.get("/api/v1/history", token=secret).json()
    assert {r["work_title"] for r in everything["results"]} == {"Read Already", "Saved For Later"}
    to_read = api.get("/api/v1/history?marked_for_later=true", token=secret).json()
    assert [r["work_title"] for r in to_read["results"]] == ["Saved For Later"]
    page = _own_page(reader, "readings?show=to-read")
    assert "Saved For Later" in page and "Read Already" not in page
    api.post(
        f"/api/v1/works/{later.pk}/history",
        {"visit": False, "marked_for_later": False},
        token=secret,
    )
    assert api.get("/api/v1/history?marked_for_later=true", token=secret).json()["count"] == 0
    assert api.delete("/api/v1/history", token=secret).status_code == 204
    assert not Reading.objects.filter(user=reader).exists()
    assert "Read Already" not in _own_page(reader, "readings")


def test_a_reader_without_a_history_is_not_recorded(api):
    reader = make_user(username="nohistory", history_enabled=False)
    secret = token_for(reader, "read", "write:feedback")
    work = make_work()
    response = api.post(f"/api/v1/works/{work.pk}/history", {}, token=secret)
    assert response.status_code == 422 and response.json()["code"] == "history_off"
    assert not Reading.objects.exists()
    marked = api.post(f"/api/v1/works/{work.pk}/history", {"marked_for_later": True}, token=secret)
    assert marked.status_code == 200 and marked.json()["visit_count"] == 0


def test_history_is_its_owners_alone(api):
    owner = make_user(username="historyowner")
    Reading.objects.create(user=owner, work=make_work(title="Private Reading"), visit_count=1)
    assert api.get("/api/v1/history").status_code == 401
    assert api.get("/api/v1/history", token=token_for(owner, "write:feedback")).status_code == 403
    other = token_for(make_user(), "read", "write:feedback")
    listed = api.get("/api/v1/history", token=other)
    assert listed.json()["count"] == 0 and "Private Reading" not in listed.content.decode()
    assert api.delete("/api/v1/history", token=other).status_code == 204
    assert api.delete("/api/v1/history", token=token_for(owner, "read")).status_code == 403
    assert Reading.objects.filter(user=owner).count() == 1


# Works one may not see or know of --------------------------------------------------------


@pytest.mark.parametrize("state", ["draft", "hidden", "unrevealed"])
def test_a_work_one_may_not_see_is_neither_listed_nor_taken(api, state):
    reader = make_user()
    secret = token_for(reader, "read", "write:feedback")
    work = make_secret_work(state, make_user(), title=TITLE)
    Subscription.objects.create(user=reader, kind=Subscription.Kind.WORK, work=work)
    Reading.objects.create(user=reader, work=work, visit_count=1, marked_for_later=True)
    responses = [
        api.post("/api/v1/subscriptions", {"kind": "work", "work_id": work.pk}, token=secret),
        api.post(f"/api/v1/works/{work.pk}/history", {"marked_for_later": False}, token=secret),
    ]
    for response in responses:
        assert response.status_code == 404
        assert TITLE not in response.content.decode()
    for path in ("/api/v1/subscriptions", "/api/v1/history", "/api/v1/history?marked_for_later=1"):
        listed = api.get(path, token=secret)
        assert listed.json()["count"] == 0 and TITLE not in listed.content.decode()
    assert Reading.objects.get().marked_for_later is True


def test_a_guest_may_not_subscribe_to_a_restricted_work(api):
    work = make_secret_work("restricted", make_user(), title=TITLE)
    response = api.post("/api/v1/subscriptions", {"kind": "work", "work_id": work.pk})
    assert response.status_code == 401
    assert TITLE not in response.content.decode()


def test_lists_cost_the_same_for_n_and_2n_rows(api, django_assert_num_queries):
    reader = make_user()
    secret = token_for(reader, "read", "write:feedback")
    author = make_user()
    api.get("/api/v1/me", token=secret)  # the token's "last used" is written once a day
    for rows in (3, 6):
        while Reading.objects.filter(user=reader).count() < rows:
            work = make_work(creator=author)
            feedback.subscription_add(user=reader, work=work)
            feedback.reading_mark_for_later(user=reader, work=work)
        for path in ("/api/v1/subscriptions", "/api/v1/history"):
            with django_assert_num_queries(5):
                assert api.get(path, token=secret).json()["count"] == rows


def test_each_reading_write_costs_a_fixed_number_of_queries(api, django_assert_num_queries):
    secret = token_for(make_user(), "read", "write:feedback")
    work = make_work()
    with django_assert_num_queries(14):
        made = api.post("/api/v1/subscriptions", {"kind": "work", "work_id": work.pk}, token=secret)
    with django_assert_num_queries(6):
        api.delete(f"/api/v1/subscriptions/{made.json()['id']}", token=secret)
    with django_assert_num_queries(11):
        api.post(f"/api/v1/works/{work.pk}/history", {"marked_for_later": True}, token=secret)
    with django_assert_num_queries(2):
        api.delete("/api/v1/history", token=secret)
