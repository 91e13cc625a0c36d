"""The real task queue: django-tasks-db's database backend and its worker, run in-process.

Each test enqueues through the services as production does (a row in the database), then
runs django-tasks-db's Worker in batch mode (every ready task, then exit), retries included
(backoff 0 here). The worker runs inside the test's transaction: its connection check
(`close_old_connections`, which would drop a connection that is inside a transaction) is
turned off, and emails leave when the test's captured on-commit callbacks run.
"""

import io

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from archive import queue as task_queue
from archive.models import FailedTask, InboxItem, ModeratorAction, Notification
from tags import services as tag_services
from tags.models import Tag, TagType
from tests.factories import make_chapter, make_tag, make_user, make_work
from tests.queue import run_worker
from works import hits
from works.listing.search import search_works
from works.models import Subscription, TaggedWork, Work, WorkSearch, WorkStats
from works.services import moderation, notifications, tag_counts
from works.services.tag_counts import tags_recount_task

pytestmark = pytest.mark.django_db


def results(name):
    return list(
        DBTaskResult.objects.filter(task_path__endswith=f".{name}")
        .order_by("enqueued_at")
        .values_list("status", flat=True)
    )


def test_a_retry_after_a_crash_mid_fan_out_emails_nobody_twice(
    real_queue, monkeypatch, django_capture_on_commit_callbacks
):
    author = make_user()
    readers = [make_user() for _ in range(10)]
    Subscription.objects.bulk_create(
        Subscription(user=reader, kind=Subscription.Kind.AUTHOR, author=author)
        for reader in readers
    )
    monkeypatch.setattr(notifications, "NOTIFY_BATCH", 5)
    written = []
    real_text = notifications._email_text

    def crash_after_the_first_half(*args):
        if len(written) == 5 and not getattr(crash_after_the_first_half, "crashed", False):
            crash_after_the_first_half.crashed = True
            raise RuntimeError("the worker died half-way")
        written.append(args)
        return real_text(*args)

    monkeypatch.setattr(notifications, "_email_text", crash_after_the_first_half)
    with django_capture_on_commit_callbacks(execute=True):
        work = make_work(creator=author)
        assert not InboxItem.objects.exists()  # the request only enqueued the fan-out
        run_worker()

    assert results("work_notify") == ["FAILED", "SUCCESSFUL"]
    assert sorted(message.to[0] for message in mail.outbox) == sorted(r.email for r in readers)
    assert InboxItem.objects.filter(event=f"work:{work.pk}").count() == 10
    assert not FailedTask.objects.exists()


def test_a_recount_that_crashed_half_way_counts_each_work_once(real_queue, monkeypatch):
    first, second = make_tag(), make_tag()
    for _ in range(2):
        make_work(tags={TagType.FREEFORM: [first.name]})
    make_work(tags={TagType.FREEFORM: [first.name, second.name]})
    monkeypatch.setattr(tag_counts, "BATCH_SIZE", 1)
    real_store = tag_counts.tags_store_work_counts
    calls = []

    def crash_on_the_second_batch(**kwargs):
        calls.append(kwargs)
        if len(calls) == 2:
            raise RuntimeError("the worker died half-way")
        real_store(**kwargs)

    monkeypatch.setattr(tag_counts, "tags_store_work_counts", crash_on_the_second_batch)
    task_queue.enqueue(tags_recount_task, tag_ids=[first.pk, second.pk])
    task_queue.enqueue(tags_recount_task, tag_ids=[first.pk, second.pk])  # and once more
    run_worker()

    assert results("tags_recount_task") == ["FAILED", "SUCCESSFUL", "SUCCESSFUL"]
    assert Tag.objects.get(pk=first.pk).work_count == 3
    assert Tag.objects.get(pk=second.pk).work_count == 1


def test_a_task_failing_every_retry_is_shown_to_moderators_in_the_admin(
    real_queue, settings, monkeypatch, client
):
    settings.TASKS_MAX_ATTEMPTS = 3
    subscriber = make_user()
    work = make_work(chapters=1)
    Subscription.objects.create(user=subscriber, kind=Subscription.Kind.WORK, work=work)
    run_worker()  # the new work's own notice

    def broken(*args, **kwargs):
        raise RuntimeError("mail relay unreachable")

    monkeypatch.setattr(notifications, "deliver", broken)
    chapter = make_chapter(work)
    run_worker()

    assert results("chapter_notify") == ["FAILED"] * 3
    call_command("tasks_status", stdout=(out := io.StringIO()))
    assert out.getvalue().startswith("tasks ready=0 ") and "failed=1" in out.getvalue()
    failed = FailedTask.objects.get()
    assert failed.task_path == "works.services.notifications.chapter_notify"
    assert failed.attempts == 3
    assert failed.arguments["kwargs"] == {"chapter_id": chapter.pk}

    reader = make_user()
    client.force_login(reader)
    assert client.get("/admin/archive/failedtask/").status_code == 302  # to the admin log-in
    moderator = make_user(is_staff=True)
    moderator.groups.add(Group.objects.get(name="Moderator"))
    client.force_login(moderator)
    listing = client.get("/admin/archive/failedtask/")
    assert listing.status_code == 200
    text = listing.content.decode()
    assert "works.services.notifications.chapter_notify" in text
    assert "RuntimeError: mail relay unreachable" in text
    detail = client.get(f"/admin/archive/failedtask/{failed.pk}/change/").content.decode()
    assert "Traceback" in detail and "mail relay unreachable" in detail
    # Every attempt, with its traceback, in django-tasks-db's own list of task results.
    attempts = client.get("/admin/django_tasks_database/dbtaskresult/?status__exact=FAILED")
    assert attempts.status_code == 200
    assert attempts.content.decode().count("chapter_notify") >= 3


def test_the_tick_flushes_hits_every_minute_and_keeps_one_chain(real_queue):
    work = make_work()
    assert hits.hit_record(work.pk, "ip203.0.113.9")
    task_queue.ensure_ticking()
    task_queue.ensure_ticking()  # a second process starting the chain too
    run_worker()

    assert WorkStats.objects.get(work=work).hits == 1
    assert results("flush_task") == ["SUCCESSFUL"]
    waiting = DBTaskResult.objects.filter(task_path="archive.queue.tick", status="READY")
    assert waiting.count() == 1  # next minute's tick, and only one
    assert results("tick") == ["SUCCESSFUL", "READY"]


def test_a_deleted_tag_leaves_the_search_documents_of_its_works(real_queue):
    tag = make_tag("Soon Gone Entirely")
    works = [make_work(tags={TagType.FREEFORM: [tag.name]}) for _ in range(3)]
    tag_services.tag_delete(tag=Tag.objects.get(pk=tag.pk))
    run_worker()

    found = search_works(Work.objects.all(), '"Soon Gone Entirely"')
    assert not found.filter(pk__in=[w.pk for w in works]).exists()
    assert results("works_reindex") == ["SUCCESSFUL"]


@pytest.mark.postgres_only
def test_renaming_a_tag_on_20000_works_reaches_every_search_document(real_queue):
    works_count = 20_000
    tag = make_tag("Slow Burn Before")
    template = make_work(tags={TagType.FREEFORM: [tag.name]})
    fields = {
        field.attname: getattr(template, field.attname)
        for field in Work._meta.concrete_fields
        if not field.primary_key
    }
    made = Work.objects.bulk_create((Work(**fields) for _ in range(works_count)), batch_size=5000)
    TaggedWork.objects.bulk_create(
        (TaggedWork(tag=tag, content_object_id=work.pk) for work in made), batch_size=5000
    )
    WorkSearch.objects.bulk_create(
        (WorkSearch(work_id=work.pk, title=work.title, tags=tag.name) for work in made),
        batch_size=5000,
    )

    tag_services.tag_rename(tag=Tag.objects.get(pk=tag.pk), name="Enemies Turned Lovers")
    run_worker()

    documents = WorkSearch.objects.filter(work__in=[template, *made])
    assert documents.filter(tags__contains="Enemies Turned Lovers").count() == works_count + 1
    assert not documents.filter(tags__contains="Slow Burn Before").exists()
    assert search_works(Work.objects.all(), "Enemies Turned Lovers").count() == works_count + 1
    assert results("tag_works_reindex") == ["SUCCESSFUL"] * 11  # 2,000 works a batch


def test_a_mass_hide_by_a_moderator_runs_on_a_worker_once_per_work(real_queue, settings, client):
    settings.TASKS_ADMIN_INLINE = 1
    works = [make_work() for _ in range(3)]
    moderator = make_user(is_staff=True)
    moderator.groups.add(Group.objects.get(name="Moderator"))
    client.force_login(moderator)
    response = client.post(
        "/admin/works/work/",
        {
            "action": "hide_works",
            "_selected_action": [w.pk for w in works],
            "apply": "1",
            "reason": "Spam links in every chapter",
        },
        follow=True,
    )
    assert "runs in the background" in response.content.decode()
    assert not Work.objects.filter(hidden_by_moderator=True).exists()  # not in the request

    run_worker()
    task_queue.enqueue(  # the same task again, as a retry would run it
        moderation.works_hide_task,
        work_ids=[w.pk for w in works],
        moderator_id=moderator.pk,
        reason="Spam links in every chapter",
    )
    run_worker()

    assert Work.objects.filter(hidden_by_moderator=True).count() == 3
    hides = ModeratorAction.objects.filter(kind=ModeratorAction.Kind.HIDE_WORK)
    assert hides.count() == 3  # each work hidden, and its creators told, once
    assert Notification.objects.count() == 3


def test_a_failed_task_waits_longer_before_each_retry(real_queue, settings, monkeypatch):
    settings.TASKS_BACKOFF_SECONDS = 30
    work = make_work()
    run_worker()
    monkeypatch.setattr(notifications, "deliver", lambda *a, **k: 1 / 0)
    make_chapter(work)
    run_worker()  # the first attempt fails; the retry is not due yet, so the worker stops

    retry = DBTaskResult.objects.get(task_path__endswith=".chapter_notify", status="READY")
    assert retry.args_kwargs["kwargs"]["_attempt"] == 2
    wait = (retry.run_after - retry.enqueued_at).total_seconds()
    assert 29 <= wait <= 31
    DBTaskResult.objects.filter(pk=retry.pk).update(run_after=retry.enqueued_at)  # time passes
    run_worker()

    second = DBTaskResult.objects.get(task_path__endswith=".chapter_notify", status="READY")
    assert second.args_kwargs["kwargs"]["_attempt"] == 3
    assert 59 <= (second.run_after - second.enqueued_at).total_seconds() <= 61
    assert not FailedTask.objects.exists()
