import pytest

from tags.models import TagType
from tests.factories import make_user, make_work
from works.services import posting as services

pytestmark = pytest.mark.django_db


@pytest.fixture
def author_works(author):
    posted = make_work(creator=author, title="Posted Harbour Tale")
    draft = make_work(creator=author, title="Secret Draft Title", post=False)
    return posted, draft


def test_dashboard_shows_posted_works_as_blurbs(client, author, author_works):
    posted, _ = author_works
    response = client.get("/users/author")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'id="work_{posted.pk}"' in html
    assert "Posted Harbour Tale" in html
    assert 'href="/users/author/pseuds/author"' in html


def test_owner_sees_drafts_with_edit_links(author_client, author_works):
    _, draft = author_works
    html = author_client.get("/users/author").content.decode()
    assert "Secret Draft Title" in html
    assert f'href="/works/{draft.pk}/edit"' in html


@pytest.mark.parametrize("viewer", ["guest", "reader", "moderator"])
def test_nobody_else_sees_draft_titles(client, author_works, reader, moderator, viewer):
    if viewer == "reader":
        client.force_login(reader)
    elif viewer == "moderator":
        client.force_login(moderator)
    for url in ("/users/author", "/users/author/pseuds/author", "/"):
        response = client.get(url)
        assert response.status_code == 200
        assert b"Secret Draft Title" not in response.content, url
        assert b"Posted Harbour Tale" in response.content, url


def test_dashboard_hides_restricted_works_from_guests(client, author):
    make_work(creator=author, title="Members Only Tale", restricted=True)
    assert b"Members Only Tale" not in client.get("/users/author").content
    client.force_login(make_user())
    assert b"Members Only Tale" in client.get("/users/author").content


def test_dashboard_hides_moderator_hidden_works_from_readers_not_owner(client, author, reader):
    make_work(creator=author, title="Hidden By Mods", hidden_by_moderator=True)
    client.force_login(reader)
    assert b"Hidden By Mods" not in client.get("/users/author").content
    client.force_login(author)
    assert b"Hidden By Mods" in client.get("/users/author").content


def test_dashboard_lists_series_with_a_visible_work_only(client, author):
    series = services.series_create(creator=author, title="Harbour Lights Series")
    services.work_set_series(work=make_work(creator=author), series=[series])
    hidden = services.series_create(creator=author, title="Draft Only Series")
    services.work_set_series(work=make_work(creator=author, post=False), series=[hidden])
    html = client.get("/users/author").content.decode()
    assert f'href="/series/{series.pk}"' in html
    assert "Harbour Lights Series" in html
    assert "Draft Only Series" not in html


def test_unknown_user_answers_404(client):
    assert client.get("/users/nobody_here").status_code == 404
    assert client.get("/users/nobody_here/pseuds/nobody_here").status_code == 404


def test_login_in_url_ignores_letter_case(client, author):
    assert client.get("/users/AUTHOR").status_code == 200


def test_pseud_page_lists_the_pseuds_works(client, author, author_works):
    make_work(title="Someone Else's Story")
    response = client.get("/users/author/pseuds/author")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Posted Harbour Tale" in html
    assert "Someone Else&#x27;s Story" not in html


def test_unknown_pseud_answers_404(client, author):
    assert client.get("/users/author/pseuds/someone_else").status_code == 404


def test_dashboard_query_count_does_not_grow_with_works(
    client, author, django_assert_max_num_queries
):
    for n in range(3):
        make_work(creator=author, tags={TagType.CHARACTER: [f"Character {n}"]})
    client.force_login(author)
    client.get("/users/author")  # warm up session and content types
    # 16: + the moderators' messages, + the default pseud (the sidebar links it), + the
    # works' gifts ("for <name>" in blurbs)
    with django_assert_max_num_queries(16) as few:
        client.get("/users/author")
    for n in range(12):
        make_work(
            creator=author,
            chapters=2,
            tags={TagType.CHARACTER: [f"Other {n}"], TagType.FREEFORM: [f"Extra {n}"]},
        )
        make_work(creator=author, post=False)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get("/users/author")
    assert response.content.count(b'class="work blurb group') == 15


def test_pseud_page_query_count_is_fixed(client, author, django_assert_max_num_queries):
    for n in range(15):
        make_work(creator=author, tags={TagType.RELATIONSHIP: [f"A{n}/B{n}"]})
    # The person, the pseud, the counts of works and bookmarks, the works and what their
    # blurbs show, the series and the bookmarks.
    with django_assert_max_num_queries(12):
        response = client.get("/users/author/pseuds/author")
    assert response.content.count(b'class="work blurb group') == 15


# Home page


def test_home_welcomes_and_links_to_browse(client):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'href="/works"' in html
    assert 'href="/signup"' in html
    assert 'href="/works/new"' not in html.split('<div id="main"', 1)[1]


def test_home_offers_logged_in_users_a_link_to_post(author_client):
    html = author_client.get("/").content.decode()
    assert 'href="/works/new"' in html.split('<div id="main"', 1)[1]


def test_home_shows_ten_most_recently_updated_visible_works(
    client, author, django_assert_max_num_queries
):
    works = [make_work(creator=author, title=f"Home Story {n:02d}") for n in range(12)]
    make_work(creator=author, title="Home Draft", post=False)
    make_work(creator=author, title="Home Restricted", restricted=True)
    make_work(creator=author, title="Home Hidden", hidden_by_moderator=True)
    with django_assert_max_num_queries(
        6
    ):  # the works, then tags, pseuds, gifts, series, collections
        response = client.get("/")
    html = response.content.decode()
    assert html.count('class="work blurb group') == 10
    for work in works[2:]:
        assert work.title in html
    for title in ("Home Story 00", "Home Story 01", "Home Draft", "Home Restricted", "Home Hidden"):
        assert title not in html
    assert html.index("Home Story 11") < html.index("Home Story 02")


# /users/<login>/works


def test_user_works_lists_only_that_users_visible_posted_works(client, author, author_works):
    make_work(title="Someone Else's Story")
    make_work(creator=author, title="Members Only Tale", restricted=True)
    response = client.get("/users/author/works")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Posted Harbour Tale" in html
    for hidden in ("Secret Draft Title", "Someone Else", "Members Only Tale"):
        assert hidden not in html


def test_user_works_of_unknown_user_answers_404(client):
    assert client.get("/users/nobody_here/works").status_code == 404


def test_user_works_query_count_is_fixed(client, author, django_assert_max_num_queries):
    for n in range(25):
        make_work(creator=author, tags={TagType.CHARACTER: [f"Person {n}"]})
    # user, count, filter facets, page, five prefetches (works.listing.pages; gifts too)
    with django_assert_max_num_queries(9):
        response = client.get("/users/author/works")
    assert response.content.count(b'class="work blurb group') == 20
    assert b"/users/author/works?page=2" in response.content


def test_dashboard_links_to_all_works(client, author, author_works):
    html = client.get("/users/author").content.decode()
    assert 'href="/users/author/works"' in html
