"""Series: the series page, part order with previous/next, restricted series, and the pages
on which creators edit, reorder and leave series."""

import pytest
from django.urls import NoReverseMatch, reverse

from tests.factories import make_user, make_work
from tests.works.markup import parse, select, select_one, text
from works.models import Series, SeriesWork, WorkStats
from works.services import posting as services

pytestmark = pytest.mark.django_db


def make_series(author, titles, title="Lighthouse Keepers"):
    series = services.series_create(creator=author, title=title)
    works = []
    for work_title in titles:
        work = make_work(creator=author, title=work_title)
        services.work_set_series(work=work, series=[series])
        works.append(work)
    return series, works


def blurb_titles(response):
    root = parse(response.content)
    return [
        text(select(h4, "a")[0]) for h4 in select(root, "ul.series.work.index li.blurb h4.heading")
    ]


def series_entry(client, work):
    root = parse(client.get(work.get_absolute_url()).content)
    return select_one(root, "dl.work.meta dd.series span.series")


def test_series_page_shows_details_stats_and_works_in_part_order(client, author):
    series, works = make_series(author, ["First Lamp", "Second Lamp", "Third Lamp"])
    series.description = "Three keepers of *one* light."
    series.notes = "Written over a winter."
    series.is_complete = True
    series.save()
    WorkStats.objects.filter(work=works[0]).update(bookmarks=3)
    WorkStats.objects.filter(work=works[2]).update(bookmarks=2)

    response = client.get(f"/series/{series.pk}")
    root = parse(response.content)
    assert text(select_one(root, "h2.heading")) == "Lighthouse Keepers"
    assert select_one(root, "dd.creators a[rel=author]").get("href") == author.get_pseud_url()
    assert select_one(root, "dd.description em").text == "one"
    assert "Written over a winter." in text(select_one(root, "dd.notes"))
    assert select(root, "dd.begun") and select(root, "dd.updated")
    stats = {
        dt.get("class"): text(dd)
        for dt, dd in zip(
            select(root, "dd.stats dl.stats > dt"),
            select(root, "dd.stats dl.stats > dd"),
            strict=True,
        )
    }
    assert stats["works"] == "3"
    assert stats["bookmarks"] == "5"
    assert stats["complete"] == "Yes"
    assert stats["words"] == str(sum(w.word_count for w in works))
    assert blurb_titles(response) == ["First Lamp", "Second Lamp", "Third Lamp"]


def test_work_page_links_previous_and_next_parts(client, author):
    series, (first, second, third) = make_series(author, ["Dawn Watch", "Noon Watch", "Dusk Watch"])
    middle = series_entry(client, second)
    assert select_one(middle, "a.previous").get("href") == first.get_absolute_url()
    assert select_one(middle, "a.next").get("href") == third.get_absolute_url()
    assert text(select_one(middle, "span.position")) == "Part 2 of Lighthouse Keepers"
    assert not select(series_entry(client, first), "a.previous")
    assert not select(series_entry(client, third), "a.next")
    afterword = parse(client.get(second.get_absolute_url()).content)
    assert "Part 2 of" in text(select_one(afterword, "div#series.series.module"))


def test_creator_reorders_parts_without_javascript(client, author):
    series, (first, second, third) = make_series(author, ["Dawn Watch", "Noon Watch", "Dusk Watch"])
    client.force_login(author)
    page = client.get(f"/series/{series.pk}/manage").content.decode()
    assert f'for="id_position_{third.pk}"' in page
    response = client.post(
        f"/series/{series.pk}/manage",
        {f"position_{first.pk}": "3", f"position_{second.pk}": "1", f"position_{third.pk}": "2"},
    )
    assert response.status_code == 302
    assert blurb_titles(client.get(f"/series/{series.pk}")) == [
        "Noon Watch",
        "Dusk Watch",
        "Dawn Watch",
    ]
    entry = series_entry(client, third)
    assert text(select_one(entry, "span.position")) == "Part 2 of Lighthouse Keepers"
    assert select_one(entry, "a.previous").get("href") == second.get_absolute_url()
    assert select_one(entry, "a.next").get("href") == first.get_absolute_url()


def test_bad_part_number_is_shown_next_to_the_field_and_nothing_moves(client, author):
    series, (first, second) = make_series(author, ["Dawn Watch", "Noon Watch"])
    client.force_login(author)
    response = client.post(
        f"/series/{series.pk}/manage", {f"position_{first.pk}": "two", f"position_{second.pk}": "1"}
    )
    assert response.status_code == 200
    assert "Enter a whole number." in response.content.decode()
    assert list(series.series_works.values_list("work_id", flat=True)) == [first.pk, second.pk]


def test_removing_a_work_renumbers_the_rest(client, author):
    series, (first, second, third) = make_series(author, ["Dawn Watch", "Noon Watch", "Dusk Watch"])
    client.force_login(author)
    response = client.post(f"/series/{series.pk}/works/{second.pk}/remove")
    assert response.status_code == 302
    assert list(series.series_works.values_list("work_id", "position")) == [
        (first.pk, 1),
        (third.pk, 2),
    ]


def test_only_creators_manage_edit_or_remove(client, author):
    series, (first,) = make_series(author, ["Dawn Watch"])
    client.force_login(make_user())
    assert client.get(f"/series/{series.pk}/manage").status_code == 404
    assert client.get(f"/series/{series.pk}/edit").status_code == 404
    assert client.post(f"/series/{series.pk}/works/{first.pk}/remove").status_code == 404
    assert SeriesWork.objects.filter(series=series).count() == 1
    client.logout()
    assert client.get(f"/series/{series.pk}/edit").status_code == 302


def test_creator_edits_title_description_notes_and_complete(client, author):
    series, _works = make_series(author, ["Dawn Watch"])
    client.force_login(author)
    response = client.post(
        f"/series/{series.pk}/edit",
        {
            "title": "Keepers Of The Light",
            "description": "Now **finished**.",
            "notes": "",
            "is_complete": "on",
        },
    )
    assert response.status_code == 302
    series.refresh_from_db()
    assert series.title == "Keepers Of The Light"
    assert series.is_complete
    assert "<strong>finished</strong>" in series.description_html


def test_empty_title_keeps_what_was_typed(client, author):
    series, _works = make_series(author, ["Dawn Watch"])
    client.force_login(author)
    response = client.post(
        f"/series/{series.pk}/edit", {"title": "  ", "description": "Kept description text"}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Please enter a title." in body and "Kept description text" in body


def test_a_series_with_a_restricted_work_sends_guests_to_log_in(client, author):
    series, (open_work, locked) = make_series(author, ["Open Harbour", "Locked Harbour"])
    services.work_update(work=locked, fields={"restricted": True})
    response = client.get(f"/series/{series.pk}")
    assert response.status_code == 302
    assert response["Location"].startswith("/users/login")
    assert "Open Harbour" not in response.content.decode()
    client.force_login(make_user())
    assert blurb_titles(client.get(f"/series/{series.pk}")) == ["Open Harbour", "Locked Harbour"]


def test_a_work_can_be_in_several_series_and_leave_one_on_edit(client, author):
    one = services.series_create(creator=author, title="Tide Cycle")
    two = services.series_create(creator=author, title="Moon Cycle")
    work = make_work(creator=author, title="Spring Tide")
    services.work_set_series(work=work, series=[one])
    client.force_login(author)
    edit = client.get(f"/works/{work.pk}/edit").content.decode()
    assert f'name="series_remove" value="{one.pk}"' in edit
    data = _edit_data(work, series=str(two.pk))
    assert client.post(f"/works/{work.pk}/edit", data).status_code == 302
    assert set(SeriesWork.objects.filter(work=work).values_list("series_id", flat=True)) == {
        one.pk,
        two.pk,
    }
    entries = select(parse(client.get(work.get_absolute_url()).content), "dd.series span.position")
    assert len(entries) == 2
    data = _edit_data(work, series_remove=str(one.pk))
    assert client.post(f"/works/{work.pk}/edit", data).status_code == 302
    assert list(SeriesWork.objects.filter(work=work).values_list("series_id", flat=True)) == [
        two.pk
    ]


def _edit_data(work, **overrides):
    data = {
        "title": work.title,
        "rating": "General Audiences",
        "warnings": ["No Archive Warnings Apply"],
        "fandoms": ", ".join(t.name for t in work.tags.filter(type="fandom")),
        "language": "en",
        "comment_permission": "everyone",
        "body": work.chapters.first().body,
        "edit_button": "",
    }
    data.pop("edit_button")
    data["post_button"] = "Post"
    data.update(overrides)
    return data


def test_series_page_query_count_does_not_grow_with_parts(
    client, author, django_assert_max_num_queries
):
    series, _works = make_series(author, ["A1", "A2"], title="Small")
    big, _more = make_series(author, [f"B{n}" for n in range(8)], title="Big")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        client.get(f"/series/{series.pk}")
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(f"/series/{big.pk}")


def test_unknown_series_is_not_found(client):
    assert client.get("/series/987654").status_code == 404
    assert not Series.objects.exists()


def test_series_page_offers_subscribe_to_logged_in_readers(client, author):
    series, _works = make_series(author, ["Dawn Watch"])
    assert "Subscribe" not in client.get(f"/series/{series.pk}").content.decode()
    client.force_login(make_user())
    root = parse(client.get(f"/series/{series.pk}").content)
    forms = select(root, "li.subscribe form")
    try:
        url = reverse("works:subscribe_series", args=[series.pk])
    except NoReverseMatch:  # before the subscription feature: no button
        assert not forms
        return
    assert forms[0].get("action") == url
    client.post(url)
    root = parse(client.get(f"/series/{series.pk}").content)
    button = select_one(root, "li.subscribe input[name=commit]")
    assert button.get("value") == "Unsubscribe"
    # The unsubscribe form posts to AO3's address, which takes the reader back to the series.
    form = select_one(root, "li.subscribe form")
    response = client.post(
        form.get("action"), {"_method": "delete", "next": f"/series/{series.pk}"}
    )
    assert response.status_code == 302
    assert response["Location"] == f"/series/{series.pk}"
    root = parse(client.get(f"/series/{series.pk}").content)
    assert select_one(root, "li.subscribe input[name=commit]").get("value") == "Subscribe"
