"""Importing a work by its address (works/importing/url.py, ao3_page.py) from this archive's
own pages, served by a live server on 127.0.0.1 (which the tests allow the fetcher to reach):
every field of a work the posting services made comes back, and a work a guest may not see
is refused with a clear message."""

import datetime
import urllib.error
import urllib.request
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
from django.utils import timezone

from archive.errors import Refused
from tags.models import TagType
from tests.clients.conftest import archive_server  # noqa: F401 - the module's live server
from tests.factories import PASSWORD, make_user, make_work
from tests.works.importing.stub_server import StubServer
from works.importing.url import import_from_url
from works.models import Work
from works.rendering import render_markdown
from works.services import collections as collection_services
from works.services import posting

pytestmark = pytest.mark.django_db

TAGS = {
    TagType.RATING: ["Teen And Up Audiences"],
    TagType.WARNING: ["Graphic Depictions Of Violence", "Major Character Death"],
    TagType.CATEGORY: ["F/F", "Gen"],
    TagType.FANDOM: ["Invented Coastlines"],
    TagType.RELATIONSHIP: ["Ilse/Maren"],
    TagType.CHARACTER: ["Ilse", "Maren"],
    TagType.FREEFORM: ["Maps", "Slow Burn"],
}
CHAPTERS = [
    {
        "title": "Soundings",
        "summary": "Ilse meets the *chart*.",
        "notes": "The first of five.",
        "endnotes": "More coast soon.",
        "body": "Ilse unrolled the chart on the kitchen table.\n\n"
        "The coast was *wrong*: every cove on it was a small lie.",
    },
    {
        "title": "",
        "summary": "",
        "notes": "",
        "endnotes": "",
        "body": "Maren came with a lantern and a ruler.\n\nThey measured until dawn.",
    },
    {
        "title": "Low Tide",
        "summary": "Mud, and a bottle.",
        "notes": "",
        "endnotes": "",
        "body": "At low tide the harbour showed its floor.\n\n> A note in a bottle, unread.",
    },
]


@pytest.fixture(scope="module")
def data(archive_server, django_db_blocker):  # noqa: F811
    with django_db_blocker.unblock():
        writer = make_user(username="cartographer", password=PASSWORD)
        series = posting.series_create(creator=writer, title="Atlas of Small Places")
        first = make_work(creator=writer, title="Harbour Lights")
        posting.work_set_series(work=first, series=[series])
        collection = collection_services.collection_create(
            owner=writer, fields={"name": "atlas_week", "title": "Atlas Week"}
        )
        work = posting.work_create(
            creator=writer,
            fields={
                "title": "The Cartographer's Apprentice",
                "summary": "Ilse learns to draw the *coast*.",
                "notes": "Written for the winter exchange.",
                "endnotes": "Thank you for walking the map with me.",
                "language": "de",
                "expected_chapters": 5,
                "published_at": datetime.date(2024, 3, 1),
            },
            tag_names=TAGS,
            chapter=CHAPTERS[0],
            series=[series],
            collections=[collection],
            recipients=["Juniper"],
        )
        for fields in CHAPTERS[1:]:
            posting.chapter_add(work=work, fields=fields)
        adult = make_work(
            creator=writer,
            title="Night Ferry",
            tags={TagType.RATING: ["Mature"]},
        )
        restricted = make_work(creator=writer, title="Members' Harbour", restricted=True)
        hidden = make_work(creator=writer, title="Hidden Cove")
        Work.objects.filter(pk=hidden.pk).update(hidden_by_moderator=True)
        draft = make_work(creator=writer, title="Unfinished Shore", post=False)
        masquerade = collection_services.collection_create(
            owner=writer,
            fields={"name": "masquerade", "title": "Masquerade", "is_unrevealed": True},
        )
        mystery = make_work(creator=writer, title="Behind the Mask")
        posting.work_set_collections(work=mystery, collections=[masquerade])
        return {
            "work": Work.objects.get(pk=work.pk),
            "adult": adult,
            "restricted": restricted,
            "hidden": hidden,
            "draft": draft,
            "mystery": mystery,
            "first": first,
            "series": series,
        }


@pytest.fixture
def server(archive_server, settings):  # noqa: F811
    settings.ARCHIVE_IMPORT_ALLOW_PRIVATE = True
    return archive_server


@pytest.fixture
def imported(server, data):
    return import_from_url(f"{server.url}/works/{data['work'].pk}")


def _refusal(url):
    with pytest.raises(Refused) as caught:
        import_from_url(url)
    return caught.value


# --- every field of the work -----------------------------------------------------------------


def test_title_byline_and_source(imported, server, data):
    assert imported.title == "The Cartographer's Apprentice"
    assert imported.creators == ["cartographer"]
    assert imported.source_url == f"{server.url}/works/{data['work'].pk}"
    assert imported.recipients == ["Juniper"]
    assert imported.warnings == []


def test_summary_notes_and_end_notes_keep_their_formatting(imported):
    assert imported.summary == "<p>Ilse learns to draw the <em>coast</em>.</p>"
    assert imported.notes == "<p>Written for the winter exchange.</p>"
    assert imported.endnotes == "<p>Thank you for walking the map with me.</p>"


def test_tags_of_every_type_in_order(imported):
    assert imported.tags == {str(t): names for t, names in TAGS.items()}


def test_language_series_and_collections(imported, server, data):
    assert imported.language == "de"
    (series,) = imported.series
    assert (series.title, series.position) == ("Atlas of Small Places", 2)
    assert series.url == f"{server.url}/series/{data['series'].pk}"
    assert imported.collections == ["atlas_week"]


def test_stats(imported, data):
    assert imported.published == datetime.date(2024, 3, 1)
    assert imported.updated == timezone.localdate(data["work"].revised_at)
    assert imported.words == data["work"].word_count > 0
    assert imported.expected_chapters == 5
    assert imported.complete is False


def test_chapters_with_titles_summaries_and_notes(imported):
    assert [c.title for c in imported.chapters] == ["Soundings", "", "Low Tide"]
    first, second, third = imported.chapters
    assert first.summary == "<p>Ilse meets the <em>chart</em>.</p>"
    assert first.notes == "<p>The first of five.</p>"
    assert first.endnotes == "<p>More coast soon.</p>"
    assert (second.summary, second.notes, second.endnotes) == ("", "", "")
    assert third.summary == "<p>Mud, and a bottle.</p>"


def test_chapter_text_renders_as_it_did_on_the_source(imported, data):
    stored = list(data["work"].chapters.order_by("position"))
    for parsed, chapter in zip(imported.chapters, stored, strict=True):
        assert "Chapter Text" not in parsed.body
        assert render_markdown(parsed.body).split() == chapter.body_html.split()
    assert "<blockquote>" in imported.chapters[2].body


@pytest.mark.parametrize(
    "path",
    [
        "/works/{id}/chapters/{chapter}",
        "/works/{id}?view_full_work=false#comments",
        "/collections/atlas_week/works/{id}",
        "/works/{id}/",
    ],
)
def test_any_address_of_the_work_imports_the_whole_work(server, data, path):
    work = data["work"]
    chapter = work.chapters.order_by("position").last()
    url = server.url + path.format(id=work.pk, chapter=chapter.pk)
    parsed = import_from_url(url)
    assert parsed.title == work.title and len(parsed.chapters) == 3


def test_a_one_shot_has_its_text_and_no_chapter_title(server, data):
    parsed = import_from_url(f"{server.url}/works/{data['first'].pk}")
    (chapter,) = parsed.chapters
    assert chapter.title == "" and "The first chapter of work" in chapter.body
    assert parsed.complete is True and parsed.expected_chapters == 1
    assert parsed.series[0].position == 1


# --- the adult notice, and works a guest may not see -----------------------------------------


def test_an_adult_work_is_read_past_the_notice(server, data):
    parsed = import_from_url(f"{server.url}/works/{data['adult'].pk}")
    assert parsed.title == "Night Ferry"
    assert parsed.tags["rating"] == ["Mature"]
    assert "The first chapter of work" in parsed.chapters[0].body


def test_a_restricted_work_is_not_visible_to_the_importer(server, data):
    refused = _refusal(f"{server.url}/works/{data['restricted'].pk}")
    assert refused.code == "not_visible"
    assert "logged in" in refused.message and "import the file" in refused.message


@pytest.mark.parametrize("key", ["hidden", "draft"])
def test_a_hidden_or_draft_work_is_not_visible(server, data, key):
    refused = _refusal(f"{server.url}/works/{data[key].pk}")
    assert refused.code == "not_visible"
    assert "No work is visible at that address" in refused.message


def test_an_unrevealed_work_is_not_visible(server, data):
    refused = _refusal(f"{server.url}/works/{data['mystery'].pk}")
    assert refused.code == "not_visible" and "not revealed" in refused.message


def test_a_missing_work_is_not_visible(server, data):
    assert _refusal(f"{server.url}/works/987654321").code == "not_visible"


@pytest.mark.parametrize(
    "url",
    ["{site}/users/cartographer", "{site}/works", "{site}/series/1", "mailto:a@b.example"],
)
def test_an_address_that_is_not_a_work(server, url):
    refused = _refusal(url.format(site=server.url))
    assert refused.code == "not_a_work_url" and refused.field == "url"


def test_the_archive_itself_is_refused_without_the_private_setting(server, data, settings):
    settings.ARCHIVE_IMPORT_ALLOW_PRIVATE = False
    assert _refusal(f"{server.url}/works/{data['work'].pk}").code == "forbidden_address"


# --- an archive without the entire-work view -------------------------------------------------


def _proxy_without_full_view(target, *, padding=0):
    """A stub in front of the archive that ignores view_full_work (shows one chapter), or,
    with `padding`, pads the entire-work view with that many bytes."""

    def forward(handler):
        parts = urlsplit(handler.path)
        query = [(k, v) for k, v in parse_qsl(parts.query) if k != "view_full_work"]
        if padding and "view_full_work=true" in parts.query:
            query.append(("view_full_work", "true"))
        url = f"{target}{parts.path}" + (f"?{urlencode(query)}" if query else "")
        try:
            answer = urllib.request.urlopen(url, timeout=10)  # noqa: S310 - loopback only
            status, body = answer.status, answer.read()
            content_type = answer.headers["Content-Type"]
        except urllib.error.HTTPError as error:
            status, body, content_type = error.code, error.read(), "text/html"
        if padding and "view_full_work=true" in parts.query:
            body += b"<!--" + b"x" * padding + b"-->"
        handler.send_response(status)
        handler.send_header("Content-Type", content_type)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    return StubServer({"*": forward})


def test_chapters_are_fetched_one_by_one_when_the_full_view_is_missing(server, data):
    work = data["work"]
    with _proxy_without_full_view(server.url) as proxy:
        parsed = import_from_url(proxy.url(f"/works/{work.pk}"))
    assert [c.title for c in parsed.chapters] == ["Soundings", "", "Low Tide"]
    assert "measured until dawn" in parsed.chapters[1].body
    assert parsed.chapters[2].summary == "<p>Mud, and a bottle.</p>"
    dates = [c.published for c in parsed.chapters]
    assert dates[0] == datetime.date(2024, 3, 1) and all(dates)
    assert (f"/works/{work.pk}/navigate", "") in [(p, q) for p, q, _h in proxy.requests]
    assert parsed.warnings == []


def test_an_entire_work_too_large_for_one_fetch_is_read_chapter_by_chapter(server, data, settings):
    settings.ARCHIVE_IMPORT_MAX_BYTES = 200_000
    work = data["work"]
    with _proxy_without_full_view(server.url, padding=300_000) as proxy:
        parsed = import_from_url(proxy.url(f"/works/{work.pk}"))
    assert [c.title for c in parsed.chapters] == ["Soundings", "", "Low Tide"]
    assert "At low tide the harbour" in parsed.chapters[2].body
    requests = [(p, q) for p, q, _h in proxy.requests]
    assert requests[:2] == [
        (f"/works/{work.pk}", "view_adult=true&view_full_work=true"),
        (f"/works/{work.pk}", "view_adult=true"),
    ]
