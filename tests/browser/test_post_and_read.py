"""The archive's walking skeleton, driven in a real browser: a new author signs up, posts a
chaptered Mature work with every metadata field through the forms, previews and posts it, adds
its second and third chapters, and a guest reads it through the adult notice."""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import make_user
from works.models import Collection

# serialized_rollback: the flush after each test would otherwise delete the fixed tags (ratings,
# warnings, categories) that migrations create, and later tests would post works without them.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

ADULT_NOTICE = (
    "This work could have adult content. If you continue, you have agreed that you are "
    "willing to see such content."
)

WORK = {
    "title": "The Lamp at Grey Point",
    "summary": "Two keepers, one lamp, and a storm that will *not* end.",
    "notes": "Written for the Tidewater exchange.",
    "endnotes": "Thank you for reading to the last light.",
    "fandom": "Lantern Keepers (TV)",
    "relationship": "Ines Alvarez & Mara Quill",
    "characters": ["Ines Alvarez", "Mara Quill"],
    "freeforms": ["Found Family", "Storms"],
    "prompt": "Tidewater Week 2025 Day 03: Fog",
    "series": "Grey Point Stories",
}
CHAPTERS = [
    ("First Light", "The lamp had not gone dark in forty years.\n\nInes meant to keep it so."),
    ("High Water", "By noon the sea was in the cellar.\n\nMara counted the steps twice."),
    ("The Long Night", "They took turns at the glass until dawn.\n\nThe ships went by safe."),
]


def field(page, label):
    """The control labelled `label`: the label must start with that text and add no words,
    so "Notes" does not find "End Notes" and "Password" does not find "Confirm password".
    Only form controls count (a suggestion list may carry the same label)."""
    labelled = page.get_by_label(re.compile(rf"^\s*{re.escape(label)}(?!\s*[A-Za-z0-9])", re.I))
    return labelled.and_(page.locator("input, textarea, select"))


def button(page, name):
    return page.get_by_role("button", name=re.compile(rf"^\s*{re.escape(name)}\s*$", re.I))


def meta_group(page, css_class):
    return page.locator(f"dl.work.meta.group dd.{css_class}.tags")


def stat(page, label):
    return page.locator("dl.work.meta.group dl.stats dt", has_text=label).locator(
        "xpath=following-sibling::dd[1]"
    )


def sign_up(page, username):
    page.goto("/signup")
    field(page, "User name").fill(username)
    field(page, "Email").fill(f"{username}@example.org")
    field(page, "Password").fill("A lantern in the fog 1891")
    field(page, "Confirm password").fill("A lantern in the fog 1891")
    field(page, "I have read and accept the Terms of Service").check()
    field(page, "I am at least 13 years old.").check()
    button(page, "Create Account").click()
    log_out = re.compile(r"log ?out", re.I)
    logged_in = page.get_by_role("link", name=log_out).or_(page.get_by_role("button", name=log_out))
    expect(logged_in.first).to_be_visible()


def fill_new_work(page, collection):
    page.goto("/works/new")
    field(page, "Rating").select_option(label="Mature")
    page.get_by_label("No Archive Warnings Apply", exact=True).check()
    page.get_by_label("Gen", exact=True).check()
    page.get_by_label("Other", exact=True).check()
    field(page, "Fandoms").fill(WORK["fandom"])
    field(page, "Relationships").fill(WORK["relationship"])
    field(page, "Characters").fill(", ".join(WORK["characters"]))
    field(page, "Additional Tags").fill(", ".join(WORK["freeforms"]))
    field(page, "Prompts").fill(WORK["prompt"])
    field(page, "Work Title").fill(WORK["title"])
    field(page, "Summary").fill(WORK["summary"])
    field(page, "Notes").fill(WORK["notes"])
    field(page, "End Notes").fill(WORK["endnotes"])
    field(page, "Language").select_option(label="English")
    new_series = page.get_by_label(re.compile(r"new (series|one)", re.I))
    new_series.and_(page.locator("input")).fill(WORK["series"])
    field(page, "Collections").fill(collection.name)
    field(page, "This work has multiple chapters").check()
    field(page, "Chapter 1 of").fill("3")
    title, text = CHAPTERS[0]
    field(page, "Chapter Title").fill(title)
    field(page, "Work Text").fill(text)


def add_chapter(page, work_id, position):
    title, text = CHAPTERS[position - 1]
    page.goto(f"/works/{work_id}/chapters/new")
    expected = field(page, f"Chapter {position} of")
    expect(expected).to_have_value("3")
    field(page, "Chapter Title").fill(title)
    page.get_by_label(re.compile(r"^\s*(Chapter|Work) Text", re.I)).fill(text)
    button(page, "Post").click()
    expect(page.locator("h2.title.heading")).to_contain_text(WORK["title"])


def expect_work_header(page, collection, author):
    """What a reader sees at the top of the work: every tag group, language, series,
    collection and stats; then the preface."""
    expect(page.locator("h2.title.heading").first).to_have_text(WORK["title"])
    expect(page.locator("h3.byline.heading a[rel=author]")).to_have_text(author)
    expect(meta_group(page, "rating")).to_have_text("Mature")
    expect(meta_group(page, "warning")).to_have_text("No Archive Warnings Apply")
    expect(meta_group(page, "category")).to_contain_text("Gen")
    expect(meta_group(page, "category")).to_contain_text("Other")
    expect(meta_group(page, "fandom")).to_have_text(WORK["fandom"])
    expect(meta_group(page, "relationship")).to_have_text(WORK["relationship"])
    for name in WORK["characters"]:
        expect(meta_group(page, "character")).to_contain_text(name)
    for name in WORK["freeforms"]:
        expect(meta_group(page, "freeform")).to_contain_text(name)
    meta = page.locator("dl.work.meta.group")
    expect(meta).to_contain_text(WORK["prompt"])
    fandom_path = (
        meta_group(page, "fandom")
        .locator("a.tag")
        .evaluate("link => decodeURIComponent(new URL(link.href).pathname)")
    )
    assert fandom_path == f"/tags/{WORK['fandom']}/works"
    expect(page.locator("dl.work.meta.group dd.language")).to_have_text("English")
    expect(page.locator("dl.work.meta.group dd.series")).to_contain_text(
        f"Part 1 of {WORK['series']}"
    )
    expect(page.locator("dl.work.meta.group dd.collections")).to_contain_text(collection.title)
    expect(stat(page, "Chapters:")).to_have_text("3/3")
    expect(stat(page, "Completed:")).to_have_text(re.compile(r"^\d{4}-\d{2}-\d{2}$"))
    expect(stat(page, "Words:")).to_have_text("41")  # 15 + 13 + 13
    preface = page.locator("#workskin div.preface.group").first
    expect(preface.locator("div.summary.module blockquote.userstuff")).to_contain_text(
        "Two keepers, one lamp, and a storm that will not end."
    )
    expect(preface.locator("div.summary.module blockquote.userstuff em")).to_have_text("not")
    expect(preface.locator("div.notes.module")).to_contain_text(WORK["notes"])
    expect(preface.locator("div.notes.module")).to_contain_text(
        "(See the end of the work for more notes.)"
    )


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_new_author_posts_a_chaptered_mature_work_and_a_guest_reads_it(new_page, javascript):
    owner = make_user(username="tidewater_mod")
    collection = Collection.objects.create(
        name="tidewater_2025",
        title="Tidewater Exchange 2025",
        owner=owner,
        is_moderated=False,
        is_closed=False,
    )

    # A new author signs up and is logged in at once.
    author = new_page(javascript=javascript)
    sign_up(author, "lamplighter")

    # Every field of the work form, then Preview: exactly what readers will see.
    fill_new_work(author, collection)
    button(author, "Preview").click()
    expect(author.locator("h2.title.heading").first).to_have_text(WORK["title"])
    expect(author.locator("#workskin")).to_contain_text("The lamp had not gone dark")
    expect(author.locator("dl.work.meta.group")).to_contain_text(WORK["fandom"])
    expect(button(author, "Save As Draft")).to_be_visible()

    # Post it from the preview.
    button(author, "Post").click()
    author.wait_for_url(re.compile(r"/works/\d+"))
    work_id = int(re.search(r"/works/(\d+)", author.url).group(1))
    if author.get_by_text(ADULT_NOTICE).count():
        author.get_by_role("link", name="Yes, Continue").click()
    expect(author.locator("h2.title.heading").first).to_have_text(WORK["title"])
    expect(stat(author, "Chapters:")).to_have_text("1/3")

    # Its second and third chapters.
    add_chapter(author, work_id, 2)
    add_chapter(author, work_id, 3)

    # A guest, with no cookies, meets the adult notice first.
    guest = new_page(javascript=javascript)
    guest.goto(f"/works/{work_id}")
    expect(guest.get_by_text(ADULT_NOTICE)).to_be_visible()
    expect(guest.locator("body")).not_to_contain_text(CHAPTERS[0][1].split("\n")[0])
    guest.get_by_role("link", name="Yes, Continue").click()
    expect(guest.get_by_text(ADULT_NOTICE)).to_have_count(0)
    expect_work_header(guest, collection, "lamplighter")
    expect(guest.locator("#chapters")).to_contain_text(CHAPTERS[0][1].split("\n")[0])

    # The Entire Work view: all three chapters in order, with their titles, then end notes.
    guest.get_by_role("link", name="Entire Work").click()
    expect(guest).to_have_url(re.compile(r"view_full_work=true"))
    expect(guest.get_by_text(ADULT_NOTICE)).to_have_count(0)
    chapters = guest.locator("#chapters > div.chapter")
    expect(chapters).to_have_count(3)
    for position, (title, text) in enumerate(CHAPTERS, start=1):
        chapter = guest.locator(f"#chapter-{position}")
        expect(chapter.locator("h3.title")).to_have_text(f"Chapter {position}: {title}")
        for paragraph in text.split("\n\n"):
            expect(chapter.locator("div.userstuff p", has_text=paragraph)).to_have_count(1)
    expect(guest.locator("#work_endnotes")).to_contain_text(WORK["endnotes"])
    expect(guest.locator("#series")).to_contain_text(WORK["series"])
    assert author.errors == [] and guest.errors == []
