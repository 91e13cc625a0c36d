"""Moderation: groups, hiding works, suspensions and bans, the record of moderator actions."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.utils import timezone

from archive.models import ModeratorAction, Notification, UserSanction
from archive.services import moderation
from tests.factories import PASSWORD, make_user, make_work
from works.models import Work
from works.services import moderation as work_moderation

pytestmark = pytest.mark.django_db


@pytest.fixture
def group_moderator():
    user = make_user(username="groupmod", is_staff=True)
    user.groups.add(Group.objects.get(name="Moderator"))
    return user


@pytest.fixture
def wrangler():
    user = make_user(username="wrangler", is_staff=True)
    user.groups.add(Group.objects.get(name="Tag wrangler"))
    return user


def _hide(client, work, reason="Spam links in every chapter"):
    return client.post(
        "/admin/works/work/",
        {"action": "hide_works", "_selected_action": [work.pk], "apply": "1", "reason": reason},
    )


def test_moderator_group_has_exactly_the_moderation_permissions():
    codenames = set(
        Group.objects.get(name="Moderator").permissions.values_list("codename", flat=True)
    )
    assert {"change_work", "change_chapter", "change_user", "change_abusereport"} <= codenames
    assert "view_moderatoraction" in codenames
    assert "add_usersanction" in codenames
    forbidden = {"delete_user", "delete_work", "change_group", "add_group", "change_permission"}
    assert not forbidden & codenames
    assert "change_moderatoraction" not in codenames
    assert not any(code.endswith("_group") or code.endswith("_permission") for code in codenames)


def test_wrangler_cannot_hide_a_work(client, wrangler):
    work = make_work(title="Not Wranglers Business")
    client.force_login(wrangler)
    _hide(client, work)
    work.refresh_from_db()
    assert not work.hidden_by_moderator
    page = client.get(f"/admin/works/work/{work.pk}/change/")  # wranglers may look, read-only
    assert page.context["has_change_permission"] is False
    client.post(
        f"/admin/works/work/{work.pk}/change/",
        {"hidden_by_moderator": "on", "hidden_reason": "Wrangler tries", "title": work.title},
    )
    work.refresh_from_db()
    assert not work.hidden_by_moderator
    assert not ModeratorAction.objects.exists()


def test_moderator_cannot_change_groups_or_permissions(client, group_moderator):
    client.force_login(group_moderator)
    assert client.get("/admin/auth/group/").status_code == 403
    assert client.get("/admin/auth/group/add/").status_code == 403
    group = Group.objects.get(name="Moderator")
    response = client.post(
        f"/admin/auth/group/{group.pk}/change/",
        {"name": "Moderator", "permissions": list(Permission.objects.values_list("pk", flat=True))},
    )
    assert response.status_code == 403
    assert not group.permissions.filter(codename="delete_user").exists()


def test_moderator_cannot_grant_themselves_superuser_or_groups(client, group_moderator):
    client.force_login(group_moderator)
    url = f"/admin/archive/user/{group_moderator.pk}/change/"
    response = client.get(url)
    form = response.context["adminform"].form
    for name in ("is_superuser", "is_staff", "groups", "user_permissions"):
        assert name not in form.fields
    client.post(
        url,
        {
            "username": group_moderator.username,
            "email": group_moderator.email,
            "is_active": "on",
            "is_superuser": "on",
            "groups": [Group.objects.get(name="Tag wrangler").pk],
        },
    )
    group_moderator.refresh_from_db()
    assert not group_moderator.is_superuser
    assert list(group_moderator.groups.values_list("name", flat=True)) == ["Moderator"]


def test_moderator_cannot_delete_users(client, group_moderator, reader):
    client.force_login(group_moderator)
    assert client.get(f"/admin/archive/user/{reader.pk}/delete/").status_code == 403
    assert (
        client.post(f"/admin/archive/user/{reader.pk}/delete/", {"post": "yes"}).status_code == 403
    )
    assert type(reader).objects.filter(pk=reader.pk).exists()


def test_hiding_tells_the_author_by_notification_and_email(client, group_moderator, author):
    work = make_work(creator=author, title="Reported Story")
    client.force_login(group_moderator)
    response = _hide(client, work, reason="Copied from another site")
    assert response.status_code == 302
    work.refresh_from_db()
    assert work.hidden_by_moderator
    assert work.hidden_reason == "Copied from another site"
    note = Notification.objects.get(user=author)
    assert "Reported Story" in note.text and "Copied from another site" in note.text
    assert note.url == work.get_absolute_url()


def test_hide_sends_email_to_the_author(author, moderator, django_capture_on_commit_callbacks):
    work = make_work(creator=author, title="Mailed Story")
    with django_capture_on_commit_callbacks(execute=True):
        work_moderation.work_hide(work=work, moderator=moderator, reason="Tags missing")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [author.email]
    assert "Tags missing" in mail.outbox[0].body


def test_author_still_sees_hidden_work_marked_hidden_readers_get_404(
    client, author, reader, moderator
):
    work = make_work(creator=author, title="Quietly Hidden Tale")
    work_moderation.work_hide(work=work, moderator=moderator, reason="Under review")
    client.force_login(author)
    page = client.get(f"/works/{work.pk}")
    assert page.status_code == 200
    assert "hidden by a moderator" in page.content.decode()
    dashboard = client.get(f"/users/{author.username}").content.decode()
    assert "Under review" in dashboard  # the notification, on the author's own dashboard
    client.force_login(reader)
    response = client.get(f"/works/{work.pk}")
    assert response.status_code == 404
    assert b"Quietly Hidden Tale" not in response.content
    assert b"Under review" not in client.get(f"/users/{author.username}").content


def test_hide_and_unhide_are_recorded_with_who_what_when_why(client, group_moderator):
    work = make_work(title="Recorded Work")
    client.force_login(group_moderator)
    _hide(client, work, reason="First reason")
    client.post(
        "/admin/works/work/",
        {
            "action": "unhide_works",
            "_selected_action": [work.pk],
            "apply": "1",
            "reason": "Fixed by the author",
        },
    )
    actions = list(ModeratorAction.objects.order_by("created_at", "id"))
    assert [a.kind for a in actions] == ["hide_work", "unhide_work"]
    assert all(a.moderator == group_moderator for a in actions)
    assert [a.reason for a in actions] == ["First reason", "Fixed by the author"]
    assert actions[0].target == work
    assert actions[0].created_at is not None


def test_hide_switch_without_reason_is_refused_next_to_the_field(client, moderator):
    from tests.archive.test_admin import _change_form_data

    work = make_work()
    client.force_login(moderator)
    url = f"/admin/works/work/{work.pk}/change/"
    data = _change_form_data(client.get(url))
    data["hidden_by_moderator"] = "on"
    data["hidden_reason"] = ""
    response = client.post(url, data)
    assert response.status_code == 200
    assert "hidden_reason" in response.context["adminform"].form.errors
    work.refresh_from_db()
    assert not work.hidden_by_moderator


def test_moderator_actions_are_read_only_in_the_admin(client, group_moderator, admin_user):
    work = make_work()
    work_moderation.work_hide(work=work, moderator=group_moderator, reason="Listed")
    action = ModeratorAction.objects.get()
    client.force_login(group_moderator)
    listing = client.get("/admin/archive/moderatoraction/")
    assert listing.status_code == 200
    assert "Listed" in listing.content.decode()
    client.force_login(admin_user)
    page = client.get(f"/admin/archive/moderatoraction/{action.pk}/change/")
    assert page.status_code == 200
    assert page.context["has_change_permission"] is False
    assert (
        client.post(
            f"/admin/archive/moderatoraction/{action.pk}/delete/", {"post": "yes"}
        ).status_code
        == 403
    )
    assert ModeratorAction.objects.filter(pk=action.pk).exists()


# ---------------------------------------------------------------------------------------------
# Suspensions and bans


def _sanction(client, user, action, *, reason="Harassment in comments", ends_at=""):
    return client.post(
        "/admin/archive/user/",
        {
            "action": action,
            "_selected_action": [user.pk],
            "apply": "1",
            "reason": reason,
            "ends_at": ends_at,
        },
    )


def test_suspended_user_can_read_but_not_post(client, group_moderator, author):
    work = make_work(creator=author, title="Still Readable")
    client.force_login(group_moderator)
    until = (timezone.now() + timedelta(days=7)).strftime("%Y-%m-%d %H:%M")
    assert _sanction(client, author, "suspend_users", ends_at=until).status_code == 302
    sanction = UserSanction.objects.get(user=author)
    assert sanction.kind == "suspension"
    assert not moderation.user_can_write(author)

    client.force_login(author)
    assert client.get(f"/works/{work.pk}").status_code == 200
    for url in ("/works/new", f"/works/{work.pk}/edit", f"/works/{work.pk}/chapters/new"):
        response = client.get(url)
        assert response.status_code == 403, url
        assert "suspended" in response.content.decode()
    response = client.post("/works/new", {"title": "Sneaky Post", "post_button": "Post"})
    assert response.status_code == 403
    assert not Work.objects.filter(title="Sneaky Post").exists()
    assert ModeratorAction.objects.filter(kind="suspend_user", object_id=author.pk).exists()


def test_suspension_without_end_date_is_not_applied(client, group_moderator, author):
    client.force_login(group_moderator)
    _sanction(client, author, "suspend_users", ends_at="")
    assert moderation.user_can_write(author)


def test_suspension_ends_on_its_date(author, moderator):
    moderation.user_suspend(
        user=author,
        moderator=moderator,
        reason="Cool off",
        ends_at=timezone.now() + timedelta(hours=1),
    )
    assert not moderation.user_can_write(author)
    UserSanction.objects.update(ends_at=timezone.now() - timedelta(seconds=1))
    assert moderation.user_can_write(author)


def test_lifted_suspension_lets_the_user_post_again(author, moderator):
    sanction = moderation.user_suspend(
        user=author, moderator=moderator, reason="Oops", ends_at=timezone.now() + timedelta(days=1)
    )
    moderation.sanction_lift(sanction=sanction, moderator=moderator, reason="Mistake")
    assert moderation.user_can_write(author)
    assert ModeratorAction.objects.filter(kind="lift_sanction").count() == 1


def test_ban_hides_all_their_works_and_records_each(client, group_moderator, author, reader):
    first = make_work(creator=author, title="Banned Author First")
    second = make_work(creator=author, title="Banned Author Second")
    other = make_work(title="Someone Elses Work")
    client.force_login(group_moderator)
    assert _sanction(client, author, "ban_users", reason="Repeated spam").status_code == 302
    for work in (first, second):
        work.refresh_from_db()
        assert work.hidden_by_moderator
        assert "Repeated spam" in work.hidden_reason
    other.refresh_from_db()
    assert not other.hidden_by_moderator
    assert not moderation.user_can_write(author)
    kinds = list(ModeratorAction.objects.values_list("kind", flat=True))
    assert kinds.count("ban_user") == 1 and kinds.count("hide_work") == 2
    client.force_login(reader)
    assert client.get(f"/works/{first.pk}").status_code == 404
    assert b"Banned Author" not in client.get("/works").content


def test_banned_user_sees_the_message_page(client, moderator, author):
    moderation.user_ban(user=author, moderator=moderator, reason="Abuse")
    client.force_login(author)
    response = client.get("/works/new")
    assert response.status_code == 403
    assert "banned" in response.content.decode()


def test_moderator_cannot_take_over_accounts(client, group_moderator, reader, admin_user):
    client.force_login(group_moderator)
    # No setting of passwords, for anyone.
    assert client.get(f"/admin/archive/user/{reader.pk}/password/").status_code == 403
    response = client.post(
        f"/admin/archive/user/{reader.pk}/password/",
        {"password1": "A-new-pass-9876", "password2": "A-new-pass-9876"},
    )
    assert response.status_code == 403
    reader.refresh_from_db()
    assert reader.check_password(PASSWORD)
    # No changing a staff account's email (a password reset would then hand it over).
    response = client.post(
        f"/admin/archive/user/{admin_user.pk}/change/",
        {"username": admin_user.username, "email": "attacker@example.org", "is_active": "on"},
    )
    assert response.status_code == 403
    admin_user.refresh_from_db()
    assert admin_user.email != "attacker@example.org"
    # Ordinary accounts can still be edited (e.g. a profile field).
    page = client.get(f"/admin/archive/user/{reader.pk}/change/")
    assert page.context["has_change_permission"] is True


def test_lifting_a_ban_shows_the_works_it_hid_and_no_others(author, moderator, reader):
    banned_work = make_work(creator=author, title="Hidden By The Ban")
    hidden_before = make_work(creator=author, title="Hidden For Plagiarism")
    work_moderation.work_hide(work=hidden_before, moderator=moderator, reason="Plagiarism")
    sanction = moderation.user_ban(user=author, moderator=moderator, reason="Spam wave")
    banned_work.refresh_from_db()
    assert banned_work.hidden_by_moderator
    moderation.sanction_lift(sanction=sanction, moderator=moderator, reason="Appeal granted")
    banned_work.refresh_from_db()
    hidden_before.refresh_from_db()
    assert not banned_work.hidden_by_moderator and banned_work.hidden_reason == ""
    assert hidden_before.hidden_by_moderator and hidden_before.hidden_reason == "Plagiarism"
    assert moderation.user_can_write(author)
    assert ModeratorAction.objects.filter(kind="unhide_work", object_id=banned_work.pk).exists()
