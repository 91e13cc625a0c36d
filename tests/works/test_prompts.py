"""Prompts: a collection's list of prompt tags, managed by its staff without JavaScript; works
answer them from the posting form; prompt pages list the works and the prompts page counts."""

import pytest

from tags.models import Tag, TagType
from tests.factories import make_user, make_work
from tests.works.markup import parse, select, select_one, text
from works.models import CollectionPrompt, Work
from works.services import collections as cs
from works.services import posting as services

pytestmark = pytest.mark.django_db


@pytest.fixture
def challenge(db):
    owner = make_user(username="prompt_runner")
    collection = cs.collection_create(
        owner=owner, fields={"name": "lantern2025", "title": "Lantern Month 2025"}
    )
    for day, title in ((1, "First Frost"), (2, "Taking Accountability"), (3, "Old Maps")):
        cs.prompt_add(collection=collection, position=day, title=title)
    return collection


def prompt(collection, day):
    return collection.prompts.get(position=day)


def post_work(client, **overrides):
    data = {
        "title": "Answering Work",
        "rating": "General Audiences",
        "warnings": ["No Archive Warnings Apply"],
        "fandoms": "Harbour Tales",
        "language": "en",
        "comment_permission": "everyone",
        "body": "A lantern in the frost.",
        "post_button": "Post",
    }
    data.update(overrides)
    return client.post("/works/new", data)


def test_prompt_tags_are_named_after_the_collection_and_day(challenge):
    assert [p.tag.name for p in challenge.prompts.select_related("tag")] == [
        "Lantern Month 2025 Day 01: First Frost",
        "Lantern Month 2025 Day 02: Taking Accountability",
        "Lantern Month 2025 Day 03: Old Maps",
    ]
    assert all(p.tag.type == TagType.PROMPT for p in challenge.prompts.select_related("tag"))


def test_staff_add_edit_and_remove_prompts_without_javascript(client, challenge):
    client.force_login(challenge.owner)
    page = client.get("/collections/lantern2025/prompts/manage").content.decode()
    assert 'for="id_position"' in page and "Lantern Month 2025 Day 03: Old Maps" in page
    response = client.post(
        "/collections/lantern2025/prompts/manage",
        {"position": "4", "title": "Lighthouse", "description": "Any light.", "add_button": ""},
    )
    assert response.status_code == 302
    assert prompt(challenge, 4).tag.name == "Lantern Month 2025 Day 04: Lighthouse"

    third = prompt(challenge, 3)
    response = client.post(
        "/collections/lantern2025/prompts/manage",
        {
            "prompt": third.pk,
            f"prompt_{third.pk}-position": "5",
            f"prompt_{third.pk}-title": "Older Maps",
            f"prompt_{third.pk}-description": "",
            "save_button": "",
        },
    )
    assert response.status_code == 302
    third.refresh_from_db()
    assert third.position == 5 and third.tag.name == "Lantern Month 2025 Day 05: Older Maps"

    client.post(
        "/collections/lantern2025/prompts/manage", {"prompt": third.pk, "remove_button": ""}
    )
    assert not CollectionPrompt.objects.filter(pk=third.pk).exists()


def test_a_day_taken_twice_is_explained_and_kept(client, challenge):
    client.force_login(challenge.owner)
    response = client.post(
        "/collections/lantern2025/prompts/manage",
        {"position": "2", "title": "Second Thoughts", "add_button": ""},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Another prompt already has this day or number." in body
    assert 'value="Second Thoughts"' in body
    assert challenge.prompts.count() == 3


def test_forbidden_characters_in_a_prompt_are_explained(client, challenge):
    client.force_login(challenge.owner)
    response = client.post(
        "/collections/lantern2025/prompts/manage",
        {"position": "9", "title": "Frost, and snow", "add_button": ""},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Tag names cannot contain ," in body
    assert 'value="Frost, and snow"' in body
    assert challenge.prompts.count() == 3


def test_others_cannot_manage_prompts(client, challenge):
    client.force_login(make_user())
    response = client.post(
        "/collections/lantern2025/prompts/manage",
        {"position": "4", "title": "Intruder", "add_button": ""},
    )
    assert response.status_code == 404
    assert challenge.prompts.count() == 3


def test_post_to_collection_offers_its_prompts_as_checkboxes(client, author, challenge):
    client.force_login(author)
    form = client.get("/works/new?collection=lantern2025").content.decode()
    second = prompt(challenge, 2)
    assert 'value="lantern2025"' in form
    assert f'name="collection_prompts" value="{second.pk}"' in form
    assert "Lantern Month 2025 Day 02: Taking Accountability" in form
    response = post_work(client, collections="lantern2025", collection_prompts=[second.pk])
    assert response.status_code == 302
    work = Work.objects.get(title="Answering Work")
    assert list(work.tags.filter(type=TagType.PROMPT)) == [second.tag]
    root = parse(client.get(work.get_absolute_url()).content)
    link = select_one(root, "dd.prompt.tags a.tag")
    assert text(link) == second.tag.name
    assert link.get("href") == second.tag.get_works_url()


def test_typed_prompt_names_still_work(client, author, challenge):
    client.force_login(author)
    post_work(
        client,
        collections="lantern2025",
        prompts="Lantern Month 2025 Day 01: First Frost",
    )
    work = Work.objects.get(title="Answering Work")
    assert list(work.tags.filter(type=TagType.PROMPT)) == [prompt(challenge, 1).tag]


def test_a_prompt_of_another_collection_cannot_be_ticked(client, author, challenge):
    other = cs.collection_create(owner=make_user(), fields={"name": "other", "title": "Other"})
    foreign = cs.prompt_add(collection=other, position=1, title="Elsewhere")
    client.force_login(author)
    response = post_work(client, collections="lantern2025", collection_prompts=[foreign.pk])
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Work.objects.exists()


def test_edit_form_ticks_the_prompts_the_work_answers_and_unticking_removes(
    client, author, challenge
):
    client.force_login(author)
    first, second = prompt(challenge, 1), prompt(challenge, 2)
    post_work(client, collections="lantern2025", collection_prompts=[first.pk, second.pk])
    work = Work.objects.get(title="Answering Work")
    edit = client.get(f"/works/{work.pk}/edit").content.decode()
    assert f'value="{first.pk}" id="id_collection_prompts_0" checked' in edit
    # The typed field does not repeat the ticked prompts.
    root = parse(edit)
    assert select_one(root, "input#id_prompts").get("value") in (None, "")
    post_work_edit = {
        "title": "Answering Work",
        "rating": "General Audiences",
        "warnings": ["No Archive Warnings Apply"],
        "fandoms": "Harbour Tales",
        "language": "en",
        "comment_permission": "everyone",
        "body": "A lantern in the frost.",
        "collections": "lantern2025",
        "collection_prompts": [second.pk],
        "post_button": "Post",
    }
    assert client.post(f"/works/{work.pk}/edit", post_work_edit).status_code == 302
    assert list(work.tags.filter(type=TagType.PROMPT)) == [second.tag]


def test_prompt_page_lists_the_works_answering_it_and_prompts_page_counts(client, challenge):
    first, second = prompt(challenge, 1), prompt(challenge, 2)
    authors = [make_user(), make_user()]
    for n, (creator, answered) in enumerate(
        [(authors[0], [first]), (authors[1], [first, second]), (authors[0], [])]
    ):
        work = make_work(
            creator=creator,
            title=f"Frost Story {n}",
            tags={TagType.PROMPT: [p.tag.name for p in answered]},
        )
        cs.collection_add_work(collection=challenge, work=work, user=creator)
    # A work outside the collection using the tag does not count for the collection.
    make_work(title="Outside Story", tags={TagType.PROMPT: [first.tag.name]})
    # Nor does a draft.
    draft = make_work(
        creator=authors[0], title="Draft Story", post=False, tags={TagType.PROMPT: [first.tag.name]}
    )
    services.work_set_collections(work=draft, collections=[challenge])

    root = parse(client.get("/collections/lantern2025/prompts").content)
    rows = {
        text(select_one(li, "h3 a")): text(select_one(li, "span.count"))
        for li in select(root, "ol.prompts > li")
    }
    assert rows == {
        "Day 01: First Frost": "(2 works)",
        "Day 02: Taking Accountability": "(1 work)",
        "Day 03: Old Maps": "(0 works)",
    }
    page = client.get("/collections/lantern2025/prompts/1").content.decode()
    assert "Frost Story 0" in page and "Frost Story 1" in page
    assert "Frost Story 2" not in page and "Outside Story" not in page
    assert "Draft Story" not in page
    assert client.get("/collections/lantern2025/prompts/42").status_code == 404


def test_renaming_a_prompt_keeps_the_works_answering_it(challenge):
    first = prompt(challenge, 1)
    work = make_work(tags={TagType.PROMPT: [first.tag.name]})
    cs.prompt_update(prompt=first, position=1, title="Hard Frost")
    assert list(work.tags.filter(type=TagType.PROMPT).values_list("name", flat=True)) == [
        "Lantern Month 2025 Day 01: Hard Frost"
    ]
    assert Tag.objects.filter(name__contains="First Frost").count() == 0


def test_prompt_and_collection_text_cannot_inject_script(client, challenge):
    cs.prompt_add(
        collection=challenge, position=7, title="Quiet", description="<script>alert(1)</script>"
    )
    challenge.description = '<img src=x onerror="alert(2)"><script>alert(3)</script>'
    challenge.save()
    for url in ("/collections/lantern2025", "/collections/lantern2025/prompts"):
        body = client.get(url).content.decode()
        assert "<script>alert" not in body and "onerror" not in body
