"""Tag pages, works listings, media and fandom indexes, feeds, autocomplete, unwrangled bins."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tags import services
from tags.models import Tag, TagType
from tests.factories import make_tag, make_user, make_work
from works.models import Work
from works.services import posting as work_services

pytestmark = pytest.mark.django_db

C = TagType.CHARACTER
F = TagType.FANDOM
R = TagType.RELATIONSHIP
ATOM = "{http://www.w3.org/2005/Atom}"


def html(response):
    return response.content.decode()


@pytest.fixture
def trek(db):
    star_trek = make_tag("Star Trek", type=F, canonical=True)
    tos = make_tag("Star Trek: The Original Series", type=F, canonical=True)
    services.tag_add_meta(tag=tos, meta=star_trek)
    services.tag_add_parent(tag=star_trek, parent=Tag.objects.get(name="TV Shows"))
    kirk = make_tag("James T. Kirk", type=C, canonical=True)
    services.tag_add_parent(tag=kirk, parent=star_trek)
    make_tag("Jim Kirk", type=C, merger=kirk)
    return {"star_trek": star_trek, "tos": tos, "kirk": kirk}


# --- the tag page ------------------------------------------------------------------------


def test_tag_page_shows_type_status_and_relations(client, trek):
    work = make_work(tags={F: ["Star Trek"], C: ["Jim Kirk"]}, title="Shore Leave Blues")
    page = html(client.get("/tags/James T*d* Kirk"))
    assert "Character" in page
    assert "common tag" in page
    assert "Jim Kirk" in page  # synonym
    assert 'href="/tags/Star%20Trek"' in page  # parent fandom
    assert "Shore Leave Blues" in page and f'id="work_{work.pk}"' in page
    star_trek_page = html(client.get("/tags/Star Trek"))
    assert "Star Trek: The Original Series" in star_trek_page  # sub tag
    assert "TV Shows" in star_trek_page  # parent medium
    assert "James T. Kirk" in star_trek_page  # child character
    assert "Star Trek" in html(client.get("/tags/Star Trek: The Original Series"))  # meta tag


def test_unwrangled_tag_page_says_it_is_not_common(client):
    make_work(tags={C: ["Some Guy"]})
    page = html(client.get("/tags/Some Guy"))
    assert "not a common tag" in page


def test_synonym_pages_redirect_to_the_canonical_tag(client, trek):
    response = client.get("/tags/Jim Kirk")
    assert response.status_code in (301, 302)
    assert response["Location"] == "/tags/James%20T*d*%20Kirk"
    response = client.get("/tags/Jim Kirk/works?page=2&sort=title")
    assert response.status_code in (301, 302)
    assert response["Location"] == "/tags/James%20T*d*%20Kirk/works?page=2&sort=title"


def test_unknown_tags_are_404(client):
    assert client.get("/tags/No Such Tag").status_code == 404
    assert client.get("/tags/No Such Tag/works").status_code == 404
    assert client.get("/tags/Kirk*x*Spock/works").status_code == 404


def test_a_tag_url_in_another_case_redirects_to_the_real_name(client, trek):
    response = client.get("/tags/star trek/works")
    assert response.status_code == 302
    assert response["Location"] == "/tags/Star%20Trek/works"


def test_tag_works_lists_synonyms_and_sub_tags_visible_to_the_reader(client, trek):
    tos_work = make_work(tags={F: ["Star Trek: The Original Series"]}, title="Tribble Trouble")
    synonym_work = make_work(tags={F: ["Star Trek"], C: ["Jim Kirk"]}, title="Jim Runs")
    draft = make_work(tags={F: ["Star Trek"]}, title="Unfinished Draft", post=False)
    restricted = make_work(tags={F: ["Star Trek"]}, title="Members Only", restricted=True)
    hidden = make_work(tags={F: ["Star Trek"]}, title="Hidden Away")
    work_services.work_update(work=hidden, fields={"hidden_by_moderator": True})
    unrelated = make_work(tags={F: ["Star Wars"]}, title="A Long Time Ago")

    page = html(client.get("/tags/Star Trek/works"))

    assert "Tribble Trouble" in page and "Jim Runs" in page
    for absent in (draft, restricted, hidden, unrelated):
        assert absent.title not in page
    assert "2 Works" in page
    member = make_user()
    client.force_login(member)
    assert "Members Only" in html(client.get("/tags/Star Trek/works"))
    assert tos_work.pk and synonym_work.pk


def _count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("url", ["/tags/Star Trek", "/tags/Star Trek/works"])
def test_tag_page_queries_do_not_grow_with_the_works_shown(client, trek, url):
    for _ in range(2):
        make_work(tags={F: ["Star Trek"], C: ["Jim Kirk", "Spock"], R: ["Kirk/Spock"]})
    few = _count_queries(client, url)
    for _ in range(10):
        make_work(tags={F: ["Star Trek: The Original Series"], C: ["James T. Kirk"]})
    many = _count_queries(client, url)
    assert many == few
    assert many <= 15


# --- media and fandoms -------------------------------------------------------------------


def test_media_fandoms_lists_canonical_fandoms_a_to_z_with_counts(client, trek):
    tv = Tag.objects.get(name="TV Shows")
    babylon = make_tag("Babylon 5", type=F, canonical=True)
    services.tag_add_parent(tag=babylon, parent=tv)
    make_tag("B5", type=F, merger=babylon)
    make_work(tags={F: ["Star Trek"]})
    make_work(tags={F: ["Star Trek"]})
    make_work(tags={F: ["Babylon 5"]})
    make_work(tags={F: ["B5"]})  # a synonym's works count for its canonical fandom
    make_work(tags={F: ["Some Unwrangled Show"]})  # not canonical: not listed

    page = html(client.get("/media/TV Shows/fandoms"))

    assert page.index("Babylon 5") < page.index("Star Trek")
    assert 'Babylon 5</a> <span class="count">(2)</span>' in page
    assert 'Star Trek</a> <span class="count">(2)</span>' in page
    assert "Some Unwrangled Show" not in page
    assert "Star Trek: The Original Series" not in page  # not placed in TV Shows


def test_media_index_and_all_fandoms(client, trek):
    make_work(tags={F: ["Star Trek"]})
    media = html(client.get("/media"))
    assert "TV Shows" in media and "Anime *a* Manga" not in media
    assert 'href="/media/Anime%20*a*%20Manga/fandoms"' in media
    assert 'Star Trek</a> <span class="count">(1)</span>' in media
    fandoms = html(client.get("/fandoms"))
    assert "Star Trek: The Original Series" in fandoms and "Star Trek" in fandoms


def test_uncategorized_fandoms_hold_unplaced_canonical_fandoms(client, trek):
    page = html(client.get("/media/Uncategorized Fandoms/fandoms"))
    assert "Star Trek: The Original Series" in page
    assert ">Star Trek</a>" not in page


def test_unknown_media_are_404(client):
    assert client.get("/media/Radio Plays/fandoms").status_code == 404
    assert client.get("/media/Star Trek/fandoms").status_code == 404


# --- feeds -------------------------------------------------------------------------------


def test_feed_is_valid_atom_with_the_newest_guest_visible_works(client, trek):
    make_work(
        tags={F: ["Star Trek"], C: ["Jim Kirk"]},
        title="<b>Bold</b> & Brave",
        summary="A *short* summary.",
    )
    make_work(tags={F: ["Star Trek"]}, title="Members Only", restricted=True)
    make_work(tags={F: ["Star Trek"]}, title="Unfinished Draft", post=False)

    response = client.get(f"/tags/{trek['kirk'].pk}/feed.atom")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    assert feed.tag == f"{ATOM}feed"
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 1
    entry = entries[0]
    assert entry.findtext(f"{ATOM}title") == "<b>Bold</b> & Brave"
    assert entry.find(f"{ATOM}author/{ATOM}name").text.startswith("user")
    summary = entry.find(f"{ATOM}summary")
    assert summary.get("type") == "html" and "<em>short</em>" in summary.text
    # Absolute, from ARCHIVE_SITE_URL (issue 14), never the request's host.
    site = settings.ARCHIVE_SITE_URL
    assert entry.find(f"{ATOM}link").get("href").startswith(f"{site}/works/")
    categories = {c.get("term") for c in entry.findall(f"{ATOM}category")}
    assert {"Star Trek", "Jim Kirk", "General Audiences"} <= categories


def test_feed_entries_have_absolute_ids_and_first_and_last_posting_dates(client, trek):
    work = make_work(tags={F: ["Star Trek"]}, title="Old News")
    first_posted = datetime.date(2024, 3, 5)
    Work.objects.filter(pk=work.pk).update(published_at=first_posted)
    work.refresh_from_db()
    feed = ET.fromstring(client.get(f"/tags/{trek['star_trek'].pk}/feed.atom").content)
    (entry,) = feed.findall(f"{ATOM}entry")
    site = settings.ARCHIVE_SITE_URL
    assert entry.findtext(f"{ATOM}id") == f"{site}/works/{work.pk}"
    assert feed.findtext(f"{ATOM}id").startswith(f"{site}/tags/")
    assert entry.findtext(f"{ATOM}published").startswith("2024-03-05")
    updated = datetime.datetime.fromisoformat(entry.findtext(f"{ATOM}updated"))
    assert updated == work.revised_at


def test_tag_and_fandom_pages_link_their_feed(client, trek):
    make_work(tags={F: ["Star Trek"]})
    fandom = trek["star_trek"]
    feed = f"/tags/{fandom.pk}/feed.atom"
    for page in (fandom.get_absolute_url(), fandom.get_works_url()):
        html = client.get(page).content.decode()
        assert '<link rel="alternate" type="application/atom+xml"' in html, page
        assert f'class="rss" href="{feed}"' in html, page
    freeform = make_tag("Angst", canonical=True)
    assert "application/atom+xml" not in client.get(freeform.get_works_url()).content.decode()


def test_feed_holds_at_most_25_entries_newest_first(client, trek):
    for number in range(27):
        make_work(tags={F: ["Star Trek"]}, title=f"Log {number:02d}")
    feed = ET.fromstring(client.get(f"/tags/{trek['star_trek'].pk}/feed.atom").content)
    titles = [entry.findtext(f"{ATOM}title") for entry in feed.findall(f"{ATOM}entry")]
    assert len(titles) == 25
    assert titles[0] == "Log 26"


def test_feeds_only_for_fandoms_relationships_and_characters(client, trek):
    freeform = make_tag("Angst", canonical=True)
    assert client.get(f"/tags/{freeform.pk}/feed.atom").status_code == 404
    assert client.get("/tags/999999/feed.atom").status_code == 404
    jim = Tag.objects.get(name="Jim Kirk")
    response = client.get(f"/tags/{jim.pk}/feed.atom")
    assert response.status_code == 302
    assert response["Location"] == f"/tags/{trek['kirk'].pk}/feed.atom"


# --- autocomplete ------------------------------------------------------------------------


def test_autocomplete_answers_canonical_tags_of_the_type_by_prefix(client, trek):
    make_tag("Jameson", type=C)  # not canonical
    make_tag("James Bond (Fandom)", type=F, canonical=True)  # another type
    response = client.get("/autocomplete/character?term=jAm")
    assert response.status_code == 200
    assert response.json() == [{"id": "James T. Kirk", "name": "James T. Kirk"}]
    assert client.get("/autocomplete/character?term=").json() == []
    assert client.get("/autocomplete/character?term=Kirk").json() == []  # prefix only


def test_autocomplete_puts_characters_of_the_entered_fandoms_first(client, trek):
    wars = make_tag("Star Wars", type=F, canonical=True)
    han = make_tag("Han Solo", type=C, canonical=True, work_count=50)
    services.tag_add_parent(tag=han, parent=wars)
    hikaru = make_tag("Hikaru Sulu", type=C, canonical=True, work_count=5)
    services.tag_add_parent(tag=hikaru, parent=trek["star_trek"])
    make_tag("Harry Potter", type=C, canonical=True, work_count=100)

    def names(url):
        return [entry["name"] for entry in client.get(url).json()]

    assert names("/autocomplete/character?term=h") == ["Harry Potter", "Han Solo", "Hikaru Sulu"]
    assert names("/autocomplete/character?term=h&fandoms=Star Trek") == [
        "Hikaru Sulu",
        "Harry Potter",
        "Han Solo",
    ]
    # A synonym of a fandom counts as its canonical fandom; unknown names are ignored.
    make_tag("ST", type=F, merger=trek["star_trek"])
    assert names("/autocomplete/character?term=h&fandoms=Nope, st")[0] == "Hikaru Sulu"


def test_autocomplete_limit_and_unknown_types(client):
    for number in range(20):
        make_tag(f"Ensign {number}", type=C, canonical=True)
    assert len(client.get("/autocomplete/character?term=ens").json()) == 15
    assert client.get("/autocomplete/rating?term=e").status_code == 404
    assert client.get("/autocomplete/nonsense?term=e").status_code == 404


# --- unwrangled bins ---------------------------------------------------------------------


def test_unwrangled_bin_lists_the_fandoms_loose_tags_most_used_first(client, wrangler, trek):
    for _ in range(3):
        make_work(tags={F: ["Star Trek: The Original Series"], C: ["Bones"]})
    make_work(tags={F: ["Star Trek"], C: ["Bones", "Scotty"], TagType.FREEFORM: ["Tribbles"]})
    make_work(tags={F: ["Star Trek"], C: ["Jim Kirk", "James T. Kirk", "Unwrangleable Guy"]})
    services.tag_set_unwrangleable(tag=Tag.objects.get(name="Unwrangleable Guy"))
    make_work(tags={F: ["Star Wars"], C: ["Chewbacca"]})
    client.force_login(wrangler)

    page = html(client.get("/tags/Star Trek/unwrangled"))

    assert page.index("Bones") < page.index("Scotty")
    assert 'class="uses">4<' in page
    assert "Tribbles" in page
    for absent in ("Jim Kirk", "James T. Kirk", "Unwrangleable Guy", "Chewbacca"):
        assert absent not in page.split("<table", 1)[1]


def test_unwrangled_bin_is_only_for_wranglers(client, reader, trek):
    assert client.get("/tags/Star Trek/unwrangled").status_code == 404
    client.force_login(reader)
    assert client.get("/tags/Star Trek/unwrangled").status_code == 404
