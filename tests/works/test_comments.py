import re

import pytest
from django.core import mail

from archive.models import InboxItem
from tests.factories import make_chapter, make_user, make_work
from tests.security import corpus_cases
from works.models import Comment, CommentPermission, WorkStats
from works.rendering import render_comment
from works.services import feedback

pytestmark = pytest.mark.django_db

try:  # guest forms carry spam fields (archive/spam.py); post them as a browser would
    from archive.spam import spam_post_data
except ImportError:  # pragma: no cover - before the spam checks landed

    def spam_post_data():
        return {}


def _comments_count(work):
    return WorkStats.objects.get(work=work).comments


def _chapter(work, n=0):
    return list(work.chapters.order_by("position"))[n]


def _post_comment(client, work, chapter=None, **data):
    """Post the comment form as a person's browser would (with the guest spam fields)."""
    chapter = chapter or _chapter(work)
    data = {**spam_post_data(), **data}
    return client.post(f"/works/{work.pk}/chapters/{chapter.pk}/comments", data)


def test_guest_comment_with_name_and_email_shows_on_the_work(client):
    work = make_work()
    response = _post_comment(
        client, work, name="Wandering Gull", email="gull@example.org", content="Lovely tides."
    )
    assert response.status_code == 302
    comment = Comment.objects.get()
    page = client.get(f"/works/{work.pk}").content.decode()
    assert f'<li id="comment_{comment.pk}" class="comment group"' in page
    assert '<ol class="thread" role="none">' in page
    assert "Wandering Gull (Guest)" in page and "Lovely tides." in page
    assert "gull@example.org" not in page
    assert _comments_count(work) == 1


def test_guest_needs_name_and_email(client):
    work = make_work()
    response = _post_comment(client, work, content="Nameless words.")
    assert response.status_code == 400
    body = response.content.decode()
    assert "This field is required." in body and "Nameless words." in body
    assert not Comment.objects.exists()


def test_guest_name_is_plain_text(client):
    work = make_work()
    _post_comment(client, work, name="<b>Bold</b> Gull", email="g@example.org", content="Hi")
    page = client.get(f"/works/{work.pk}").content.decode()
    assert "&lt;b&gt;Bold&lt;/b&gt; Gull" in page
    assert "<b>Bold</b> Gull" not in page


def test_comments_show_on_their_chapter_and_on_the_entire_work(client, reader):
    work = make_work(chapters=2)
    first, second = _chapter(work, 0), _chapter(work, 1)
    feedback.comment_add(chapter=first, user=reader, content="About the first.")
    feedback.comment_add(chapter=second, user=reader, content="About the second.")
    chapter_two = client.get(second.get_absolute_url()).content.decode()
    assert "About the second." in chapter_two and "About the first." not in chapter_two
    whole = client.get(f"/works/{work.pk}?view_full_work=true").content.decode()
    assert "About the first." in whole and "About the second." in whole


def test_registered_only_work_refuses_guests(client, reader):
    work = make_work(comment_permission=CommentPermission.REGISTERED)
    page = client.get(f"/works/{work.pk}").content.decode()
    assert "only allows comments by registered users" in page
    response = _post_comment(client, work, name="G", email="g@example.org", content="Hello")
    assert response.status_code == 400
    assert not Comment.objects.exists()
    client.force_login(reader)
    assert _post_comment(client, work, content="Hello").status_code == 302


def test_work_without_comments_refuses_everyone(client, reader):
    work = make_work(comment_permission=CommentPermission.NOBODY)
    client.force_login(reader)
    response = _post_comment(client, work, content="Hello")
    assert "doesn&#x27;t allow comments" in response.content.decode()
    assert not Comment.objects.exists()


def test_reply_is_nested_and_has_a_permalink(client, reader, author):
    work = make_work(creator=author)
    parent = feedback.comment_add(chapter=_chapter(work), user=reader, content="First!")
    client.force_login(author)
    response = client.post(f"/comments/{parent.pk}/reply", {"content": "Thank you."})
    assert response.status_code == 302
    reply = Comment.objects.get(parent=parent)
    page = client.get(f"/comments/{parent.pk}").content.decode()
    nested = re.search(
        rf'<li id="comment_{parent.pk}".*?</li>\s*<li><ol class="thread" role="none">\s*'
        rf'<li id="comment_{reply.pk}"',
        page,
        re.S,
    )
    assert nested, page
    assert client.get(f"/comments/{reply.pk}").status_code == 200
    # The reader hears of the reply in their inbox.
    assert InboxItem.objects.filter(recipient=reader, kind="reply", comment=reply).exists()


def test_edit_marks_last_edited_and_only_the_commenter_may_edit(client, reader):
    work = make_work()
    comment = feedback.comment_add(chapter=_chapter(work), user=reader, content="Typo hree.")
    client.force_login(make_user())
    assert client.get(f"/comments/{comment.pk}/edit").status_code == 404
    client.force_login(reader)
    response = client.post(f"/comments/{comment.pk}/edit", {"content": "Typo here."})
    assert response.status_code == 302
    page = client.get(f"/comments/{comment.pk}").content.decode()
    assert "Typo here." in page and "Last Edited" in page


def test_deleting_a_comment_with_replies_keeps_the_thread(client, reader, author):
    work = make_work(creator=author)
    parent = feedback.comment_add(chapter=_chapter(work), user=reader, content="Secret words.")
    feedback.comment_add(chapter=_chapter(work), user=author, content="A reply.", parent=parent)
    assert _comments_count(work) == 2
    client.force_login(reader)
    assert client.post(f"/comments/{parent.pk}/delete").status_code == 302
    page = client.get(f"/works/{work.pk}").content.decode()
    assert "(Previous comment deleted.)" in page
    assert "Secret words." not in page and "A reply." in page
    assert _comments_count(work) == 1


def test_deleting_a_lone_comment_removes_it(client, reader):
    work = make_work()
    comment = feedback.comment_add(chapter=_chapter(work), user=reader, content="Gone soon.")
    client.force_login(reader)
    client.post(f"/comments/{comment.pk}/delete")
    assert not Comment.objects.exists()
    assert _comments_count(work) == 0


def test_others_cannot_delete_a_comment(client, reader):
    work = make_work()
    comment = feedback.comment_add(chapter=_chapter(work), user=reader, content="Mine.")
    client.force_login(make_user())
    assert client.post(f"/comments/{comment.pk}/delete").status_code == 404
    assert Comment.objects.filter(pk=comment.pk).exists()


def test_comment_over_ten_thousand_characters_is_refused_and_kept(client, reader):
    work = make_work()
    client.force_login(reader)
    text = "w" * 10001
    response = _post_comment(client, work, content=text)
    assert response.status_code == 400
    body = response.content.decode()
    assert "at most 10000 characters" in body and text in body
    assert _post_comment(client, work, content="w" * 10000).status_code == 302


def test_identical_comment_twice_is_refused(client, reader):
    work = make_work()
    client.force_login(reader)
    _post_comment(client, work, content="Same words.")
    response = _post_comment(client, work, content="Same words.")
    assert "You have already left this comment here." in response.content.decode()
    assert Comment.objects.count() == 1
    assert _comments_count(work) == 1


def test_moderated_comment_waits_for_the_author(client, author):
    work = make_work(creator=author, moderate_comments=True)
    _post_comment(client, work, name="Gull", email="g@example.org", content="Awaiting you.")
    comment = Comment.objects.get()
    assert comment.is_unreviewed
    assert "Awaiting you." not in client.get(f"/works/{work.pk}").content.decode()
    assert client.get(f"/comments/{comment.pk}").status_code == 404
    assert _comments_count(work) == 0
    client.force_login(author)
    queue = client.get(f"/works/{work.pk}/comments/unreviewed").content.decode()
    assert "Awaiting you." in queue
    inbox = client.get(f"/users/{author.username}/inbox").content.decode()
    assert "Awaiting you." in inbox and "Unreviewed comment" in inbox
    client.post(f"/comments/{comment.pk}/approve", {"next": f"/users/{author.username}/inbox"})
    comment.refresh_from_db()
    assert not comment.is_unreviewed
    client.logout()
    assert "Awaiting you." in client.get(f"/works/{work.pk}").content.decode()
    assert _comments_count(work) == 1


def test_only_creators_approve(client, reader):
    work = make_work(moderate_comments=True)
    comment = feedback.comment_add(chapter=_chapter(work), user=reader, content="Hold me.")
    client.force_login(reader)
    assert client.post(f"/comments/{comment.pk}/approve").status_code == 404
    comment.refresh_from_db()
    assert comment.is_unreviewed


def test_author_hears_of_comments_in_inbox_and_by_email(
    client, author, reader, django_capture_on_commit_callbacks
):
    work = make_work(creator=author)
    client.force_login(reader)
    with django_capture_on_commit_callbacks(execute=True):
        _post_comment(client, work, content="Telling you.")
    item = InboxItem.objects.get(recipient=author)
    assert item.kind == "comment" and not item.is_read
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [author.email]
    client.force_login(author)
    page = client.get(f"/users/{author.username}/inbox").content.decode()
    assert "Telling you." in page and "1 unread" in page
    client.post(f"/users/{author.username}/inbox", {"items": [item.pk], "action": "read"})
    item.refresh_from_db()
    assert item.is_read


def test_author_who_turned_off_comment_emails_gets_only_the_inbox(
    author, reader, django_capture_on_commit_callbacks
):
    author.comment_emails = False
    author.save()
    work = make_work(creator=author)
    with django_capture_on_commit_callbacks(execute=True):
        feedback.comment_add(chapter=_chapter(work), user=reader, content="Quietly.")
    assert InboxItem.objects.filter(recipient=author).count() == 1
    assert mail.outbox == []


def test_author_replies_from_the_inbox(client, author, reader):
    work = make_work(creator=author)
    comment = feedback.comment_add(chapter=_chapter(work), user=reader, content="Hello!")
    client.force_login(author)
    inbox_url = f"/users/{author.username}/inbox"
    assert f'action="/comments/{comment.pk}/reply"' in client.get(inbox_url).content.decode()
    response = client.post(
        f"/comments/{comment.pk}/reply", {"content": "Hello back!", "next": inbox_url}
    )
    assert response.status_code == 302 and response["Location"] == inbox_url
    assert Comment.objects.get(parent=comment).content == "Hello back!"


def test_inbox_is_only_for_its_owner(client, author, reader):
    client.force_login(reader)
    assert client.get(f"/users/{author.username}/inbox").status_code == 404


def test_stored_html_is_render_comment_of_the_text(reader):
    work = make_work()
    text = 'Some *emphasis*, <img src="x.png"> and <h1>big</h1> <script>alert(1)</script>'
    comment = feedback.comment_add(chapter=_chapter(work), user=reader, content=text)
    assert comment.content_html == render_comment(text)
    assert "<script" not in comment.content_html and "<img" not in comment.content_html


def test_comment_html_is_safe_for_every_corpus_case(reader):
    """Each case of the XSS corpus (tests/security), posted as a comment, is stored exactly as
    render_comment renders it (render_comment itself passes the corpus in test_rendering)."""
    work = make_work()
    chapter = _chapter(work)
    for case in corpus_cases():
        # The form refuses NUL characters (Django's ProhibitNullCharactersValidator).
        text = case["input"].replace("\x00", "").strip()[:10000] or "x"
        comment = Comment(work=work, chapter=chapter, user=reader, content=text)
        comment.save()
        assert comment.content_html == render_comment(text), case["id"]
        assert "<script" not in comment.content_html.lower(), case["id"]


def test_comment_on_unposted_chapter_is_not_found(client, reader, author):
    work = make_work(creator=author)
    draft = make_chapter(work, post=False)
    client.force_login(reader)
    assert _post_comment(client, work, chapter=draft, content="Early").status_code == 404


@pytest.mark.parametrize("logged_in", [False, True])
def test_work_page_queries_do_not_grow_with_comments_and_kudos(
    client, reader, author, logged_in, django_assert_max_num_queries
):
    def count(url):
        with django_assert_max_num_queries(30) as queries:
            assert client.get(url).status_code == 200
        return len(queries.captured_queries)

    if logged_in:
        client.force_login(reader)
        client.get("/about")  # their account is read once, then kept in the cache
    quiet, busy = make_work(creator=author), make_work(creator=author)
    chapter = _chapter(busy)
    for n in range(8):
        fan = make_user()
        feedback.kudos_add(work=busy, user=fan, ip=None)
        feedback.kudos_add(work=busy, user=None, ip=f"192.0.2.{n + 1}")
        parent = feedback.comment_add(chapter=chapter, user=fan, content=f"Comment {n}")
        feedback.comment_add(chapter=chapter, user=author, content=f"Reply {n}", parent=parent)
    assert count(f"/works/{quiet.pk}") == count(f"/works/{busy.pk}")
