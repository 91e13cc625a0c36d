"""The adult-content notice in front of Mature, Explicit and Not Rated works (docs/design.md,
section 6)."""

import pytest

from tags.models import TagType
from tests.factories import make_chapter, make_user, make_work
from tests.responses import body
from tests.works.markup import parse, select, text

pytestmark = pytest.mark.django_db


NOTICE = (
    "This work could have adult content. If you continue, you have agreed that you are "
    "willing to see such content."
)
BODY = "told plainly"  # in every factory-made first chapter


def adult_work(rating="Mature", **kwargs):
    return make_work(tags={TagType.RATING: [rating]}, **kwargs)


@pytest.mark.parametrize("rating", ["Mature", "Explicit", "Not Rated"])
def test_adult_ratings_show_the_notice_before_the_text(client, rating):
    work = adult_work(rating, title="Storm Over the Shoals")
    response = client.get(f"/works/{work.pk}")
    assert response.status_code == 200
    body = response.content.decode()
    assert NOTICE in text(parse(body))
    assert BODY not in body
    root = parse(body)
    assert not select(root, "div#workskin")
    # Caches must not hand the work to a reader whose cookie says otherwise (or vice versa).
    assert "Cookie" in response["Vary"]
    links = {text(a): a.get("href") for a in select(root, "div.adult.notice ul.actions a")}
    assert links["Yes, Continue"] == f"/works/{work.pk}?view_adult=true"
    assert "No, Go Back" in links


@pytest.mark.parametrize("rating", ["General Audiences", "Teen And Up Audiences"])
def test_other_ratings_show_the_work_at_once(client, rating):
    work = adult_work(rating)
    body = client.get(f"/works/{work.pk}").content.decode()
    assert BODY in body
    assert NOTICE not in text(parse(body))


def test_yes_continue_shows_the_work_and_sets_the_cookie(client):
    work = adult_work("Explicit")
    response = client.get(f"/works/{work.pk}?view_adult=true")
    assert BODY in response.content.decode()
    assert NOTICE not in text(parse(response.content))
    cookie = response.cookies["view_adult"]
    assert cookie.value == "true"
    # The cookie answers the notice for every other adult work of the visit.
    other = adult_work("Mature", chapters=2)
    assert BODY in client.get(f"/works/{other.pk}").content.decode()
    second = other.chapters.order_by("position")[1]
    assert "Chapter 2 of work" in client.get(second.get_absolute_url()).content.decode()


def test_continue_keeps_the_chapter_and_full_work_choice(client):
    work = adult_work("Mature", chapters=2)
    second = work.chapters.order_by("position")[1]
    root = parse(client.get(second.get_absolute_url()).content)
    assert NOTICE in text(root)
    continue_url = select(root, "div.adult.notice ul.actions a")[0].get("href")
    assert continue_url == f"{second.get_absolute_url()}?view_adult=true"

    root = parse(client.get(f"/works/{work.pk}?view_full_work=true").content)
    continue_url = select(root, "div.adult.notice ul.actions a")[0].get("href")
    assert continue_url == f"/works/{work.pk}?view_full_work=true&view_adult=true"
    followed = client.get(continue_url).content.decode()
    assert "Chapter 2 of work" in followed and BODY in followed


def test_a_readers_preference_skips_the_notice(client):
    work = adult_work("Explicit")
    cautious = make_user()
    client.force_login(cautious)
    assert NOTICE in text(parse(client.get(f"/works/{work.pk}").content))
    bold = make_user(view_adult=True)
    client.force_login(bold)
    body = client.get(f"/works/{work.pk}").content.decode()
    assert BODY in body and NOTICE not in body


def test_creators_are_not_warned_about_their_own_work(client, author):
    work = adult_work("Explicit", creator=author)
    client.force_login(author)
    body = client.get(f"/works/{work.pk}").content.decode()
    assert BODY in body and NOTICE not in body


def test_chapter_index_is_never_behind_the_notice(client):
    work = adult_work("Explicit", chapters=2)
    make_chapter(work, title="Undertow")
    response = client.get(f"/works/{work.pk}/navigate")
    assert response.status_code == 200
    root = parse(response.content)
    assert NOTICE not in text(root)
    assert "3. Undertow" in [text(a) for a in select(root, "ol.chapter.index > li > a")]


def test_only_the_notice_page_carries_the_sentence(client, author):
    work = adult_work("Mature", creator=author, chapters=2)
    pages = [
        f"/works/{work.pk}?view_adult=true",
        f"/works/{work.pk}?view_full_work=true&view_adult=true",
        f"/works/{work.pk}/navigate",
        "/works",
        f"/downloads/{work.pk}/Work.html",
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "could have adult content" not in body(response).decode(), url
