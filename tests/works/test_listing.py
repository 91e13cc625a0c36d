"""The shared work listing (/works, collections, series) and the AO3 blurb."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.template import Context, Template
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tags.models import TagType
from tags.services import tags_resolve
from tests.factories import make_chapter, make_user, make_work
from tests.works.markup import parse, select, select_one, text
from works.listing.pages import work_list_response
from works.models import Collection, CollectionItem, Work, WorkStats
from works.services import posting as services

pytestmark = pytest.mark.django_db


def set_updated(work, days_ago):
    revised = timezone.now() - datetime.timedelta(days=days_ago)
    Work.objects.filter(pk=work.pk).update(revised_at=revised)


def blurbs(response):
    return select(parse(response.content), "ol.work.index.group > li.work.blurb")


# The blurb -----------------------------------------------------------------------------


def test_blurb_follows_the_ao3_markup(client, author):
    series = services.series_create(creator=author, title="Harbour Seasons")
    collection = Collection.objects.create(name="lantern_week", title="Lantern Week", owner=author)
    work = make_work(
        creator=author,
        title="The Keeper's Ledger",
        summary="Every night, a new entry.",
        language="de",
        expected_chapters=3,
        tags={
            TagType.RATING: ["Mature"],
            TagType.WARNING: ["Major Character Death", "No Archive Warnings Apply"],
            TagType.CATEGORY: ["F/F"],
            TagType.FANDOM: ["Harbour Lights", "Tide & Time"],
            TagType.RELATIONSHIP: ["Mara/Ines"],
            TagType.CHARACTER: ["Mara Quell"],
            TagType.FREEFORM: ["Logbooks"],
        },
    )
    services.work_set_series(work=work, series=[series])
    services.work_set_collections(work=work, collections=[collection])
    WorkStats.objects.filter(work=work).update(hits=4321, kudos=7)

    (li,) = blurbs(client.get("/works"))
    assert li.get("id") == f"work_{work.pk}"
    assert li.get("class") == f"work blurb group work-{work.pk}"

    header = select_one(li, "div.header.module")
    assert header.get("class") == "header module"
    h4 = select_one(header, "h4.heading")
    assert text(h4) == "The Keeper's Ledger by author"
    assert select(h4, f"a[href=/works/{work.pk}]")
    assert select_one(h4, "a[rel=author]").get("href") == "/users/author/pseuds/author"

    fandoms = select_one(header, "h5.fandoms.heading")
    assert text(select_one(fandoms, "span.landmark")) == "Fandoms:"
    assert [(a.get("href"), text(a)) for a in select(fandoms, "a.tag")] == [
        ("/tags/Harbour%20Lights/works", "Harbour Lights"),
        ("/tags/Tide%20*a*%20Time/works", "Tide & Time"),
    ]

    symbols = select(header, "ul.required-tags > li > a > span")
    assert [s.get("class") for s in symbols] == [
        "rating-mature rating",
        "warning-yes warnings",
        "category-femslash category",
        "complete-no iswip",
    ]
    assert [text(select_one(s, "span.text")) for s in symbols][0] == "Mature"
    # As AO3 prints it ("02 Dec 2026"): readers' AO3 clients parse it with "%d %b %Y".
    assert text(select_one(header, "p.datetime")) == timezone.localdate().strftime("%d %b %Y")

    landmarks = [text(h6) for h6 in select(li, "h6.landmark.heading")]
    assert landmarks == ["Tags", "Summary", "Series"]
    tags = select_one(li, "ul.tags.commas")
    assert [(item.get("class"), text(item)) for item in select(tags, "ul.tags > li")] == [
        ("warnings", "Major Character Death"),
        ("warnings", "No Archive Warnings Apply"),
        ("relationships", "Mara/Ines"),
        ("characters", "Mara Quell"),
        ("freeforms", "Logbooks"),
    ]
    assert select(tags, "li.warnings > strong > a.tag")
    summary = select_one(li, "blockquote.userstuff.summary")
    assert summary.get("class") == "userstuff summary"
    assert text(summary) == "Every night, a new entry."
    series_item = select_one(li, "ul.series > li")
    assert text(series_item) == "Part 1 of Harbour Seasons"
    assert select_one(series_item, "a").get("href") == f"/series/{series.pk}"

    stats = select_one(li, "dl.stats")
    assert [dt.get("class") for dt in select(stats, "dl.stats > dt")] == [
        "language",
        "words",
        "chapters",
        "collections",
        "kudos",
        "hits",
    ]
    assert select_one(stats, "dd.language").get("lang") == "de"
    assert text(select_one(stats, "dd.chapters")) == "1/3"
    assert text(select_one(stats, "dd.hits")) == "4,321"


@pytest.mark.parametrize(
    ("warnings", "expected"),
    [
        (["No Archive Warnings Apply"], "warning-no warnings"),
        (["Creator Chose Not To Use Archive Warnings"], "warning-choosenotto warnings"),
        (["Graphic Depictions Of Violence"], "warning-yes warnings"),
        (["Rape/Non-Con"], "warning-yes warnings"),
        (["Underage Sex"], "warning-yes warnings"),
    ],
)
def test_blurb_warning_symbol(client, warnings, expected):
    make_work(tags={TagType.WARNING: warnings})
    (li,) = blurbs(client.get("/works"))
    assert select(li, "ul.required-tags > li > a > span")[1].get("class") == expected


@pytest.mark.parametrize(
    ("rating", "categories", "rating_class", "category_class"),
    [
        ("General Audiences", [], "rating-general-audience rating", "category-none category"),
        ("Teen And Up Audiences", ["Gen"], "rating-teen rating", "category-gen category"),
        ("Explicit", ["F/M"], "rating-explicit rating", "category-het category"),
        ("Not Rated", ["M/M"], "rating-notrated rating", "category-slash category"),
        ("Mature", ["Gen", "Other"], "rating-mature rating", "category-multi category"),
        ("Mature", ["Other"], "rating-mature rating", "category-other category"),
    ],
)
def test_blurb_rating_and_category_symbols(
    client, rating, categories, rating_class, category_class
):
    make_work(tags={TagType.RATING: [rating], TagType.CATEGORY: categories})
    (li,) = blurbs(client.get("/works"))
    spans = select(li, "ul.required-tags > li > a > span")
    assert spans[0].get("class") == rating_class
    assert spans[2].get("class") == category_class


def test_complete_works_get_the_complete_symbol(client):
    make_work(chapters=2)
    (li,) = blurbs(client.get("/works"))
    assert select(li, "ul.required-tags > li > a > span")[3].get("class") == "complete-yes iswip"


def test_work_blurb_inclusion_tag_renders_one_blurb(author):
    work = make_work(creator=author, title="Tagged Through a Tag")
    work = Work.objects.for_listing().get(pk=work.pk)
    html = Template("{% load works_extras %}<ol>{% work_blurb work %}</ol>").render(
        Context({"work": work})
    )
    li = select_one(parse(html), "li.work.blurb")
    assert li.get("id") == f"work_{work.pk}"


# The listing ---------------------------------------------------------------------------


def test_works_are_listed_most_recently_updated_first(client, author):
    old = make_work(creator=author, title="Older Tide")
    new = make_work(creator=author, title="Newer Tide")
    middle = make_work(creator=author, title="Middle Tide")
    set_updated(old, 10)
    set_updated(new, 1)
    set_updated(middle, 5)
    ids = [li.get("id") for li in blurbs(client.get("/works"))]
    assert ids == [f"work_{new.pk}", f"work_{middle.pk}", f"work_{old.pk}"]


def test_a_new_chapter_moves_a_work_to_the_top(client, author):
    first = make_work(creator=author)
    second = make_work(creator=author)
    set_updated(first, 3)
    set_updated(second, 2)
    make_chapter(Work.objects.get(pk=first.pk))
    ids = [li.get("id") for li in blurbs(client.get("/works"))]
    assert ids[0] == f"work_{first.pk}"


def test_header_counts_works_on_a_single_page(client, author):
    make_work(creator=author)
    root = parse(client.get("/works").content)
    assert text(select_one(root, "h2.heading")) == "1 Work"
    make_work(creator=author)
    root = parse(client.get("/works").content)
    assert text(select_one(root, "h2.heading")) == "2 Works"
    assert not select(root, "ol.pagination")


def test_pagination_and_header_over_many_pages(client, author):
    for _ in range(45):
        make_work(creator=author)
    root = parse(client.get("/works").content)
    assert text(select_one(root, "h2.heading")) == "1 - 20 of 45 Works"
    assert len(select(root, "ol.work.index > li.blurb")) == 20
    pagination = select(root, "ol.pagination.actions")
    assert pagination and pagination[0].get("class") == "pagination actions"
    assert select_one(pagination[0], "span.current").text == "1"
    assert select_one(pagination[0], "li.next > a").get("href") == "/works?page=2"

    root = parse(client.get("/works?page=3").content)
    assert text(select_one(root, "h2.heading")) == "41 - 45 of 45 Works"
    assert len(select(root, "ol.work.index > li.blurb")) == 5
    assert select(root, "ol.pagination li.previous > a")
    assert not select(root, "ol.pagination li.next > a")


@pytest.mark.parametrize("page", ["abc", "0", "-1", "4", "99999999999999999999999", "1.5", ""])
def test_bad_page_numbers_give_a_normal_page(client, author, page):
    for _ in range(21):
        make_work(creator=author)
    response = client.get(f"/works?page={page}")
    assert response.status_code == 200
    assert len(blurbs(response)) in (20, 1)


def test_pagination_keeps_other_parameters(client, author):
    for _ in range(21):
        make_work(creator=author)
    root = parse(client.get("/works?sort=title&page=1").content)
    top, bottom = select(root, "ol.pagination.actions")
    href = select_one(top, "li.next > a").get("href")
    assert select_one(bottom, "li.next > a").get("href") == href
    assert href == "/works?sort=title&page=2"


def test_listing_uses_a_fixed_number_of_queries(client, author, django_assert_max_num_queries):
    series = services.series_create(creator=author, title="Counted Series")
    collection = Collection.objects.create(name="counted", title="Counted", owner=author)

    def add_work():
        work = make_work(
            creator=author,
            tags={
                TagType.CHARACTER: ["Counted Keeper", "Counted Sailor"],
                TagType.FREEFORM: ["Counted Fog"],
            },
        )
        services.work_set_series(work=work, series=[series])
        services.work_set_collections(work=work, collections=[collection])

    add_work()
    counts = {}
    for viewer in (None, make_user()):
        if viewer:
            client.force_login(viewer)
        with CaptureQueriesContext(connection) as one:
            assert len(blurbs(client.get("/works"))) == Work.objects.count()
        counts[viewer] = len(one)
    for _ in range(24):
        add_work()
    for viewer, single in counts.items():
        if viewer:
            client.force_login(viewer)
        else:
            client.logout()
        with django_assert_max_num_queries(single):
            assert len(blurbs(client.get("/works"))) == 20
    assert max(counts.values()) <= 14


def test_listing_contract_adds_heading_in_and_extra_context(rf: RequestFactory, author):
    make_work(creator=author, title="Found Under Lanterns")
    request = rf.get("/somewhere")
    request.user = AnonymousUser()
    response = work_list_response(
        request,
        works=Work.objects.all(),
        heading_in="Harbour & Lights",
        heading_in_url="/tags/Harbour%20*a*%20Lights/works",
        extra_context={"listing_heading": "overridden"},
    )
    root = parse(response.content)
    heading = select_one(root, "h2.heading")
    assert text(heading) == "overridden in Harbour & Lights"
    assert select_one(heading, "a").get("href") == "/tags/Harbour%20*a*%20Lights/works"

    response = work_list_response(
        request, works=Work.objects.all(), heading_in="Harbour", heading_in_url="/x"
    )
    assert text(select_one(parse(response.content), "h2.heading")) == "1 Work in Harbour"


def test_drafts_are_left_out_unless_asked_for(rf, author):
    make_work(creator=author, post=False, title="Sketch of a Pier")
    request = rf.get("/users/author/works")
    request.user = author
    shown = work_list_response(request, works=Work.objects.all()).content.decode()
    assert "Sketch of a Pier" not in shown
    with_drafts = work_list_response(request, works=Work.objects.all(), include_drafts=True)
    assert "Sketch of a Pier" in with_drafts.content.decode()


# Series and collections ----------------------------------------------------------------


def test_series_page_lists_visible_works_in_part_order(client, author):
    series = services.series_create(creator=author, title="Tide Tables")
    series.description = "Three tides, *one* harbour."
    series.save()
    first = make_work(creator=author, title="First Tide")
    draft = make_work(creator=author, title="Unposted Tide", post=False)
    third = make_work(creator=author, title="Third Tide")
    for work in (first, draft, third):
        services.work_set_series(work=work, series=[series])
    set_updated(first, 1)
    set_updated(third, 9)  # updated long ago, still listed after the first part
    root = parse(client.get(f"/series/{series.pk}").content)
    assert text(select_one(root, "h2.heading")) == "Tide Tables"
    assert select_one(root, "dl.series.meta a[rel=author]").get("href") == author.get_pseud_url()
    assert select_one(root, "dd.description blockquote.userstuff em").text == "one"
    ids = [li.get("id") for li in select(root, "ul.series.work.index > li.blurb")]
    assert ids == [f"work_{first.pk}", f"work_{third.pk}"]
    assert "Unposted Tide" not in text(root)
    assert text(select_one(root, "dl.stats > dd.works")) == "2"


def test_unknown_series_and_collections_are_not_found(client):
    assert client.get("/series/424242").status_code == 404
    assert client.get("/collections/no_such_thing").status_code == 404
    assert client.get("/collections/no_such_thing/works").status_code == 404


def test_collection_works_lists_only_approved_items(client, author):
    collection = Collection.objects.create(
        name="quiet_coves", title="Quiet Coves", owner=make_user(), is_moderated=True
    )  # run by someone else: its owner's own works need no approval
    approved = make_work(creator=author, title="Approved Cove")
    pending = make_work(creator=author, title="Pending Cove")
    declined = make_work(creator=author, title="Declined Cove")
    for work in (approved, pending, declined):
        services.work_set_collections(work=work, collections=[collection])
    CollectionItem.objects.filter(work=approved).update(
        collection_approval=CollectionItem.Approval.APPROVED
    )
    CollectionItem.objects.filter(work=declined).update(
        collection_approval=CollectionItem.Approval.APPROVED,
        author_approval=CollectionItem.Approval.REJECTED,
    )
    response = client.get("/collections/quiet_coves/works")
    root = parse(response.content)
    heading = select_one(root, "h2.heading")
    assert text(heading) == "1 Work in Quiet Coves"
    assert select_one(heading, "a").get("href") == "/collections/quiet_coves"
    assert [li.get("id") for li in blurbs(response)] == [f"work_{approved.pk}"]

    page = client.get("/collections/quiet_coves").content.decode()
    assert "Approved Cove" in page
    assert "Pending Cove" not in page and "Declined Cove" not in page


def test_collection_page_shows_description_owner_and_prompts(client, author):
    collection = Collection.objects.create(
        name="lantern_week",
        title="Lantern Week",
        owner=author,
        description="Seven days of **lamplight**.",
    )
    prompt_tag = tags_resolve(names=["Lantern Week Day 02: Fog"], tag_type=TagType.PROMPT)[0]
    collection.prompts.create(tag=prompt_tag, position=2, title="Fog")
    root = parse(client.get("/collections/lantern_week").content)
    assert text(select_one(root, "h2.heading")) == "Lantern Week"
    assert select_one(root, "div.intro blockquote.userstuff strong").text == "lamplight"
    assert select_one(root, "dd.owner a").get("href") == author.get_pseud_url()
    prompt = select_one(root, "ol.prompts > li > a.tag")
    assert prompt.get("href") == "/tags/Lantern%20Week%20Day%2002:%20Fog/works"
