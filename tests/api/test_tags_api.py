"""Tags and fandoms through the API: the same tags, counts and relations the tag pages, the
fandom index and the autocomplete show; bad parameters are 422 problems; unknown and huge ids
404; the number of queries does not grow with the page."""

import re

import pytest

from tags.models import Tag, TagType
from tags.services import tag_add_meta, tag_add_parent, tag_make_synonym, tag_set_canonical
from tests.api.conftest import token_for
from tests.factories import make_tag, make_user, make_work
from tests.works.markup import parse, select, select_one, text

pytestmark = pytest.mark.django_db

F, C, R, A = TagType.FANDOM, TagType.CHARACTER, TagType.RELATIONSHIP, TagType.FREEFORM


def canonical(name, type=F):
    tag = Tag.objects.filter(name=name).first() or make_tag(name, type)
    return tag_set_canonical(tag=tag)


def names(response):
    return [tag["name"] for tag in response.json()["results"]]


@pytest.fixture
def trek():
    """Star Trek (in the medium TV Shows) with Spock, a synonym "Mr. Spock", a meta tag,
    works: two public, one restricted (on Spock), one draft."""
    author = make_user(username="trekker")
    fandom = canonical("Star Trek")
    tv = Tag.objects.filter(type=TagType.MEDIA, name="TV Shows").first() or make_tag(
        "TV Shows", TagType.MEDIA
    )
    tag_add_parent(tag=fandom, parent=tv)
    spock = canonical("Spock", C)
    tag_add_parent(tag=spock, parent=fandom)
    mr_spock = make_tag("Mr. Spock", C)
    tag_make_synonym(tag=mr_spock, canonical=spock)
    vulcans = canonical("Vulcans", C)
    tag_add_meta(tag=spock, meta=vulcans)
    make_work(creator=author, tags={F: ["Star Trek"], C: ["Spock"]})
    make_work(creator=author, tags={F: ["Star Trek"], C: ["Mr. Spock"]})
    make_work(creator=author, tags={F: ["Star Trek"], C: ["Spock"]}, restricted=True)
    make_work(creator=author, tags={F: ["Star Trek"], C: ["Spock"]}, post=False)
    return {"fandom": fandom, "spock": spock, "mr_spock": mr_spock, "vulcans": vulcans, "tv": tv}


def test_fandoms_list_shows_the_fandom_index_names_and_counts(api, client, trek):
    canonical("Babylon 5")
    make_work(tags={F: ["Babylon 5"]})
    page = parse(client.get("/fandoms").content)
    on_page = [
        (text(select_one(li, "a.tag")), text(select_one(li, "span.count")).strip("()"))
        for li in select(page, "ul.tags.index li")
    ]

    answer = api.get("/api/v1/fandoms", {"limit": 100}).json()

    assert [(f["name"], str(f["works_count"])) for f in answer["results"]] == on_page
    trek_out = next(f for f in answer["results"] if f["name"] == "Star Trek")
    assert trek_out["media"] == ["TV Shows"] and trek_out["works_count"] == 3
    assert trek_out["url"] == "/tags/Star%20Trek" and trek_out["canonical"] is True
    assert api.get(trek_out["api_url"]).json()["name"] == "Star Trek"


def test_fandoms_media_filter_matches_the_media_page_and_unknown_media_is_404(api, client, trek):
    canonical("Babylon 5")
    page = parse(client.get("/media/TV%20Shows/fandoms").content)
    on_page = [text(a) for a in select(page, "ul.tags.index a.tag")]

    answer = api.get("/api/v1/fandoms", {"media": "TV Shows"}).json()

    assert names_of(answer) == on_page == ["Star Trek"]
    missing = api.get("/api/v1/fandoms", {"media": "Radio Plays"})
    assert missing.status_code == 404 and missing["Content-Type"] == "application/problem+json"


def names_of(answer):
    return [item["name"] for item in answer["results"]]


def test_q_finds_what_the_autocomplete_finds_in_its_order(api, client, trek):
    canonical("Spike", C)
    canonical("Spot", C)
    make_work(tags={C: ["Spot"]})
    make_work(tags={C: ["Spot"]})
    from_autocomplete = [
        row["name"] for row in client.get("/autocomplete/character?term=sp").json()
    ]

    answer = api.get("/api/v1/tags", {"q": "sp", "type": "character", "canonical": "true"})

    assert names(answer) == from_autocomplete == ["Spock", "Spot", "Spike"]


def test_list_filters_by_type_and_canonical_and_shows_unwrangled_tags(api, trek):
    make_tag("Spock is sad", A)
    all_sp = names(api.get("/api/v1/tags", {"q": "SP"}))
    assert all_sp == ["Spock", "Spock is sad"]
    uncommon = api.get("/api/v1/tags", {"type": "character", "canonical": "false"}).json()
    assert names_of(uncommon) == ["Mr. Spock"]
    assert uncommon["results"][0]["works_count"] == 1
    fandoms = names(api.get("/api/v1/tags", {"type": "fandom", "limit": 100}))
    assert "Star Trek" in fandoms and "Spock" not in fandoms


def test_list_pages(api, trek):
    for n in range(5):
        make_tag(f"Paged {n}", A)
    first = api.get("/api/v1/tags", {"q": "paged", "limit": 2}).json()
    last = api.get("/api/v1/tags", {"q": "paged", "limit": 2, "page": 3}).json()
    past = api.get("/api/v1/tags", {"q": "paged", "limit": 2, "page": 9}).json()
    assert (first["count"], first["pages"], first["limit"]) == (5, 3, 2)
    assert names_of(first) == ["Paged 0", "Paged 1"] and names_of(last) == ["Paged 4"]
    assert past["results"] == [] and past["count"] == 5


@pytest.mark.parametrize(
    "params, field",
    [
        ({"limit": 0}, "limit"),
        ({"limit": 101}, "limit"),
        ({"page": 0}, "page"),
        ({"page": "x"}, "page"),
        ({"type": "spaceship"}, "type"),
        ({"canonical": "perhaps"}, "canonical"),
        ({"q": "x" * 151}, "q"),
    ],
)
def test_bad_list_parameters_are_422_problems(api, params, field):
    response = api.get("/api/v1/tags", params)
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    assert field in response.json()["errors"]


def test_tag_shows_what_its_page_shows(api, client, trek):
    spock = trek["spock"]
    page = parse(client.get("/tags/Spock").content)
    page_works = int(
        re.sub(r"\D", "", text(select(page, "div.tag.home ul.navigation.actions a")[0]))
    )

    answer = api.get(f"/api/v1/tags/{spock.pk}").json()

    assert answer["name"] == "Spock" and answer["type"] == "character" and answer["canonical"]
    assert [t["name"] for t in answer["synonyms"]] == ["Mr. Spock"]
    assert [t["name"] for t in answer["parents"]] == ["Star Trek"]
    assert [t["name"] for t in answer["meta_tags"]] == ["Vulcans"]
    assert answer["synonym_of"] is None and answer["sub_tags"] == []
    assert answer["works_visible"] == page_works == 2
    # Public counts: Spock's own two posted works and its synonym's one.
    assert answer["works_count"] == 3
    assert answer["works_url"] == f"/api/v1/works?tag_id={spock.pk}"
    fandom = api.get(f"/api/v1/tags/{trek['fandom'].pk}").json()
    assert [t["name"] for t in fandom["children"]] == ["Spock"]
    assert [t["name"] for t in fandom["parents"]] == ["TV Shows"]
    vulcans = api.get(f"/api/v1/tags/{trek['vulcans'].pk}").json()
    assert [t["name"] for t in vulcans["sub_tags"]] == ["Spock"]


def test_a_reader_counts_the_restricted_work_as_the_page_does(api, client, trek):
    reader = make_user(username="trekreader")
    client.force_login(reader)
    page = parse(client.get("/tags/Spock").content)
    page_works = int(
        re.sub(r"\D", "", text(select(page, "div.tag.home ul.navigation.actions a")[0]))
    )
    answer = api.get(f"/api/v1/tags/{trek['spock'].pk}", token=token_for(reader, "read")).json()
    assert answer["works_visible"] == page_works == 3
    # A token without the read scope reads as a guest.
    as_guest = api.get(f"/api/v1/tags/{trek['spock'].pk}", token=token_for(reader, "write:works"))
    assert as_guest.json()["works_visible"] == 2


def test_synonyms_and_unwrangled_tags_have_their_own_answer(api, trek):
    synonym = api.get(f"/api/v1/tags/{trek['mr_spock'].pk}").json()
    assert synonym["name"] == "Mr. Spock" and not synonym["canonical"]
    assert synonym["synonym_of"]["name"] == "Spock"
    assert synonym["works_url"] == f"/api/v1/works?tag_id={trek['spock'].pk}"
    loose = make_tag("Spock in a hat", A)
    make_work(tags={A: ["Spock in a hat"]})
    answer = api.get(f"/api/v1/tags/{loose.pk}").json()
    assert (answer["canonical"], answer["synonym_of"], answer["works_count"]) == (False, None, 1)
    assert answer["works_visible"] == 1


@pytest.mark.parametrize("tag_id", ["999999", "0", "-3", str(2**63), str(2**80)])
def test_unknown_and_huge_tag_ids_are_404_problems(api, tag_id):
    response = api.get(f"/api/v1/tags/{tag_id}")
    assert response.status_code == 404
    assert response.json()["detail"] == "Not found."


def test_a_tag_id_that_is_not_a_number_is_a_422_problem(api):
    response = api.get("/api/v1/tags/spock")
    assert response.status_code == 422 and "tag_id" in response.json()["errors"]


def _fandoms_with_media(n, start):
    tv = Tag.objects.filter(type=TagType.MEDIA, name="TV Shows").first() or make_tag(
        "TV Shows", TagType.MEDIA
    )
    for i in range(start, start + n):
        fandom = canonical(f"Counted Fandom {i:03}")
        tag_add_parent(tag=fandom, parent=tv)
        tag_make_synonym(tag=make_tag(f"Counted synonym {i:03}", F), canonical=fandom)


@pytest.mark.parametrize("path", ["/api/v1/fandoms", "/api/v1/tags?type=fandom"])
def test_lists_take_the_same_queries_for_n_and_2n_items(api, django_assert_num_queries, path):
    _fandoms_with_media(3, 0)
    sep = "&" if "?" in path else "?"
    with django_assert_num_queries(2 + path.endswith("fandoms")) as small:
        assert len(api.get(f"{path}{sep}q=Counted&limit=100").json()["results"]) >= 3
    _fandoms_with_media(3, 3)
    with django_assert_num_queries(len(small.captured_queries)):
        assert len(api.get(f"{path}{sep}q=Counted&limit=100").json()["results"]) >= 6


def test_a_tag_takes_the_same_queries_for_n_and_2n_relations(api, django_assert_num_queries):
    fandom = canonical("Query Fandom")

    def grow(start, n):
        for i in range(start, start + n):
            child = canonical(f"Query Character {i}", C)
            tag_add_parent(tag=child, parent=fandom)
            tag_make_synonym(tag=make_tag(f"Query synonym {i}", F), canonical=fandom)
            make_work(tags={F: ["Query Fandom"], C: [f"Query Character {i}"]})

    grow(0, 2)
    with django_assert_num_queries(7) as small:
        assert len(api.get(f"/api/v1/tags/{fandom.pk}").json()["children"]) == 2
    grow(2, 2)
    with django_assert_num_queries(len(small.captured_queries)):
        answer = api.get(f"/api/v1/tags/{fandom.pk}").json()
    assert len(answer["children"]) == 4 and len(answer["synonyms"]) == 4


def test_the_generated_client_reads_tags_and_fandoms(api_client, trek):
    from out.api.tags import fandoms_list, tag_get, tags_list

    client = api_client()
    found = tags_list.sync(client=client, q="spo", type_="character")
    assert [tag.name for tag in found.results] == ["Spock"]
    spock = tag_get.sync(client=client, tag_id=found.results[0].id)
    assert [t.name for t in spock.synonyms] == ["Mr. Spock"] and spock.works_visible == 2
    assert tag_get.sync_detailed(client=client, tag_id=10**12).status_code == 404
    fandoms = fandoms_list.sync(client=client, media="TV Shows")
    assert [(f.name, f.media) for f in fandoms.results] == [("Star Trek", ["TV Shows"])]
