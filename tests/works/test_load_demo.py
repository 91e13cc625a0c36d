import re
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command

from archive.models import InboxItem
from tags.models import Tag, TagType
from works.demo.content import (
    AUTHOR,
    COLLECTION_NAME,
    DEMO_PASSWORD,
    MODERATOR,
    OLD_ARCHIVE,
    unwrap,
)
from works.demo.tag_sets import TAG_SET_TITLE
from works.models import (
    Chapter,
    Collection,
    CollectionItem,
    CollectionPrompt,
    DailyStat,
    Series,
    TagSet,
    Work,
    WorkStats,
)

pytestmark = pytest.mark.django_db


def _counts():
    return {
        model.__name__: model.objects.count()
        for model in (
            get_user_model(),
            Work,
            Chapter,
            Series,
            Collection,
            CollectionPrompt,
            CollectionItem,
            Tag,
            WorkStats,
            DailyStat,
        )
    }


@pytest.fixture
def demo():
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def test_load_demo_prints_logins(demo):
    assert f"{AUTHOR} / {DEMO_PASSWORD}" in demo
    assert f"{MODERATOR} / {DEMO_PASSWORD}" in demo
    assert "http://127.0.0.1:8000/" in demo


def test_load_demo_prints_the_log_in_address_of_archive_site_url(demo, settings):
    settings.ARCHIVE_SITE_URL = "https://archive.example.org"
    out = StringIO()
    call_command("load_demo", stdout=out)
    assert "Log in at https://archive.example.org/users/login" in out.getvalue()


def test_load_demo_twice_keeps_data_without_duplicates(demo):
    before = _counts()
    out = StringIO()
    call_command("load_demo", stdout=out)
    assert _counts() == before
    assert "already loaded" in out.getvalue()
    assert f"{AUTHOR} / {DEMO_PASSWORD}" in out.getvalue()


def test_demo_logins_work(demo, client):
    for login in (AUTHOR, MODERATOR):
        response = client.post("/users/login", {"username": login, "password": DEMO_PASSWORD})
        assert response.status_code == 302, login


def test_demo_moderator_is_staff_with_work_permissions_only(demo, client):
    moderator = get_user_model().objects.get(username=MODERATOR)
    assert moderator.is_staff and not moderator.is_superuser
    for perm in (
        "works.change_work",
        "works.change_chapter",
        "works.change_series",
        "works.change_collection",
        "archive.change_user",
    ):
        assert moderator.has_perm(perm), perm
    assert not moderator.has_perm("works.delete_work")
    client.force_login(moderator)
    for url in ("/admin/works/work/", "/admin/works/collection/", "/admin/archive/user/"):
        assert client.get(url).status_code == 200, url


def test_demo_covers_the_archive_features(demo):
    author = get_user_model().objects.get(username=AUTHOR)
    posted = Work.objects.filter(posted=True)
    fandoms = Tag.objects.filter(type=TagType.FANDOM, tagged_works__content_object__in=posted)
    assert fandoms.distinct().count() >= 4
    for tag_type in (TagType.RELATIONSHIP, TagType.CHARACTER, TagType.FREEFORM):
        assert Tag.objects.filter(type=tag_type).exists(), tag_type
    assert posted.filter(is_complete=False, chapter_count=3, expected_chapters=5).exists()
    assert posted.filter(tags__name="Mature").exists()
    assert Work.objects.filter(posted=False, creators=author).exists()
    assert Chapter.objects.filter(posted=False, work__posted=True).exists()
    assert Series.objects.filter(series_works__isnull=False).distinct().count() >= 1
    assert max(s.series_works.count() for s in Series.objects.all()) >= 2
    collection = Collection.objects.get(name=COLLECTION_NAME)
    prompt_tags = [p.tag for p in collection.prompts.all()]
    assert len(prompt_tags) >= 2
    assert all(tag.type == TagType.PROMPT for tag in prompt_tags)
    assert Work.objects.filter(collection_items__collection=collection, tags__in=prompt_tags)
    assert Chapter.objects.filter(body_html__contains="<table>").exists()
    assert Chapter.objects.filter(body_html__contains="<blockquote>").exists()


def test_demo_second_pseud_has_a_work_and_the_author_a_bio(demo, client):
    html = client.get("/users/harbour_quill/pseuds/Tidewater%20Cartographer").content.decode()
    assert "A Field Guide to Imaginary Weather" in html
    assert "Tidewater Cartographer (harbour_quill)" in client.get("/works").content.decode()
    profile = client.get(f"/users/{AUTHOR}/profile").content.decode()
    assert "lighthouses, letters" in profile


def test_demo_has_a_cocreated_work_and_a_pending_invitation(demo, client):
    listing = client.get("/works").content.decode()
    assert "A Chart of the Lamp Room" in listing
    client.login(username=AUTHOR, password=DEMO_PASSWORD)
    page = client.get(f"/users/{AUTHOR}/creatorships").content.decode()
    assert "Notes Toward a Harbour Almanac" in page
    assert "Co-creator invitation:" in client.get(f"/users/{AUTHOR}/inbox").content.decode()
    shared = Work.objects.get(title="A Chart of the Lamp Room")
    bylines = client.get(shared.get_absolute_url()).content.decode()
    assert "Tidewater Cartographer (harbour_quill)" in bylines and AUTHOR in bylines
    second = shared.chapters.get(position=2).get_absolute_url()
    assert "Chapter by" in client.get(second).content.decode()


def test_demo_home_page_shows_demo_works_but_not_the_draft(demo, client):
    html = client.get("/").content.decode()
    assert "The Lamp at the End of the Pier" in html
    assert "Notes Toward a Winter Story" not in html


def test_unwrap_joins_paragraph_lines_and_keeps_blocks():
    text = (
        "One line\nand its tail.\n\n- item\n- item two\n  continued\n\n"
        "> quote\n> more\n\nend \\\nbreak"
    )
    assert unwrap(text) == (
        "One line and its tail.\n\n- item\n- item two continued\n\n> quote\n> more\n\nend\nbreak\n"
    )


def test_demo_lets_a_visitor_try_the_invitation_queue(demo, client, settings):
    settings.ARCHIVE_SIGNUP = "invite"
    html = client.get("/invite_requests").content.decode()
    assert "There are 3 people in the queue." in html
    client.force_login(get_user_model().objects.get(username=AUTHOR))
    html = client.get(f"/users/{AUTHOR}/invitations").content.decode()
    assert "You have 3 invitations to give." in html
    moderator = get_user_model().objects.get(username=MODERATOR)
    client.force_login(moderator)
    assert client.get("/admin/archive/inviterequest/").status_code == 200


def test_demo_author_has_a_gift_to_keep_or_refuse(demo, client):
    client.force_login(get_user_model().objects.get(username=AUTHOR))
    page = client.get(f"/users/{AUTHOR}/gifts").content.decode()
    assert "Seven Knots for a Lamplighter" in page and "Refuse Gift" in page
    work = Work.objects.get(title="Seven Knots for a Lamplighter")
    assert (
        f'For <a href="/users/{AUTHOR}/gifts">{AUTHOR}</a>, Old Marit.'
        in client.get(f"/works/{work.pk}").content.decode()
    )
    assert "A gift for you:" in client.get(f"/users/{AUTHOR}/inbox").content.decode()


def test_demo_has_an_imported_archive_whose_story_the_demo_author_can_claim(
    demo, client, django_capture_on_commit_callbacks
):
    archive = Collection.objects.get(title=OLD_ARCHIVE)
    titles = set(archive.items.values_list("work__title", flat=True))
    assert titles == {"The Ferry at Dusk", "Reed Baskets"}
    ferry = Work.objects.get(title="The Ferry at Dusk")
    assert [c.title for c in ferry.chapters.order_by("position")] == ["Last Bell", "Crossing"]
    assert "Import works at http://127.0.0.1:8000/works/import" in demo

    client.login(username=AUTHOR, password=DEMO_PASSWORD)
    assert "/works/import/claim" in client.get("/works/import").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/works/import/claim", {"email": "demo_author@example.org"})
    (message,) = mail.outbox
    link = re.search(r"https?://[^\s]+(/works/import/claim/[^\s]+)", message.body).group(1)
    response = client.post(link, follow=True)
    assert "Works claimed: 1." in response.content.decode()
    assert ferry.work_creators.get().user.username == AUTHOR
    assert Work.objects.get(title="Reed Baskets").work_creators.get().user.username != AUTHOR


def test_the_demo_authors_lamp_has_stats_since_it_was_posted(demo, client):
    work = Work.objects.get(title="The Lamp at the End of the Pier")
    client.post("/users/login", {"username": AUTHOR, "password": DEMO_PASSWORD})
    page = client.get(f"/works/{work.pk}/stats?range=all").content.decode()
    assert "214 in all over" in page  # the work's hits, day by day
    readers = page[page.index('id="chart-readers-title"') :]
    shares = [int(n) for n in re.findall(r"<td>(\d+)%</td>", readers.split("</table>")[0])]
    assert shares[0] == 100 and shares == sorted(shares, reverse=True)  # the drop-off curve
    days = DailyStat.objects.filter(work=work, chapter=None).count()
    assert days == 41  # posted 40 days ago, and today
    # Its kudos, comment, bookmark and subscription are real ones: the stats page's totals
    # are the numbers its work page and its creator's /stats show.
    counters = WorkStats.objects.get(work=work)
    assert counters.kudos > 0 and counters.comments and counters.bookmarks
    for label, value in [
        ("Hits", counters.hits),
        ("Kudos", counters.kudos),
        ("Comments", counters.comments),
        ("Bookmarks", counters.bookmarks),
        ("Subscriptions", counters.subscriptions),
    ]:
        assert f"<dt>{label}:</dt><dd>{value}</dd>" in page


def test_demo_has_a_tag_set_taking_nominations(demo, client):
    """Issue 20, part 2: a set with nominations open that the demo author moderates, some
    nominations waiting for review, and the demo moderator told of two already reviewed."""
    tag_set = TagSet.objects.get(title=TAG_SET_TITLE)
    assert tag_set.nominations_open()
    assert tag_set.nominations.filter(status="pending").count() == 4
    assert InboxItem.objects.filter(recipient__username=MODERATOR, kind="tagnom").count() == 2
    page = client.get(tag_set.get_absolute_url()).content.decode()
    assert "The Cartographer&#x27;s Daughter (Radio)" in page  # approved: in the set
    assert "Lanterns Everywhere" not in page  # rejected
    assert tag_set.moderators.filter(username=AUTHOR).exists()


def test_demo_has_a_prompt_meme_with_claims_and_a_fill(demo, client):
    """Issue 20, part 5: the prompt meme's pages show prompts, an anonymous one, claims and
    a fill; the demo author's claims page lists the claim still open."""
    page = client.get("/collections/harbour_prompts/prompts").content.decode()
    assert "The lamp that will not go out" in page and "by Anonymous" in page
    assert '<dd class="fills">1</dd>' in page
    client.force_login(get_user_model().objects.get(username=AUTHOR))
    claims = client.get(f"/users/{AUTHOR}/claims").content.decode()
    assert "Letters left in the tide pool" in claims
    work = Work.objects.get(title="Stubborn Light")
    assert "In response to a" in client.get(work.get_absolute_url()).content.decode()


def test_demo_prints_an_api_token_that_works_and_replaces_the_last(demo, client):
    import re

    first = re.search(r"Bearer (fa_[A-Za-z0-9_-]+)", demo).group(1)
    me = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {first}")
    assert me.json()["login"] == AUTHOR
    assert sorted(me.json()["scopes"]) == ["read", "write:feedback", "write:works"]
    out = StringIO()
    call_command("load_demo", stdout=out)
    second = re.search(r"Bearer (fa_[A-Za-z0-9_-]+)", out.getvalue()).group(1)
    assert second != first
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {second}").status_code == 200
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {first}").status_code == 401
