"""Wrangling in the admin: the Tag wrangler group, actions, the change form, filters."""

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from tags import services
from tags.models import Tag, TagType
from tests.factories import make_tag, make_user, make_work
from tests.tags.helpers import assert_filters_exact, found_under

pytestmark = pytest.mark.django_db

C = TagType.CHARACTER
F = TagType.FANDOM
CHANGELIST = "/admin/tags/tag/"


def run_action(client, action, tags, **data):
    """Post an action as the changelist does; with `data`, also answer its intermediate page."""
    selected = [tag.pk for tag in tags]
    response = client.post(
        CHANGELIST, {"action": action, "_selected_action": selected, "index": "0"}
    )
    if data:
        response = client.post(
            CHANGELIST, {"action": action, "_selected_action": selected, "apply": "Apply", **data}
        )
    return response


def messages_of(client):
    return [str(message) for message in client.get(CHANGELIST).context["messages"]]


# --- the group ---------------------------------------------------------------------------


def test_tag_wrangler_group_has_exactly_the_wrangling_permissions():
    group = Group.objects.get(name="Tag wrangler")
    assert set(group.permissions.values_list("content_type__app_label", "codename")) == {
        ("tags", "view_tag"),
        ("tags", "change_tag"),
        ("works", "view_work"),
    }


def test_a_wrangler_cannot_hide_a_work(wrangler, wrangler_client):
    work = make_work(title="Not Yours To Hide")
    assert not wrangler.has_perm("works.change_work")
    response = wrangler_client.post(
        f"/admin/works/work/{work.pk}/change/",
        {"title": "Not Yours To Hide", "hidden_by_moderator": "on"},
    )
    assert response.status_code == 403
    wrangler_client.post(
        "/admin/works/work/",
        {"action": "hide_works", "_selected_action": [work.pk], "index": "0"},
    )
    work.refresh_from_db()
    assert work.hidden_by_moderator is False


def test_a_wrangler_cannot_manage_users_or_delete_tags(wrangler_client):
    tag = make_tag("Spock", type=C)
    assert wrangler_client.get("/admin/archive/user/").status_code == 403
    assert (
        wrangler_client.post(f"/admin/tags/tag/{tag.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
    assert Tag.objects.filter(pk=tag.pk).exists()


# --- the acceptance story ----------------------------------------------------------------


def test_wrangler_makes_jim_kirk_a_synonym_and_readers_find_his_works(wrangler_client, reader):
    kirk = make_tag("James T. Kirk", type=C, canonical=True)
    make_work(tags={C: ["James T. Kirk"]}, title="The Captain's Log")
    make_work(tags={C: ["Jim Kirk"]}, title="Jim Goes Fishing")
    jim = Tag.objects.get(name="Jim Kirk")
    client = Client()  # the reader's own browser
    client.force_login(reader)
    assert "Jim Goes Fishing" not in client.get("/tags/James T*d* Kirk/works").content.decode()

    page = run_action(wrangler_client, "make_synonym", [jim])
    assert page.status_code == 200 and b'name="tag"' in page.content
    done = run_action(wrangler_client, "make_synonym", [jim], tag="James T. Kirk")
    assert done.status_code == 302

    jim.refresh_from_db()
    assert jim.merger == kirk
    listing = client.get("/tags/James T*d* Kirk/works").content.decode()
    assert "Jim Goes Fishing" in listing and "The Captain&#x27;s Log" in listing
    assert_filters_exact()


# --- actions -----------------------------------------------------------------------------


def test_make_canonical_and_mark_unwrangleable_actions(wrangler_client):
    spock = make_tag("Spock", type=C)
    guy = make_tag("Some Guy", type=C)
    run_action(wrangler_client, "make_canonical", [spock])
    run_action(wrangler_client, "mark_unwrangleable", [guy])
    spock.refresh_from_db(), guy.refresh_from_db()
    assert spock.canonical and guy.unwrangleable


def test_refused_actions_are_reported_and_change_nothing(wrangler_client):
    loose = make_tag("Jim", type=C)
    not_canonical = make_tag("Kirk", type=C)
    run_action(wrangler_client, "make_synonym", [loose], tag="Kirk")
    assert any("not canonical" in message for message in messages_of(wrangler_client))
    loose.refresh_from_db()
    assert loose.merger is None and not not_canonical.canonical


def test_a_refused_tag_does_not_stop_the_others(wrangler_client):
    kirk = make_tag("James T. Kirk", type=C, canonical=True)
    make_tag("Jim", type=C, merger=kirk)
    spock = make_tag("Spock", type=C)
    run_action(wrangler_client, "make_canonical", [Tag.objects.get(name="Jim"), spock])
    spock.refresh_from_db()
    assert spock.canonical
    assert not Tag.objects.get(name="Jim").canonical
    assert any("Jim" in message for message in messages_of(wrangler_client))


def test_add_parent_fandom_and_meta_tag_actions(wrangler_client):
    star_trek = make_tag("Star Trek", type=F, canonical=True)
    tos = make_tag("Star Trek: The Original Series", type=F, canonical=True)
    spock = make_tag("Spock", type=C, canonical=True)
    work = make_work(tags={F: ["Star Trek: The Original Series"]})

    run_action(wrangler_client, "add_parent_fandom", [spock], tag="Star Trek")
    run_action(wrangler_client, "add_meta_tag", [tos], tag="Star Trek")

    assert set(spock.parents.all()) == {star_trek}
    assert work.pk in found_under(star_trek)
    # The reverse link would be a cycle: refused with a message, nothing changes.
    run_action(wrangler_client, "add_meta_tag", [star_trek], tag="Star Trek: The Original Series")
    assert any("already a sub tag" in message for message in messages_of(wrangler_client))
    assert not star_trek.meta_tags.exists()
    assert_filters_exact()


def test_intermediate_page_refuses_an_unknown_tag_and_keeps_the_selection(wrangler_client):
    spock = make_tag("Spock", type=C)
    response = run_action(wrangler_client, "add_parent_fandom", [spock], tag="Nowhere")
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is no tag named" in page
    assert f'name="_selected_action" value="{spock.pk}"' in page
    assert not spock.parents.exists()


def test_merge_action_moves_works(wrangler_client):
    typo = make_tag("Spokc", type=C)
    spock = make_tag("Spock", type=C, canonical=True)
    work = make_work(tags={C: ["Spokc"]})
    run_action(wrangler_client, "merge_tags", [typo], tag="Spock")
    assert list(work.tags.filter(type=C)) == [spock]
    spock.refresh_from_db(), typo.refresh_from_db()
    assert (spock.work_count, typo.work_count) == (1, 0)
    assert_filters_exact()


# --- the change form ---------------------------------------------------------------------


def change_data(tag, **changes):
    data = {
        "name": tag.name,
        "canonical": "on" if tag.canonical else "",
        "merger": tag.merger_id or "",
        "unwrangleable": "on" if tag.unwrangleable else "",
        "parents": [p.pk for p in tag.parents.all()],
        "meta_tags": [m.pk for m in tag.meta_tags.all()],
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value not in ("", None)}


def test_change_form_wrangles_through_the_services(wrangler_client):
    kirk = make_tag("James T. Kirk", type=C, canonical=True)
    jim = make_tag("Jim Kirk", type=C)
    work = make_work(tags={C: ["Jim Kirk"]})

    response = wrangler_client.post(
        f"/admin/tags/tag/{jim.pk}/change/", change_data(jim, merger=kirk.pk)
    )

    assert response.status_code == 302
    jim.refresh_from_db()
    assert jim.merger == kirk
    assert work.pk in found_under(kirk)
    assert_filters_exact()


def test_change_form_shows_refusals_next_to_the_field(wrangler_client):
    star_trek = make_tag("Star Trek", type=F, canonical=True)
    tos = make_tag("Star Trek: The Original Series", type=F, canonical=True)
    services.tag_add_meta(tag=tos, meta=star_trek)
    make_tag("Spock", type=C)

    cycle = wrangler_client.post(
        f"/admin/tags/tag/{star_trek.pk}/change/", change_data(star_trek, meta_tags=[tos.pk])
    )
    clash = wrangler_client.post(
        f"/admin/tags/tag/{tos.pk}/change/", change_data(tos, name="spock")
    )

    assert cycle.status_code == 200
    assert "already a sub tag" in str(cycle.context["adminform"].form.errors["meta_tags"])
    assert clash.status_code == 200
    assert "already used" in str(clash.context["adminform"].form.errors["name"])
    assert not star_trek.meta_tags.exists()
    assert Tag.objects.get(pk=tos.pk).name == "Star Trek: The Original Series"


def test_deleting_a_tag_in_the_admin_keeps_filters_exact(admin_client):
    star_trek = make_tag("Star Trek", type=F, canonical=True)
    tos = make_tag("Star Trek: The Original Series", type=F, canonical=True)
    services.tag_add_meta(tag=tos, meta=star_trek)
    make_tag("TOS", type=F, merger=tos)
    work = make_work(tags={F: ["TOS"]})

    admin_client.post(f"/admin/tags/tag/{tos.pk}/delete/", {"post": "yes"})

    assert not Tag.objects.filter(pk=tos.pk).exists()
    assert work.pk not in found_under(star_trek)
    assert_filters_exact()


# --- list filters and search -------------------------------------------------------------


def listed(client, query):
    return {tag.name for tag in client.get(CHANGELIST + query).context["cl"].result_list}


def test_wrangled_filter(wrangler_client):
    star_trek = make_tag("Star Trek", type=F, canonical=True)
    services.tag_add_parent(tag=star_trek, parent=Tag.objects.get(name="TV Shows"))
    placed = make_tag("Spock", type=C, canonical=True)
    services.tag_add_parent(tag=placed, parent=star_trek)
    make_tag("Unplaced Canonical", type=C, canonical=True)
    make_tag("Loose Tag", type=C)
    make_tag("Synonym Tag", type=C, merger=placed)
    make_tag("Hopeless Tag", type=C, unwrangleable=True)

    wrangled = listed(wrangler_client, "?wrangled=yes&type__exact=character")
    unwrangled = listed(wrangler_client, "?wrangled=no&type__exact=character")

    assert wrangled == {"Spock", "Synonym Tag", "Hopeless Tag"}
    assert unwrangled == {"Unplaced Canonical", "Loose Tag"}


def test_fandom_filter_and_search(wrangler_client):
    star_trek = make_tag("Star Trek", type=F, canonical=True)
    spock = make_tag("Spock", type=C, canonical=True)
    services.tag_add_parent(tag=spock, parent=star_trek)
    make_tag("Spock Prime", type=C)
    assert listed(wrangler_client, f"?fandom={star_trek.pk}") == {"Spock"}
    assert listed(wrangler_client, "?q=spock") == {"Spock", "Spock Prime"}
    assert listed(wrangler_client, "?fandom=nonsense") == set()


def test_non_staff_readers_cannot_reach_the_tag_admin(client):
    client.force_login(make_user())
    response = client.get(CHANGELIST)
    assert response.status_code == 302 and "/login/" in response["Location"]
