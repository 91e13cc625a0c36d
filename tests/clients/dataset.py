"""The works, people and feedback the client tests read: one of every kind of work a reader
downloads (one-shot, chaptered, in progress, Mature, restricted, in a series, anonymous in a
collection) and a reader with bookmarks, subscriptions, history and works marked for later."""

import threading
from dataclasses import dataclass, field

from django.db import connection, connections
from django.test import override_settings

from tags.models import TagType
from tests.factories import PASSWORD, make_chapter, make_user, make_work
from works.services import collections as collection_services
from works.services import feedback, posting

FANDOM = "Client Fandom"


@dataclass
class Dataset:
    writer: object
    reader: object
    password: str = PASSWORD
    works: dict = field(default_factory=dict)
    series: object = None
    collection: object = None


def _tags(rating="General Audiences", **extra):
    tags = {
        TagType.RATING: [rating],
        TagType.WARNING: ["No Archive Warnings Apply"],
        TagType.FANDOM: [FANDOM],
        TagType.CATEGORY: ["Gen"],
        TagType.CHARACTER: ["Ada Lovelace"],
        TagType.RELATIONSHIP: ["Ada Lovelace & Charles Babbage"],
        TagType.FREEFORM: ["Engines", "Friendship"],
    }
    tags.update(extra)
    return tags


@override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
def build() -> Dataset:
    """Built once per module, before the tests' own (MD5) hasher setting applies."""
    writer = make_user(username="writer")
    reader = make_user(username="bookworm")
    data = Dataset(writer=writer, reader=reader)
    works = data.works
    works["oneshot"] = make_work(
        creator=writer, title="A Single Evening", summary="One night, *one* engine.", tags=_tags()
    )
    works["chaptered"] = make_work(
        creator=writer, title="Three Winters", summary="Three parts.", chapters=3, tags=_tags()
    )
    works["in_progress"] = make_work(
        creator=writer, title="Still Going", chapters=2, expected_chapters=None, tags=_tags()
    )
    works["mature"] = make_work(creator=writer, title="Late Hours", tags=_tags(rating="Mature"))
    works["restricted"] = make_work(
        creator=writer, title="Members Only", restricted=True, tags=_tags()
    )
    data.series = posting.series_create(creator=writer, title="The Engine Cycle")
    works["series_one"] = make_work(creator=writer, title="Part One", tags=_tags())
    works["series_two"] = make_work(creator=writer, title="Part Two", tags=_tags())
    for work in (works["series_one"], works["series_two"]):
        posting.work_set_series(work=work, series=[data.series])
    data.collection = collection_services.collection_create(
        owner=writer,
        fields={"name": "masked_ball", "title": "Masked Ball", "is_anonymous": True},
    )
    works["anonymous"] = make_work(creator=writer, title="Who Wrote This", tags=_tags())
    posting.work_set_collections(work=works["anonymous"], collections=[data.collection])
    for work in (works["chaptered"], works["oneshot"]):
        feedback.bookmark_save(user=reader, work=work, notes="Lovely.", tag_text="cosy", rec=True)
    feedback.subscription_add(user=reader, work=works["chaptered"])
    feedback.subscription_add(user=reader, series=data.series)
    feedback.subscription_add(user=reader, author=writer)
    for work in (works["oneshot"], works["chaptered"]):
        feedback.reading_record(user_id=reader.pk, work_id=work.pk)
    feedback.reading_mark_for_later(user=reader, work=works["in_progress"])
    return data


def add_chapter(work, body="A chapter added later."):
    """A chapter the live server sees at once. The test runs inside a transaction: on SQLite
    the live server shares its connection; on PostgreSQL the write is made (and committed)
    on a connection of its own, in another thread."""
    if connection.vendor == "sqlite":
        return make_chapter(work, body=body)
    done = []

    def write():
        try:
            done.append(make_chapter(work, body=body))
        finally:
            connections.close_all()

    thread = threading.Thread(target=write)
    thread.start()
    thread.join()
    return done[0]
