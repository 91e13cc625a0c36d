import pytest

from archive.models import Block, Mute
from archive.services import social
from tests.factories import make_user, make_work
from works.models import Comment, Kudos
from works.services import feedback

pytestmark = pytest.mark.django_db

try:  # guest forms carry spam fields (archive/spam.py); post them as a browser would
    from archive.spam import spam_post_data
except ImportError:  # pragma: no cover - before the spam checks landed

    def spam_post_data():
        return {}


def _chapter(work):
    return work.chapters.order_by("position").first()


def test_blocked_user_cannot_kudos_comment_or_reply(client, author, reader):
    work = make_work(creator=author)
    own = feedback.comment_add(chapter=_chapter(work), user=author, content="Author here.")
    client.force_login(author)
    client.post(f"/users/{author.username}/blocked", {"login": reader.username})
    assert Block.objects.filter(blocker=author, blocked=reader).exists()

    client.force_login(reader)
    response = client.post(f"/works/{work.pk}/kudos", follow=True)
    assert "blocked" in response.content.decode()
    assert not Kudos.objects.exists()
    chapter = _chapter(work)
    response = client.post(
        f"/works/{work.pk}/chapters/{chapter.pk}/comments", {"content": "Let me in."}
    )
    assert response.status_code == 400 and "blocked" in response.content.decode()
    response = client.post(f"/comments/{own.pk}/reply", {"content": "Replying anyway."})
    assert response.status_code == 400
    assert Comment.objects.count() == 1


def test_block_is_reversible(client, author, reader):
    work = make_work(creator=author)
    social.block_add(blocker=author, blocked=reader)
    client.force_login(author)
    page = client.get(f"/users/{author.username}/blocked").content.decode()
    assert reader.username in page
    client.post(f"/users/{author.username}/blocked", {"remove": reader.username})
    assert not Block.objects.exists()
    assert feedback.kudos_add(work=work, user=reader, ip=None) is True


def test_block_pages_refuse_unknown_names_and_self(client, author):
    client.force_login(author)
    response = client.post(f"/users/{author.username}/blocked", {"login": "nobody-at-all"})
    assert response.status_code == 400
    assert "nobody-at-all" in response.content.decode()
    response = client.post(f"/users/{author.username}/blocked", {"login": author.username})
    assert response.status_code == 400 and not Block.objects.exists()
    form = response.context["form"]
    assert "You can't block yourself." in form.errors["login"]  # next to the name typed
    assert form["login"].value() == author.username


def test_blocked_and_muted_pages_are_only_for_their_owner(client, author, reader):
    client.force_login(reader)
    assert client.get(f"/users/{author.username}/blocked").status_code == 404
    assert client.get(f"/users/{author.username}/muted").status_code == 404
    client.logout()
    assert client.get(f"/users/{author.username}/muted").status_code == 302


def test_muted_users_comments_disappear_for_the_muter(client, author, reader):
    work = make_work(creator=author)
    noisy = make_user(username="noisy")
    comment = feedback.comment_add(chapter=_chapter(work), user=noisy, content="Loud words.")
    feedback.comment_add(
        chapter=_chapter(work), user=author, content="Reply to loud.", parent=comment
    )
    client.force_login(reader)
    client.post(f"/users/{reader.username}/muted", {"login": "noisy"})
    assert Mute.objects.filter(muter=reader, muted=noisy).exists()
    page = client.get(f"/works/{work.pk}").content.decode()
    assert "Loud words." not in page and "Reply to loud." not in page
    assert "Comments (0)" in page
    client.post(f"/users/{reader.username}/muted", {"remove": "noisy"})
    page = client.get(f"/works/{work.pk}").content.decode()
    assert "Loud words." in page and "Comments (2)" in page


def test_muting_someone_else_does_not_hide_for_others(client, reader):
    work = make_work()
    noisy = make_user()
    feedback.comment_add(chapter=_chapter(work), user=noisy, content="Still here.")
    social.mute_add(muter=reader, muted=noisy)
    assert "Still here." in client.get(f"/works/{work.pk}").content.decode()


def test_feedback_preferences_turn_off_comment_emails_and_history(client, reader):
    client.force_login(reader)
    url = f"/users/{reader.username}/preferences/feedback"
    assert 'id="history_enabled" checked' in client.get(url).content.decode()
    client.post(url, {})
    reader.refresh_from_db()
    assert not reader.comment_emails and not reader.history_enabled
    client.post(url, {"comment_emails": "on", "history_enabled": "on"})
    reader.refresh_from_db()
    assert reader.comment_emails and reader.history_enabled
    client.force_login(make_user())
    assert client.get(url).status_code == 404
