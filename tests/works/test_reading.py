"""The work page, chapter pages, the entire work and the chapter index, as docs/markup.md
draws them."""

import re

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext

from tags.models import TagType
from tests.factories import make_chapter, make_user, make_work
from tests.works.markup import parse, select, select_one, text
from works.models import Collection, CollectionItem, Work, WorkStats
from works.pages.work import work_page_context, work_page_queryset
from works.services import posting as services

pytestmark = pytest.mark.django_db


FULL_TAGS = {
    TagType.RATING: ["Teen And Up Audiences"],
    TagType.WARNING: ["No Archive Warnings Apply"],
    TagType.CATEGORY: ["F/F"],
    TagType.FANDOM: ["Harbour Lights"],
    TagType.RELATIONSHIP: ["Mara/Ines"],
    TagType.CHARACTER: ["Mara Quell", "Ines Varga"],
    TagType.FREEFORM: ["Lighthouses", "Slow Burn"],
    TagType.PROMPT: ["Lantern Week Day 02: Fog Signals"],
}


def make_oneshot(author, **fields):
    fields.setdefault("summary", "Two keepers share one lamp through a long winter.")
    fields.setdefault("notes", "Written for a friend who loves *foghorns*.")
    fields.setdefault("endnotes", "Thank you for reading to the end.")
    return make_work(creator=author, tags=FULL_TAGS, **fields)


def make_chaptered(author, count=3, **fields):
    fields.setdefault("summary", "Signals pass between two lighthouses.")
    fields.setdefault("endnotes", "The last word belongs to the sea.")
    work = make_work(creator=author, tags=FULL_TAGS, expected_chapters=None, **fields)
    first = work.chapters.get()
    services.chapter_update(chapter=first, fields={"title": "Low Tide"})
    for position in range(2, count + 1):
        make_chapter(
            work,
            title=f"Signal {position}",
            body=f"Body of chapter {position}: gulls over the breakwater.",
            summary=f"Summary of chapter {position}.",
            notes=f"Notes before chapter {position}.",
            endnotes=f"Notes after chapter {position}.",
        )
    work.refresh_from_db()
    return work


def chapters_of(work):
    return list(work.chapters.order_by("position"))


# The one-shot work page ---------------------------------------------------------------


def test_oneshot_page_has_the_ao3_regions_in_order(client, author):
    work = make_oneshot(author)
    response = client.get(f"/works/{work.pk}")
    assert response.status_code == 200
    root = parse(response.content)

    nav = select_one(root, "ul.work.navigation.actions")
    assert nav.get("class") == "work navigation actions"
    meta = select_one(root, "dl.work.meta.group")
    assert meta.get("class") == "work meta group"
    skin = select_one(root, "div#workskin")
    prefaces = select(skin, "div#workskin > div.preface.group")
    assert [p.get("class") for p in prefaces] == ["preface group", "afterword preface group"]
    preface = prefaces[0]

    first_heading_h2 = select(root, "h2.heading")[0]
    assert first_heading_h2.get("class") == "title heading"
    assert text(first_heading_h2) == work.title

    byline = select_one(preface, "h3.byline.heading")
    authors = select(byline, "a[rel=author]")
    assert [a.get("href") for a in authors] == [
        f"/users/{author.username}/pseuds/{author.username}"
    ]

    summary = select_one(preface, "div.summary.module")
    assert text(select_one(summary, "h3.heading")) == "Summary:"
    assert "long winter" in text(select_one(summary, "blockquote.userstuff"))

    notes = select_one(preface, "div.notes.module")
    assert text(select_one(notes, "h3.heading")) == "Notes:"
    assert select_one(notes, "blockquote.userstuff em").text == "foghorns"
    assert text(select_one(notes, "p.jump")) == "(See the end of the work for more notes.)"

    chapters = select_one(skin, "div#chapters")
    assert text(select_one(chapters, "h3.landmark.heading")) == "Work Text:"
    assert "told plainly" in text(select_one(chapters, "div.userstuff"))
    assert not select(chapters, "div.chapter")

    afterword = select_one(skin, "div.afterword.preface.group")
    assert afterword.get("class") == "afterword preface group"
    endnotes = select_one(afterword, "div#work_endnotes.end.notes.module")
    assert endnotes.get("class") == "end notes module"
    assert text(select_one(endnotes, "h3.heading")) == "End Notes:"
    assert "reading to the end" in text(endnotes)

    assert select(root, "div#feedback")
    order = [e for e in root.iter() if e in (nav, meta, skin, select_one(root, "div#feedback"))]
    assert order == [nav, meta, skin, select_one(root, "div#feedback")]


def test_header_links_every_tag_group_to_its_works_page(client, author):
    work = make_oneshot(author)
    root = parse(client.get(f"/works/{work.pk}").content)
    meta = select_one(root, "dl.work.meta.group")

    dt_classes = [dt.get("class") for dt in select(meta, "dl.work.meta.group > dt")]
    assert dt_classes == [
        "rating tags",
        "warning tags",
        "category tags",
        "fandom tags",
        "relationship tags",
        "character tags",
        "freeform tags",
        "prompt tags",
        "language",
        "stats",
    ]
    links = {
        dd.get("class"): [(a.get("href"), text(a)) for a in select(dd, "ul.commas > li > a.tag")]
        for dd in select(meta, "dl.work.meta.group > dd")
        if "tags" in dd.get("class")
    }
    assert links["rating tags"] == [
        ("/tags/Teen%20And%20Up%20Audiences/works", "Teen And Up Audiences")
    ]
    assert links["relationship tags"] == [("/tags/Mara*s*Ines/works", "Mara/Ines")]
    assert links["character tags"] == [
        ("/tags/Ines%20Varga/works", "Ines Varga"),
        ("/tags/Mara%20Quell/works", "Mara Quell"),
    ]
    assert links["prompt tags"] == [
        (
            "/tags/Lantern%20Week%20Day%2002:%20Fog%20Signals/works",
            "Lantern Week Day 02: Fog Signals",
        )
    ]
    labels = [text(dt) for dt in select(meta, "dl.work.meta.group > dt")]
    assert labels[:8] == [
        "Rating:",
        "Archive Warning:",
        "Category:",
        "Fandom:",
        "Relationship:",
        "Characters:",
        "Additional Tags:",
        "Prompt:",
    ]


def test_language_is_named_and_marked_with_its_code(client, author):
    work = make_oneshot(author, language="fr")
    root = parse(client.get(f"/works/{work.pk}").content)
    language = select_one(root, "dl.work.meta.group > dd.language")
    assert language.get("lang") == "fr"
    assert text(language) == "Français"


def test_stats_of_a_oneshot_show_published_words_chapters_hits(client, author):
    work = make_oneshot(author)
    root = parse(client.get(f"/works/{work.pk}").content)
    stats = select_one(root, "dd.stats > dl.stats")
    pairs = [(dt.get("class"), text(dt)) for dt in select(stats, "dl.stats > dt")]
    assert pairs == [
        ("published", "Published:"),
        ("words", "Words:"),
        ("chapters", "Chapters:"),
        ("hits", "Hits:"),
    ]
    assert text(select_one(stats, "dd.published")) == work.published_at.isoformat()
    assert text(select_one(stats, "dd.chapters")) == "1/1"
    assert text(select_one(stats, "dd.words")) == str(work.word_count)


def test_stats_of_a_chaptered_work_show_status_and_counters_above_zero(client, author):
    work = make_chaptered(author, count=2)
    WorkStats.objects.filter(work=work).update(hits=1234, kudos=14, comments=0, bookmarks=2)
    root = parse(client.get(f"/works/{work.pk}").content)
    stats = select_one(root, "dd.stats > dl.stats")
    classes = [dt.get("class") for dt in select(stats, "dl.stats > dt")]
    assert classes == ["published", "status", "words", "chapters", "kudos", "bookmarks", "hits"]
    assert text(select_one(stats, "dt.status")) == "Updated:"
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", text(select_one(stats, "dd.status")))
    assert text(select_one(stats, "dd.chapters")) == "2/?"
    assert text(select_one(stats, "dd.hits")) == "1,234"


def test_completed_chaptered_work_says_completed(client, author):
    work = make_work(creator=author, chapters=2)
    root = parse(client.get(f"/works/{work.pk}").content)
    assert text(select_one(root, "dl.stats > dt.status")) == "Completed:"
    assert text(select_one(root, "dl.stats > dd.chapters")) == "2/2"


# Chapters ------------------------------------------------------------------------------


def test_chaptered_work_page_shows_the_first_chapter_with_navigation(client, author):
    work = make_chaptered(author)
    first, second, _third = chapters_of(work)
    response = client.get(f"/works/{work.pk}")
    assert response.status_code == 200
    root = parse(response.content)

    shown = select(root, "div#chapters > div.chapter")
    assert [c.get("id") for c in shown] == ["chapter-1"]
    title = select_one(shown[0], "div.chapter.preface.group > h3.title")
    assert text(title) == "Chapter 1: Low Tide"
    assert select_one(title, "a").get("href") == f"/works/{work.pk}/chapters/{first.pk}"

    nav = select_one(root, "ul.work.navigation.actions")
    entire = select_one(nav, "li.chapter.entire > a")
    assert text(entire) == "Entire Work"
    assert entire.get("href") == f"/works/{work.pk}?view_full_work=true"
    assert select_one(nav, "li.chapter.next > a").get("href") == second.get_absolute_url()
    assert not select(nav, "li.chapter.previous")
    # The work's summary and notes open the first chapter; its end notes wait at the last.
    assert select(root, "div.preface.group > div.summary.module")
    assert not select(root, "div#work_endnotes")
    jump = select_one(root, "div#workskin > div.preface.group > div.notes.module > p.jump > a")
    assert jump.get("href") == f"{chapters_of(work)[-1].get_absolute_url()}#work_endnotes"


def test_chapter_page_has_chapter_preface_text_and_end_notes(client, author):
    work = make_chaptered(author)
    first, second, third = chapters_of(work)
    root = parse(client.get(second.get_absolute_url()).content)

    chapter = select_one(root, "div#chapters > div.chapter")
    assert chapter.get("id") == "chapter-2"
    assert chapter.get("class") == "chapter"
    prefaces = select(chapter, "div.chapter > div.chapter.preface.group")
    assert [p.get("class") for p in prefaces] == ["chapter preface group"] * 2
    title = select_one(prefaces[0], "h3.title")
    assert text(title) == "Chapter 2: Signal 2"
    assert select_one(title, "a").get("href") == f"/works/{work.pk}/chapters/{second.pk}"
    summary = select_one(prefaces[0], "div#summary.summary.module")
    assert summary.get("class") == "summary module"
    assert text(select_one(summary, "blockquote.userstuff")) == "Summary of chapter 2."
    notes = select_one(prefaces[0], "div#notes.notes.module")
    assert text(select_one(notes, "blockquote.userstuff")) == "Notes before chapter 2."

    body = select_one(chapter, "div.userstuff.module[role=article]")
    assert body.get("class") == "userstuff module"
    assert text(select_one(body, "h3.landmark.heading")) == "Chapter Text"
    assert text(select_one(body, "p")) == "Body of chapter 2: gulls over the breakwater."

    end = select_one(prefaces[1], "div#chapter_2_endnotes.end.notes.module")
    assert end.get("class") == "end notes module"
    assert text(select_one(end, "blockquote.userstuff")) == "Notes after chapter 2."

    nav = select_one(root, "ul.work.navigation.actions")
    assert select_one(nav, "li.chapter.previous > a").get("href") == first.get_absolute_url()
    assert select_one(nav, "li.chapter.next > a").get("href") == third.get_absolute_url()
    assert select(nav, "li.chapter.entire")
    # Only the chapter's own div carries an id like chapter-<digit>.
    ids = [e.get("id") for e in root.iter() if re.search(r"chapter-\d", e.get("id") or "")]
    assert ids == ["chapter-2"]
    # Work preface: title and byline on every chapter, summary only on the first.
    assert select(root, "div#workskin > div.preface.group > h2.title.heading")
    assert not select(root, "div#workskin > div.preface.group > div.summary.module")


def test_last_chapter_carries_the_work_end_notes(client, author):
    work = make_chaptered(author)
    last = chapters_of(work)[-1]
    root = parse(client.get(last.get_absolute_url()).content)
    assert "sea" in text(select_one(root, "div.afterword.preface.group > div#work_endnotes"))
    assert not select(root, "li.chapter.next")


def test_entire_work_shows_every_chapter_in_order(client, author):
    work = make_chaptered(author)
    root = parse(client.get(f"/works/{work.pk}?view_full_work=true").content)
    shown = select(root, "div#chapters > div.chapter")
    assert [c.get("id") for c in shown] == ["chapter-1", "chapter-2", "chapter-3"]
    nav = select_one(root, "ul.work.navigation.actions")
    bychapter = select_one(nav, "li.chapter.bychapter > a")
    assert text(bychapter) == "Chapter by Chapter"
    assert bychapter.get("href") == chapters_of(work)[0].get_absolute_url()
    assert not select(nav, "li.chapter.entire")
    assert select(root, "div#work_endnotes")
    jump = select_one(root, "div#workskin > div.preface.group > div.notes.module > p.jump > a")
    assert jump.get("href") == "#work_endnotes"


def test_download_menu_offers_every_format_in_ao3s_order(client, author):
    work = make_chaptered(author)
    root = parse(client.get(f"/works/{work.pk}").content)
    links = select(root, "ul.work.navigation.actions > li.download > ul > li > a")
    assert [text(a) for a in links] == ["AZW3", "EPUB", "MOBI", "PDF", "HTML"]
    for link, extension in zip(links, ["azw3", "epub", "mobi", "pdf", "html"], strict=True):
        href = link.get("href")
        pattern = rf"/downloads/{work.pk}/[A-Za-z0-9_]+\.{extension}\?updated_at=\d+"
        assert re.fullmatch(pattern, href)
    assert client.get(links[-1].get("href")).status_code == 200


def test_one_shot_chapter_address_shows_the_chapter(client, author):
    # As AO3: a one-shot's chapter URL shows that chapter, no redirect.
    work = make_oneshot(author)
    chapter = work.chapters.get()
    response = client.get(f"{chapter.get_absolute_url()}?view_adult=true")
    assert response.status_code == 200
    assert chapter.body_html in response.content.decode()


def test_chapter_of_another_work_is_not_found(client, author):
    work = make_chaptered(author)
    other = make_chaptered(author)
    response = client.get(f"/works/{work.pk}/chapters/{chapters_of(other)[1].pk}")
    assert response.status_code == 404


def test_unknown_work_is_not_found(client):
    assert client.get("/works/999999").status_code == 404
    assert client.get("/works/999999/navigate").status_code == 404


# Series and collections in the header ------------------------------------------------


def test_series_shows_part_with_previous_and_next_visible_works(client, author):
    series = services.series_create(creator=author, title="Tide Tables")
    works = [make_oneshot(author) for _ in range(4)]
    draft = make_work(creator=author, post=False)
    for work in (works[0], draft, works[1], works[2]):
        services.work_set_series(work=work, series=[series])
    middle = works[1]
    root = parse(client.get(f"/works/{middle.pk}").content)

    span = select_one(root, "dl.work.meta.group > dd.series > span.series")
    assert select_one(span, "a.previous").get("href") == f"/works/{works[0].pk}"
    assert select_one(span, "a.next").get("href") == f"/works/{works[2].pk}"
    position = select_one(span, "span.position")
    assert text(position) == "Part 3 of Tide Tables"
    assert select_one(position, "a").get("href") == f"/series/{series.pk}"

    afterword = select_one(root, "div.afterword.preface.group > div#series.series.module")
    assert text(select_one(afterword, "h3.heading")) == "Series this work belongs to:"
    assert select_one(afterword, "span.position a").get("href") == f"/series/{series.pk}"


def test_collections_list_only_approved_ones(client, author):
    work = make_oneshot(author)
    open_one = Collection.objects.create(name="lantern_week", title="Lantern Week", owner=author)
    moderated = Collection.objects.create(
        name="quiet_coves", title="Quiet Coves", owner=make_user(), is_moderated=True
    )  # run by someone else: its owner's own works need no approval
    services.work_set_collections(work=work, collections=[open_one, moderated])
    assert CollectionItem.objects.filter(work=work).count() == 2
    root = parse(client.get(f"/works/{work.pk}").content)
    dd = select_one(root, "dl.work.meta.group > dd.collections")
    assert [(a.get("href"), text(a)) for a in select(dd, "a")] == [
        ("/collections/lantern_week", "Lantern Week")
    ]
    assert text(dd) == "Lantern Week"


# Creators and drafts -------------------------------------------------------------------


def test_creators_get_edit_links_readers_do_not(client, author, reader):
    work = make_chaptered(author)
    second = chapters_of(work)[1]
    client.force_login(author)
    root = parse(client.get(second.get_absolute_url()).content)
    nav = select_one(root, "ul.work.navigation.actions")
    hrefs = {text(a): a.get("href") for a in select(nav, "li.creator > a")}
    assert hrefs == {
        "Add Chapter": f"/works/{work.pk}/chapters/new",
        "Edit": f"/works/{work.pk}/edit",
        "Edit Tags": f"/works/{work.pk}/edit_tags",
        "Stats": f"/works/{work.pk}/stats",
        "Edit Chapter": f"/works/{work.pk}/chapters/{second.pk}/edit",
        "Manage Chapters": f"/works/{work.pk}/chapters/manage",
        "Add to Collection": f"/works/{work.pk}/collections/new",
        "Delete": f"/works/{work.pk}/delete",
        "Orphan Work": f"/works/{work.pk}/orphan",
    }
    client.force_login(reader)
    root = parse(client.get(second.get_absolute_url()).content)
    assert not select(root, "li.creator")
    assert "/edit" not in client.get(second.get_absolute_url()).content.decode()


def test_draft_chapters_show_to_creators_only(client, author, reader):
    work = make_chaptered(author, count=2)
    draft = make_chapter(work, post=False, title="Unfinished Lantern", body="Draft words here.")
    client.force_login(author)
    root = parse(client.get(f"/works/{work.pk}?view_full_work=true").content)
    assert len(select(root, "div#chapters > div.chapter")) == 3
    assert "Unfinished Lantern" in text(root)
    assert client.get(draft.get_absolute_url()).status_code == 200

    client.force_login(reader)
    body = client.get(f"/works/{work.pk}?view_full_work=true").content.decode()
    assert "Unfinished Lantern" not in body and "Draft words here" not in body
    assert client.get(draft.get_absolute_url()).status_code == 404
    navigate = client.get(f"/works/{work.pk}/navigate").content.decode()
    assert "Unfinished Lantern" not in navigate


def test_creator_sees_a_draft_notice(client, author):
    work = make_work(creator=author, post=False, title="Half-Built Pier")
    client.force_login(author)
    response = client.get(f"/works/{work.pk}")
    assert response.status_code == 200
    root = parse(response.content)
    assert "This work is a draft" in text(select_one(root, "p.notice.draft"))
    assert not select(root, "li.download")


def test_creator_sees_that_a_moderator_hid_the_work(client, author):
    work = make_oneshot(author)
    Work.objects.filter(pk=work.pk).update(hidden_by_moderator=True)
    client.force_login(author)
    root = parse(client.get(f"/works/{work.pk}").content)
    assert "hidden by a moderator" in text(select_one(root, "p.notice.hidden"))


# The chapter index ---------------------------------------------------------------------


def test_chapter_index_lists_posted_chapters_with_dates(client, author):
    work = make_chaptered(author)
    chapters = chapters_of(work)
    root = parse(client.get(f"/works/{work.pk}/navigate").content)
    items = select(root, "ol.chapter.index > li")
    assert [(select_one(li, "a").get("href"), text(select_one(li, "a"))) for li in items] == [
        (chapters[0].get_absolute_url(), "1. Low Tide"),
        (chapters[1].get_absolute_url(), "2. Signal 2"),
        (chapters[2].get_absolute_url(), "3. Signal 3"),
    ]
    for li, chapter in zip(items, chapters, strict=True):
        assert text(select_one(li, "span.datetime")) == f"({chapter.published_at.isoformat()})"

    links = [a.get("href") for a in root.iter("a") if a.get("href")]
    work_links = [h for h in links if re.search(r"/works/\d+$", h)]
    assert work_links[0] == f"/works/{work.pk}"
    assert [h for h in links if "/pseuds/" in h] == [author.get_pseud_url()]


# Queries -------------------------------------------------------------------------------


def _count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_work_page_queries_do_not_grow_with_chapters_or_tags(client, author):
    small = make_work(creator=author)
    big_tags = {
        TagType.FANDOM: [f"Coastal Fandom {n}" for n in range(5)],
        TagType.RELATIONSHIP: [f"Keeper {n}/Sailor {n}" for n in range(5)],
        TagType.CHARACTER: [f"Sailor {n}" for n in range(8)],
        TagType.FREEFORM: [f"Weather {n}" for n in range(8)],
        TagType.CATEGORY: ["Gen", "F/F"],
    }
    big = make_work(creator=author, tags=big_tags, chapters=10)
    assert small.tags.count() == 3 and big.tags.count() == 30
    assert big.chapters.count() == 10

    # A second member (made before any page is read: a new account retires stored pages).
    other = Client()
    other.force_login(make_user())
    for viewer in (None, make_user()):
        if viewer:
            client.force_login(viewer)
            client.get("/about")  # their account is read once, then kept in the cache
        small_full = _count_queries(client, f"/works/{small.pk}?view_full_work=true")
        big_full = _count_queries(client, f"/works/{big.pk}?view_full_work=true")
        assert small_full == big_full
        big_chapter = chapters_of(big)[5].get_absolute_url()
        small_chaptered = make_work(creator=author, chapters=2)
        small_chapter = chapters_of(small_chaptered)[1].get_absolute_url()
        assert _count_queries(client, small_chapter) == _count_queries(client, big_chapter)
        # 13: the feedback region adds two fixed queries (kudos names, the comments); a
        # member's first read also asks whether they muted anyone before storing the shell.
        assert big_full <= (14 if viewer else 13)
        # The next member reads the shared shell: their session and account, then one
        # query for their own subscription, bookmark and mutes (works.cache.member_pages).
        if viewer:
            assert _count_queries(other, big_chapter) <= 3


# The preview contract ------------------------------------------------------------------


def test_preview_context_shows_what_readers_will_see_without_reader_actions(author):
    work = make_work(creator=author, post=False, tags=FULL_TAGS, summary="A preview summary.")
    work = work_page_queryset(author).get(pk=work.pk)
    request = RequestFactory().get(f"/works/{work.pk}/preview")
    request.user = author
    context = work_page_context(request, work, list(work.chapters.all()), preview=True)
    html = render_to_string("works/work_detail.html", context, request=request)
    root = parse(html)
    assert text(select_one(root, "h2.title.heading")) == work.title
    assert select(root, "dl.work.meta.group > dd.freeform.tags")
    assert "told plainly" in text(select_one(root, "div#chapters"))
    assert not select(root, "ul.work.navigation.actions")
    assert not select(root, "div#feedback")
    assert not select(root, "p.notice.draft")
    # Stats count the chapter that is about to be posted.
    assert text(select_one(root, "dl.stats > dd.chapters")) == "1/1"
    assert text(select_one(root, "dl.stats > dd.words")) == str(work.chapters.get().word_count)
