"""Sign-up by invitation (ARCHIVE_SIGNUP = "invite"): the queue, its status page, the codes a
moderator, the daily job or a member sends, and the sign-up that spends one."""

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from archive import queue as task_queue
from archive.models import Invitation, InviteRequest
from archive.services import invitations as services
from tests.factories import make_user
from tests.queue import run_worker

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "plum-orchard-lantern-42"


@pytest.fixture
def invite_mode(settings):
    settings.ARCHIVE_SIGNUP = "invite"


def _signup(client, url="/signup", **overrides):
    data = {
        "username": "invitedwriter",
        "email": "invited@example.org",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
        "accept_terms": "on",
        "confirm_age": "on",
    }
    data.update(overrides)
    return client.post(url, data)


def _link(message):
    return re.search(r"http://[^\s]+/signup/(\w+)", message.body).group(0)


def _queue(*emails):
    for n, email in enumerate(emails):
        services.invite_request_add(email=email)
        InviteRequest.objects.filter(email=email).update(
            created_at=timezone.now() - datetime.timedelta(minutes=len(emails) - n)
        )


# Sign-up


def test_queue_mode_refuses_signup_without_a_code_and_keeps_the_fields(client, invite_mode):
    page = client.get("/signup").content.decode()
    assert 'name="invitation_code"' in page
    assert 'href="/invite_requests"' in page
    response = _signup(client)
    assert response.status_code == 200
    html = response.content.decode()
    assert "You need an invitation to create an account." in html
    assert 'value="invitedwriter"' in html
    assert 'value="invited@example.org"' in html
    assert not get_user_model().objects.filter(username="invitedwriter").exists()


def test_open_signup_has_no_code_field(client):
    assert 'name="invitation_code"' not in client.get("/signup").content.decode()
    assert _signup(client, invitation_code="whatever").status_code == 302


@pytest.mark.parametrize(
    "code, message",
    [
        ("NoSuchCode123", "That invitation code is not valid."),
        ("bad code!", "That invitation code is not valid."),
        ("used", "That invitation has already been used to create an account."),
    ],
)
def test_wrong_or_used_codes_are_refused(client, invite_mode, code, message):
    spent = Invitation.objects.create(email="x@example.org")
    spent.used_by, spent.used_at = make_user(), timezone.now()
    spent.save()
    code = spent.code if code == "used" else code
    response = _signup(client, invitation_code=code)
    html = response.content.decode()
    field = html[html.index('<label for="id_invitation_code">') : html.index('id="id_username"')]
    assert message in field
    assert 'value="invitedwriter"' in html
    assert not get_user_model().objects.filter(username="invitedwriter").exists()


def test_request_then_invitation_then_signup_spends_the_code(
    client, invite_mode, django_capture_on_commit_callbacks
):
    response = client.post("/invite_requests", {"email": "newcomer@example.org"}, follow=True)
    html = response.content.decode()
    assert "You are now in the queue, number 1." in html
    queued = InviteRequest.objects.get()
    assert queued.language == "en"

    with django_capture_on_commit_callbacks(execute=True):
        assert services.queue_send_due(per_day=5) == 1
    [email] = mail.outbox
    assert email.to == ["newcomer@example.org"]
    link = _link(email)
    code = link.rsplit("/", 1)[1]

    form = client.get(link.replace("http://127.0.0.1:8000", "")).content.decode()
    assert f'value="{code}"' in form
    assert 'value="newcomer@example.org"' in form  # the invited address, ready to keep

    response = _signup(client, email="newcomer@example.org", invitation_code=code)
    assert response.status_code == 302
    user = get_user_model().objects.get(username="invitedwriter")
    invitation = Invitation.objects.get(code=code)
    assert invitation.used_by == user
    assert invitation.used_at is not None
    assert invitation.request == queued

    client.logout()
    again = _signup(client, username="secondtry", email="two@example.org", invitation_code=code)
    assert "That invitation has already been used" in again.content.decode()


def test_invitation_email_is_written_in_the_language_it_was_asked_in(
    client, invite_mode, django_capture_on_commit_callbacks
):
    client.post("/invite_requests", {"email": "leser@example.org"}, HTTP_ACCEPT_LANGUAGE="de")
    with django_capture_on_commit_callbacks(execute=True):
        services.queue_send_due(per_day=1)
    [email] = mail.outbox
    assert email.subject == "Deine Einladung ins Archiv"
    assert "/signup/" in email.body


def test_signup_also_takes_ao3s_invitation_token(client, invite_mode):
    invitation = Invitation.objects.create(email="token@example.org")
    page = client.get(f"/signup?invitation_token={invitation.code}").content.decode()
    assert f'value="{invitation.code}"' in page


# The queue


def test_queue_refuses_queued_emails_accounts_and_bad_addresses(client, invite_mode):
    make_user(username="member", email="Member@Example.org")
    client.post("/invite_requests", {"email": "waiting@example.org"})
    cases = {
        "WAITING@example.org": "That email address is already in the queue.",
        "member@example.org": "An account with that email address already exists.",
        "not an email": "Enter a valid email address.",
        "": "This field is required.",
    }
    for email, message in cases.items():
        response = client.post("/invite_requests", {"email": email})
        assert response.status_code == 200
        html = response.content.decode()
        assert message in html, email
        if email:
            assert f'value="{email}"' in html
    assert list(InviteRequest.objects.values_list("email", flat=True)) == ["waiting@example.org"]


def test_queue_page_says_how_long_the_queue_is(client, invite_mode, settings):
    settings.ARCHIVE_INVITES_PER_DAY = 7
    _queue("a@example.org", "b@example.org")
    html = client.get("/invite_requests").content.decode()
    assert "There are 2 people in the queue." in html
    assert "We send 7 invitations a day." in html


def test_status_page_gives_the_place_then_the_date_sent(client, invite_mode):
    _queue("first@example.org", "second@example.org", "third@example.org")
    html = client.get("/invite_requests/status", {"email": "Second@example.org"}).content.decode()
    assert "second@example.org is number 2 in the queue" in html
    services.invite_requests_send(requests=InviteRequest.objects.filter(email="first@example.org"))
    html = client.get("/invite_requests/status", {"email": "second@example.org"}).content.decode()
    assert "second@example.org is number 1 in the queue" in html
    sent = client.get("/invite_requests/status", {"email": "first@example.org"}).content.decode()
    assert "An invitation was sent to first@example.org on" in sent
    nobody = client.get("/invite_requests/status", {"email": "nobody@example.org"})
    assert "nobody@example.org is not in the queue." in nobody.content.decode()
    bad = client.get("/invite_requests/status", {"email": "nope"}).content.decode()
    assert "Enter a valid email address." in bad


def test_queue_pages_say_signup_is_open_when_it_is(client):
    for url in ("/invite_requests", "/invite_requests/status?email=a@example.org"):
        html = client.get(url).content.decode()
        assert "anyone can create an account" in html
    client.post("/invite_requests", {"email": "a@example.org"})
    assert not InviteRequest.objects.exists()


def test_the_request_form_is_rate_limited(client, invite_mode, settings):
    settings.ARCHIVE_RATE_LIMITS = {"invite_request": (2, 3600)}
    for n in range(2):
        assert client.post("/invite_requests", {"email": f"r{n}@example.org"}).status_code == 302
    response = client.post("/invite_requests", {"email": "r9@example.org"})
    assert response.status_code == 429
    assert not InviteRequest.objects.filter(email="r9@example.org").exists()


# Sending from the queue


def test_the_daily_job_sends_the_days_allowance_oldest_first(
    real_queue, invite_mode, settings, django_capture_on_commit_callbacks
):
    settings.ARCHIVE_INVITES_PER_DAY = 2
    _queue("one@example.org", "two@example.org", "three@example.org", "four@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        task_queue.ensure_ticking()
        run_worker()
    assert sorted(m.to[0] for m in mail.outbox) == ["one@example.org", "two@example.org"]
    assert DBTaskResult.objects.filter(task_path__endswith=".queue_task").count() == 1

    # The tick of the next minutes sends nothing more today...
    assert services.queue_task.call() == 0
    # ...and tomorrow the next two.
    tomorrow = timezone.now() + datetime.timedelta(days=1)
    assert services.queue_send_due(now=tomorrow) == 2
    assert not services.waiting().exists()


def test_the_daily_job_sends_nothing_with_open_signup(settings):
    _queue("one@example.org")
    assert services.queue_task.call() == 0
    assert services.waiting().count() == 1


def test_issue_invitations_command(invite_mode, settings, capsys):
    settings.ARCHIVE_INVITES_PER_DAY = 1
    _queue("one@example.org", "two@example.org", "three@example.org")
    call_command("issue_invitations")
    assert services.waiting().count() == 2
    call_command("issue_invitations", "--count", "5")
    assert services.waiting().count() == 0
    assert "0 still waiting" in capsys.readouterr().out


def test_a_request_whose_address_signed_up_meanwhile_is_dropped():
    _queue("late@example.org")
    make_user(email="late@example.org")
    assert services.invite_requests_send(requests=InviteRequest.objects.all()) == 0
    assert not InviteRequest.objects.exists()


# Admin


@pytest.fixture
def queue_moderator(db):
    user = make_user(username="queuekeeper", is_staff=True)
    user.groups.add(Group.objects.get(name="Moderator"))
    return user


def test_moderator_sends_invitations_from_the_admin(
    client, queue_moderator, django_capture_on_commit_callbacks
):
    _queue("one@example.org", "two@example.org", "three@example.org")
    chosen = InviteRequest.objects.filter(email__in=["one@example.org", "three@example.org"])
    client.force_login(queue_moderator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/admin/archive/inviterequest/",
            {"action": "send_invitations", "_selected_action": [r.pk for r in chosen]},
            follow=True,
        )
    assert "2 invitations sent." in response.content.decode()
    assert sorted(m.to[0] for m in mail.outbox) == ["one@example.org", "three@example.org"]
    assert Invitation.objects.filter(creator__isnull=True).count() == 2


def test_admin_searches_requests_and_codes(client, queue_moderator):
    _queue("findme@example.org", "other@example.org")
    services.invite_requests_send(requests=InviteRequest.objects.filter(email="findme@example.org"))
    code = Invitation.objects.get().code
    client.force_login(queue_moderator)
    requests = client.get("/admin/archive/inviterequest/", {"q": "findme"}).content.decode()
    assert "findme@example.org" in requests
    assert "other@example.org" not in requests
    codes = client.get("/admin/archive/invitation/", {"q": code}).content.decode()
    assert code in codes
    assert client.get("/admin/archive/invitation/add/").status_code == 403


def test_moderator_grants_invitations_in_the_user_admin(client, queue_moderator):
    member = make_user(username="granted")
    client.force_login(queue_moderator)
    page = client.get(f"/admin/archive/user/{member.pk}/change/").content.decode()
    assert 'name="invitations_left"' in page


# A member's invitations


def test_invitations_page_is_its_owner_only(client, author, reader):
    url = f"/users/{author.username}/invitations"
    response = client.get(url)
    assert response.status_code == 302
    assert "/users/login" in response["Location"]
    client.force_login(reader)
    assert client.get(url).status_code == 404
    assert client.post(url, {"email": "x@example.org"}).status_code == 404
    client.force_login(author)
    assert client.get(url).status_code == 200


def test_member_sends_an_invitation_and_sees_who_used_it(
    client, author, django_capture_on_commit_callbacks
):
    author.invitations_left = 2
    author.save()
    client.force_login(author)
    url = f"/users/{author.username}/invitations"
    assert "You have 2 invitations to give." in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"email": "friend@example.org"}, follow=True)
    html = response.content.decode()
    assert "Your invitation was sent to friend@example.org." in html
    assert "You have 1 invitation to give." in html
    assert "friend@example.org" in html and "Not used yet" in html
    [email] = mail.outbox
    assert "author has invited you" in email.body
    invitation = Invitation.objects.get()
    assert invitation.creator == author

    friend = make_user(username="friendly")
    invitation.used_by, invitation.used_at = friend, timezone.now()
    invitation.save()
    assert 'href="/users/friendly"' in client.get(url).content.decode()


def test_member_without_invitations_or_inviting_a_member_is_refused(client, author, reader):
    client.force_login(author)
    url = f"/users/{author.username}/invitations"
    response = client.post(url, {"email": "friend@example.org"})
    assert "You have no invitations left to give." in response.content.decode()
    author.invitations_left = 1
    author.save()
    response = client.post(url, {"email": reader.email})
    assert "That person already has an account here." in response.content.decode()
    assert f'value="{reader.email}"' in response.content.decode()
    author.refresh_from_db()
    assert author.invitations_left == 1
    assert not Invitation.objects.exists()


def test_dashboard_links_invitations_in_queue_mode(client, author, invite_mode):
    client.force_login(author)
    html = client.get(f"/users/{author.username}").content.decode()
    assert f'href="/users/{author.username}/invitations"' in html


def test_invitations_list_is_held_to_a_few_queries(client, author, django_assert_max_num_queries):
    for n in range(6):
        invitation = Invitation.objects.create(email=f"f{n}@example.org", creator=author)
        invitation.used_by, invitation.used_at = make_user(), timezone.now()
        invitation.save()
    client.force_login(author)
    with django_assert_max_num_queries(8):
        response = client.get(f"/users/{author.username}/invitations")
    assert response.content.decode().count("<tr>") == 7
