"""Pseuds as on AO3: every account has a default pseud named as its login; an owner makes,
renames, describes, makes default and deletes more; works and bookmarks are made under one,
and every byline reads "Pseud (login)" (or the login alone) linking to the pseud's page."""

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from archive.errors import Refused
from archive.models import Pseud
from tags.models import TagType
from tests.factories import make_user, make_work
from tests.responses import body
from tests.works.markup import parse, select, select_one, text
from works.models import Bookmark, WorkCreator, WorkSearch
from works.services import feedback
from works.services import posting as services_posting
from works.services import pseuds as services
from works.services.posting import series_create, work_set_series

PSEUD_FIELD = "work[author_attributes][ids][]"

pytestmark = pytest.mark.django_db


def _pseud(user, name, **kwargs):
    return services.pseud_create(user=user, name=name, **kwargs)


def test_a_new_account_has_one_default_pseud_named_as_its_login(author):
    assert [(p.name, p.is_default) for p in author.pseuds.all()] == [("author", True)]


def test_work_under_a_second_pseud_is_bylined_pseud_and_login_everywhere(client, author):
    quill = _pseud(author, "Quill")
    work = make_work(creator=author, pseud=quill, title="Under Quill")
    assert WorkCreator.objects.get(work=work).pseud == quill

    page = parse(client.get(work.get_absolute_url()).content)
    byline = select_one(page, "h3.byline.heading a[rel=author]")
    assert text(byline) == "Quill (author)"
    assert byline.get("href") == "/users/author/pseuds/Quill"

    listing = parse(client.get("/users/author/works").content)
    blurb = select_one(listing, f"li#work_{work.pk} h4.heading a[rel=author]")
    assert text(blurb) == "Quill (author)"
    assert client.get("/users/author/pseuds/Quill").status_code == 200

    # Search finds it by the pseud's name and by the login.
    document = WorkSearch.objects.get(work=work)
    assert "Quill" in document.creators and "author" in document.creators
    found = client.get("/works/search", {"work_search[creators]": "quill"})
    assert "Under Quill" in found.content.decode()


def test_default_pseud_bylines_read_as_the_login_alone(client, author):
    work = make_work(creator=author)
    page = parse(client.get(work.get_absolute_url()).content)
    assert [text(a) for a in select(page, "h3.byline a[rel=author]")] == ["author"]


def test_renaming_a_pseud_renames_cached_bylines_and_search(client, author):
    quill = _pseud(author, "Quill")
    work = make_work(creator=author, pseud=quill)
    assert "Quill (author)" in client.get(work.get_absolute_url()).content.decode()
    assert "Quill (author)" in client.get("/works").content.decode()
    services.pseud_update(pseud=quill, name="Inkwell", description="")
    for url in (work.get_absolute_url(), "/works"):
        html = client.get(url).content.decode()
        assert "Inkwell (author)" in html and "Quill" not in html
    assert "Inkwell" in WorkSearch.objects.get(work=work).creators


def test_pseud_pages_list_its_works_series_and_bookmarks_only(client, author, reader):
    quill = _pseud(author, "Quill", description="Poems <script>alert(1)</script> *only*")
    mine = make_work(creator=author, pseud=quill, title="Quill's Work")
    work_set_series(work=mine, series=[series_create(creator=author, title="Q Series")])
    make_work(creator=author, title="Default's Work")
    other = make_work(creator=reader, title="Someone Else's")
    feedback.bookmark_save(user=author, work=other, pseud=quill)

    html = client.get("/users/author/pseuds/quill").content.decode()  # letter case ignored
    assert "Quill&#x27;s Work" in html and "Default&#x27;s Work" not in html
    assert "Q Series" in html and "Someone Else&#x27;s" in html
    assert "<em>only</em>" in html and "<script>" not in html

    listing = parse(client.get("/users/author/pseuds/Quill/works").content)
    heading = text(select_one(listing, "h2.heading"))
    assert heading.startswith("1 - 1 of 1 Works by Quill (author)")
    assert select(listing, "form#work-filters")  # the filter sidebar
    assert [text(a) for a in select(listing, "li.work.blurb h4.heading a[href^='/works/']")] == [
        mine.title
    ]

    index = parse(client.get("/users/author/pseuds").content)
    assert [text(a) for a in select(index, "li.pseud h4.heading a")] == ["author", "Quill"]
    assert client.get("/users/author/pseuds/Nobody").status_code == 404


def test_owner_creates_a_pseud_and_a_clash_keeps_what_was_typed(author_client, author):
    response = author_client.post(
        "/users/author/pseuds/new", {"name": "Night Owl", "description": "Owls."}
    )
    assert response.status_code == 302
    assert response["Location"] == "/users/author/pseuds/Night%20Owl"
    response = author_client.post(
        "/users/author/pseuds/new", {"name": "night owl", "description": "Kept text"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "You already have a pseud with that name." in html and "Kept text" in html
    bad = author_client.post("/users/author/pseuds/new", {"name": "<b>x</b>"})
    assert "Pseuds can contain only letters" in bad.content.decode()
    assert author.pseuds.count() == 2


def test_exactly_one_default_pseud(author_client, author):
    quill = _pseud(author, "Quill")
    response = author_client.post(
        "/users/author/pseuds/Quill/edit", {"name": "Quill", "is_default": "on"}
    )
    assert response.status_code == 302
    assert list(author.pseuds.filter(is_default=True)) == [quill]
    work = make_work(creator=author)  # new works go under the default pseud
    assert WorkCreator.objects.get(work=work).pseud == quill


def test_deleting_a_pseud_moves_its_works_and_bookmarks_to_the_default(
    author_client, author, reader
):
    quill = _pseud(author, "Quill")
    work = make_work(creator=author, pseud=quill)
    other = make_work(creator=reader)
    feedback.bookmark_save(user=author, work=other, pseud=quill)
    confirm = author_client.get("/users/author/pseuds/Quill/delete")
    assert "cannot be undone" in confirm.content.decode()
    assert Pseud.objects.filter(pk=quill.pk).exists()  # a GET deletes nothing
    response = author_client.post("/users/author/pseuds/Quill/delete")
    assert response.status_code == 302
    default = author.pseuds.get()
    assert default.is_default and not Pseud.objects.filter(pk=quill.pk).exists()
    assert WorkCreator.objects.get(work=work).pseud == default
    assert Bookmark.objects.get(user=author).pseud == default
    assert (
        text(select_one(parse(author_client.get(work.get_absolute_url()).content), "h3.byline"))
        == "author"
    )


def test_the_default_pseud_cannot_be_deleted(author_client, author):
    with pytest.raises(Refused):
        services.pseud_delete(pseud=author.pseuds.get())
    response = author_client.post("/users/author/pseuds/author/delete", follow=True)
    assert "You cannot delete your default pseud." in response.content.decode()
    assert author.pseuds.count() == 1


def test_pseud_management_is_for_its_owner_only(client, author, reader):
    _pseud(author, "Quill")
    owner_pages = [
        "/users/author/pseuds/new",
        "/users/author/pseuds/Quill/edit",
        "/users/author/pseuds/Quill/delete",
        "/users/author/profile/edit",
        "/users/author/change_username",
    ]
    for url in owner_pages:
        assert client.get(url).status_code == 404
    client.force_login(reader)
    for url in owner_pages:
        assert client.get(url).status_code == 404
        assert client.post(url, {"name": "Taken Over", "login": "x"}).status_code == 404
    assert author.pseuds.count() == 2 and not Pseud.objects.filter(name="Taken Over").exists()


def test_posting_form_chooses_the_pseud_and_refuses_someone_elses(author_client, author, reader):
    quill = _pseud(author, "Quill")
    form = parse(author_client.get("/works/new").content)
    (select_el,) = [s for s in select(form, "select") if s.get("name") == PSEUD_FIELD]
    chosen = [o.get("value") for o in select(select_el, "option") if o.get("selected") is not None]
    assert chosen == [str(author.pseuds.get(is_default=True).pk)]

    data = {
        "rating": "General Audiences",
        "warnings": "No Archive Warnings Apply",
        "fandoms": "Fandom P",
        "title": "Chosen Pseud",
        "language": "en",
        "comment_permission": "everyone",
        "body": "Text of the work.",
        "post_button": "1",
        PSEUD_FIELD: str(reader.pseuds.get().pk),
    }
    refused = author_client.post("/works/new", data)
    assert refused.status_code == 200
    assert "Choose one of your own pseuds." in refused.content.decode()
    data[PSEUD_FIELD] = str(quill.pk)
    response = author_client.post("/works/new", data)
    assert response.status_code == 302
    assert WorkCreator.objects.get(work__title="Chosen Pseud").pseud == quill


def test_bookmark_form_offers_the_pseuds(author_client, author, reader):
    work = make_work(creator=reader)
    single = parse(author_client.get(f"/works/{work.pk}/bookmarks/new").content)
    (hidden,) = [i for i in select(single, "input") if i.get("name") == "bookmark[pseud_id]"]
    assert hidden.get("type") == "hidden"
    assert hidden.get("value") == str(author.pseuds.get().pk)
    quill = _pseud(author, "Quill")
    several = parse(author_client.get(f"/works/{work.pk}/bookmarks/new").content)
    (menu,) = [s for s in select(several, "select") if s.get("name") == "bookmark[pseud_id]"]
    assert [text(o) for o in select(menu, "option")] == ["author", "Quill"]
    response = author_client.post(
        f"/works/{work.pk}/bookmarks/new", {"bookmark[pseud_id]": str(quill.pk), "notes": "n"}
    )
    assert response.status_code == 302
    assert Bookmark.objects.get(user=author).pseud == quill
    listing = parse(author_client.get("/users/author/bookmarks").content)
    byline = select_one(listing, "h5.byline a")
    assert text(byline) == "Quill (author)" and byline.get("href") == quill.get_absolute_url()


def test_pseud_listings_and_work_page_use_a_fixed_number_of_queries(
    client, author, reader, django_assert_max_num_queries
):
    quill = _pseud(author, "Quill")

    def add_works(n):
        for _ in range(n):
            make_work(creator=author, pseud=quill)

    add_works(1)
    work = make_work(creator=author, pseud=quill)
    urls = ["/works", "/users/author/pseuds/Quill/works", "/users/author/pseuds/Quill"]
    client.force_login(reader)
    counts = {}
    for url in urls:
        with CaptureQueriesContext(connection) as one:
            assert client.get(url).status_code == 200
        counts[url] = len(one)
    with CaptureQueriesContext(connection) as one:
        client.get(work.get_absolute_url())
    page_count = len(one)
    add_works(20)
    for url in urls:
        with django_assert_max_num_queries(counts[url]):
            response = client.get(url)
        assert response.content.decode().count("Quill (author)") >= 20
    with django_assert_max_num_queries(page_count):
        client.get(work.get_absolute_url())


def test_new_work_email_names_the_pseud(author, reader, django_capture_on_commit_callbacks):
    feedback.subscription_add(user=reader, author=author)
    quill = _pseud(author, "Quill")
    with django_capture_on_commit_callbacks(execute=True):
        make_work(creator=author, pseud=quill, title="Lantern Letters")
    assert [m.subject for m in mail.outbox] == ["New work by Quill (author): Lantern Letters"]


def test_downloads_feeds_and_opds_name_the_pseud(client, author, settings):
    settings.ARCHIVE_SITE_URL = "https://archive.example"
    quill = _pseud(author, "Quill")
    work = make_work(creator=author, pseud=quill, title="Feed Lantern")
    fandom = work.tags.get(type=TagType.FANDOM)
    html = body(client.get(f"/downloads/{work.pk}/Feed_Lantern.html")).decode()
    assert '<meta name="author" content="Quill (author)">' in html
    assert 'href="https://archive.example/users/author/pseuds/Quill">Quill (author)</a>' in html
    atom = client.get(f"/tags/{fandom.pk}/feed.atom").content.decode()
    assert "<name>Quill (author)</name>" in atom
    opds = client.get("/opds/new").content.decode()
    assert "<name>Quill (author)</name>" in opds


def test_editing_a_work_moves_it_to_another_of_the_creators_pseuds(author_client, author):
    quill = _pseud(author, "Quill")
    work = make_work(creator=author)
    services_posting.work_update(work=work, fields={}, editor=author, pseud=quill)
    assert WorkCreator.objects.get(work=work).pseud == quill
    page = parse(author_client.get(f"/works/{work.pk}/edit").content)
    (menu,) = [s for s in select(page, "select") if s.get("name") == PSEUD_FIELD]
    chosen = [text(o) for o in select(menu, "option") if o.get("selected") is not None]
    assert chosen == ["Quill"]


def test_moderators_find_a_users_works_under_any_pseud_in_the_admin(client, author):
    _pseud(author, "Moonlit Pen")
    make_work(creator=author, pseud=author.pseuds.get(name="Moonlit Pen"), title="Found By Pen")
    admin = make_user(username="boss", is_staff=True, is_superuser=True)
    client.force_login(admin)
    assert "Found By Pen" in client.get("/admin/works/work/", {"q": "moonlit"}).content.decode()
    pseuds = client.get("/admin/archive/pseud/", {"q": "author"}).content.decode()
    assert "Moonlit Pen" in pseuds


def test_a_pseud_cannot_be_named_as_the_new_pseud_page(author):
    with pytest.raises(Refused, match="reserved"):
        _pseud(author, "New")


def test_an_account_with_works_and_bookmarks_under_pseuds_can_still_be_deleted(author, reader):
    quill = _pseud(author, "Quill")
    work = make_work(creator=author, pseud=quill)
    feedback.bookmark_save(user=author, work=make_work(creator=reader), pseud=quill)
    author.delete()
    assert not Pseud.objects.filter(name="Quill").exists()
    assert not WorkCreator.objects.filter(work=work).exists()
    assert not Bookmark.objects.exists()
