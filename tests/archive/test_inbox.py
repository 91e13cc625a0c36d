import pytest

from archive.models import InboxItem
from tests.factories import make_chapter, make_user, make_work
from works.models import Reading
from works.services import feedback

pytestmark = pytest.mark.django_db


def _fill(author, reader, n):
    for _ in range(n):
        work = make_work(creator=author)
        chapter = work.chapters.first()
        parent = feedback.comment_add(chapter=chapter, user=reader, content="A comment.")
        feedback.comment_add(chapter=chapter, user=author, content="A reply.", parent=parent)
        feedback.subscription_add(user=reader, work=work)
        make_chapter(work)
        Reading.objects.create(user=reader, work=work, visit_count=1)


@pytest.mark.parametrize("page", ["inbox", "subscriptions", "readings"])
def test_personal_pages_use_a_fixed_number_of_queries(
    client, author, reader, page, django_assert_max_num_queries
):
    url = f"/users/{reader.username}/{page}"
    client.force_login(reader)
    _fill(author, reader, 1)
    with django_assert_max_num_queries(30) as few:
        assert client.get(url).status_code == 200
    _fill(author, reader, 6)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200


def test_inbox_filters_unread_and_marks_unread_again(client, author, reader):
    _fill(author, reader, 1)
    items = list(InboxItem.objects.filter(recipient=reader))
    assert {i.kind for i in items} == {"reply", "chapter"}
    client.force_login(reader)
    url = f"/users/{reader.username}/inbox"
    client.post(url, {"items": [i.pk for i in items], "action": "read"})
    assert "Your inbox is empty." in client.get(url + "?filter=unread").content.decode()
    client.post(url, {"items": [items[0].pk], "action": "unread"})
    assert InboxItem.objects.filter(recipient=reader, is_read=False).count() == 1


def test_nobody_marks_items_in_someone_elses_inbox(client, author, reader):
    _fill(author, reader, 1)
    item = InboxItem.objects.filter(recipient=reader).first()
    other = make_user()
    client.force_login(other)
    url = f"/users/{other.username}/inbox"
    client.post(url, {"items": [item.pk], "action": "read"})
    item.refresh_from_db()
    assert not item.is_read
