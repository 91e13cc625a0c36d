"""Abuse reports: the Report link, the form, the admin queue."""

import pytest
from django.contrib.auth.models import Group

from archive.models import AbuseReport
from tests.factories import make_user, make_work

pytestmark = pytest.mark.django_db


def _report(client, **data):
    payload = {"url": "/", "reason": "spam", "details": "Advertises a shop in every chapter."}
    payload.update(data)
    return client.post("/abuse_reports/new", payload)


@pytest.mark.parametrize("kind", ["work", "chapter", "user"])
def test_report_link_on_work_and_user_pages_carries_the_page_url(client, author, kind):
    work = make_work(creator=author, chapters=2)
    url = {
        "work": f"/works/{work.pk}",
        "chapter": f"/works/{work.pk}/chapters/{work.chapters.first().pk}",
        "user": f"/users/{author.username}",
    }[kind]
    page = client.get(url).content.decode()
    assert f'href="/abuse_reports/new?url={url.replace("/", "%2F")}"' in page
    form = client.get(f"/abuse_reports/new?url={url}")
    assert form.status_code == 200
    assert f'value="{url}"' in form.content.decode()


def test_guest_report_is_queued_and_linked_to_the_work(client):
    work = make_work(title="Reported Work")
    response = _report(
        client, url=f"http://testserver/works/{work.pk}?view_adult=true", email="guest@example.org"
    )
    assert response.status_code == 302
    report = AbuseReport.objects.get()
    assert report.url == f"/works/{work.pk}?view_adult=true"
    assert report.reported_object == work
    assert report.reporter is None
    assert report.reporter_email == "guest@example.org"
    assert report.status == "new"


def test_guest_may_report_without_an_email(client):
    assert _report(client, url="/works").status_code == 302
    assert AbuseReport.objects.get().reporter_email == ""


def test_logged_in_report_records_the_reporter_and_resolves_users(client, reader, author):
    client.force_login(reader)
    assert "email" not in client.get("/abuse_reports/new").context["form"].fields
    _report(client, url=f"/users/{author.username.upper()}", reason="harassment")
    report = AbuseReport.objects.get()
    assert report.reporter == reader
    assert report.reported_object == author
    assert report.reason == "harassment"


def test_report_chapter_url_links_to_its_work(client):
    work = make_work(chapters=2)
    chapter = work.chapters.last()
    _report(client, url=f"/works/{work.pk}/chapters/{chapter.pk}")
    assert AbuseReport.objects.get().reported_object == work


def test_report_form_errors_keep_what_was_typed(client):
    response = _report(client, reason="", details="Typed details stay here", email="not-an-email")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Typed details stay here" in body
    form = response.context["form"]
    assert "reason" in form.errors and "email" in form.errors
    assert not AbuseReport.objects.exists()


def test_report_of_another_site_is_refused(client):
    response = _report(client, url="https://elsewhere.example/works/1")
    assert response.status_code == 200
    assert "url" in response.context["form"].errors
    assert not AbuseReport.objects.exists()


def test_reports_are_rate_limited(client, settings):
    settings.ARCHIVE_RATE_LIMITS = {"report": (2, 600)}
    assert _report(client).status_code == 302
    assert _report(client).status_code == 302
    response = _report(client)
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert AbuseReport.objects.count() == 2


def test_moderator_works_the_queue_in_the_admin(client):
    moderator = make_user(username="queuemod", is_staff=True)
    moderator.groups.add(Group.objects.get(name="Moderator"))
    work = make_work(title="<b>Queued</b> Title")
    _report(client, url=f"/works/{work.pk}", details="<script>alert(1)</script>")
    report = AbuseReport.objects.get()
    client.force_login(moderator)
    listing = client.get("/admin/archive/abusereport/?status__exact=new")
    assert listing.status_code == 200
    body = listing.content.decode()
    assert "&lt;b&gt;Queued&lt;/b&gt; Title" in body and "<b>Queued</b>" not in body
    page = client.get(f"/admin/archive/abusereport/{report.pk}/change/")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.content.decode()
    response = client.post(
        f"/admin/archive/abusereport/{report.pk}/change/",
        {"status": "resolved", "assignee": moderator.pk, "notes": "Work hidden."},
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.status, report.assignee, report.notes) == ("resolved", moderator, "Work hidden.")
    assert report.details == "<script>alert(1)</script>"  # read-only in the admin


def test_in_progress_action_assigns_the_report_to_me(client):
    moderator = make_user(username="takesit", is_staff=True)
    moderator.groups.add(Group.objects.get(name="Moderator"))
    _report(client)
    client.force_login(moderator)
    client.post(
        "/admin/archive/abusereport/",
        {"action": "mark_in_progress", "_selected_action": [AbuseReport.objects.get().pk]},
    )
    report = AbuseReport.objects.get()
    assert (report.status, report.assignee) == ("in_progress", moderator)


def test_report_changes_are_recorded_as_moderator_actions(client):
    from archive.models import ModeratorAction

    moderator = make_user(username="recordsit", is_staff=True)
    moderator.groups.add(Group.objects.get(name="Moderator"))
    _report(client)
    report = AbuseReport.objects.get()
    client.force_login(moderator)
    client.post(
        f"/admin/archive/abusereport/{report.pk}/change/",
        {"status": "dismissed", "assignee": "", "notes": "Not a rules violation."},
    )
    action = ModeratorAction.objects.get()
    assert (action.kind, action.moderator, action.target) == ("update_report", moderator, report)
    assert "Dismissed" in action.reason


def test_every_comment_has_a_report_link(client, reader):
    from works.services import feedback as services_feedback

    work = make_work()
    comment = services_feedback.comment_add(
        chapter=work.chapters.first(), user=reader, content="A comment worth reporting"
    )
    page = client.get(f"/works/{work.pk}").content.decode()
    assert f'href="/abuse_reports/new?url=%2Fcomments%2F{comment.pk}"' in page
    _report(client, url=f"/comments/{comment.pk}")
    assert AbuseReport.objects.get().reported_object == comment
