import pytest
from django.test import Client

from tags.models import Tag, TagType
from tests.factories import make_user, make_work
from works.models import Work

pytestmark = pytest.mark.django_db


def _change_form_data(response):
    """What the admin change form would post back unchanged (main form and inlines)."""
    data = {}
    form = response.context["adminform"].form
    for name in form.fields:
        value = form[name].value()
        if value is None or value is False:
            continue
        data[name] = "on" if value is True else value
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        for name in formset.management_form.fields:
            data[f"{formset.prefix}-{name}"] = formset.management_form[name].value()
        for inline_form in formset.forms:
            for name in inline_form.fields:
                value = inline_form[name].value()
                if value is not None and value is not False:
                    data[inline_form.add_prefix(name)] = "on" if value is True else value
    return data


def test_admin_answers_staff_only(client, reader, moderator):
    assert client.get("/admin/").status_code == 302
    client.force_login(reader)
    response = client.get("/admin/works/work/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
    client.force_login(moderator)
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/works/work/").status_code == 200


def test_work_admin_lists_titles_and_creators_as_plain_text(client, moderator):
    author = make_user(username="angle")
    make_work(creator=author, title="<script>alert('t')</script> & <b>bold</b>")
    client.force_login(moderator)
    response = client.get("/admin/works/work/")
    html = response.content.decode()
    assert "&lt;script&gt;alert(&#x27;t&#x27;)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;" in html
    assert "<script>alert(" not in html
    assert "angle" in html


def test_work_admin_searches_by_title_and_creator(client, moderator):
    make_work(creator=make_user(username="quillfeather"), title="Lanterns Over Harbour")
    make_work(title="Something Else Entirely")
    client.force_login(moderator)
    by_title = client.get("/admin/works/work/", {"q": "lanterns"}).content.decode()
    by_creator = client.get("/admin/works/work/", {"q": "quillfeather"}).content.decode()
    for html in (by_title, by_creator):
        assert "Lanterns Over Harbour" in html
        assert "Something Else Entirely" not in html


def test_work_admin_shows_rendered_html_read_only(client, moderator):
    work = make_work(summary="Some *emphasis* here.")
    client.force_login(moderator)
    response = client.get(f"/admin/works/work/{work.pk}/change/")
    form = response.context["adminform"].form
    assert "summary_html" not in form.fields
    assert "&lt;em&gt;emphasis&lt;/em&gt;" in response.content.decode()


def test_hide_switch_in_work_admin_hides_the_work_from_readers(client, moderator, reader):
    work = make_work(title="Soon Hidden Story")
    client.force_login(reader)
    assert client.get(f"/works/{work.pk}").status_code == 200

    client.force_login(moderator)
    url = f"/admin/works/work/{work.pk}/change/"
    data = _change_form_data(client.get(url))
    data["hidden_by_moderator"] = "on"
    data["hidden_reason"] = "Reported for spam."
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    work.refresh_from_db()
    assert work.hidden_by_moderator
    assert work.hidden_reason == "Reported for spam."

    fandom = work.tags.get(type=TagType.FANDOM)
    assert fandom.work_count == 0  # a hidden work no longer counts for its tags

    reader_client = Client()  # a fresh browser: the admin's "changed" message stays behind
    reader_client.force_login(reader)
    response = reader_client.get(f"/works/{work.pk}")
    assert response.status_code == 404
    assert b"Soon Hidden Story" not in response.content
    assert b"Soon Hidden Story" not in reader_client.get("/").content


def test_hide_and_unhide_actions(client, moderator):
    first, second = make_work(), make_work()
    client.force_login(moderator)
    # The action first asks for the reason (the creators are told it), then applies.
    asked = client.post(
        "/admin/works/work/",
        {"action": "hide_works", "_selected_action": [first.pk, second.pk]},
    )
    assert asked.status_code == 200
    assert not Work.objects.filter(hidden_by_moderator=True).exists()
    response = client.post(
        "/admin/works/work/",
        {
            "action": "hide_works",
            "_selected_action": [first.pk, second.pk],
            "apply": "1",
            "reason": "Spam",
        },
    )
    assert response.status_code == 302
    assert Work.objects.filter(hidden_by_moderator=True).count() == 2
    client.post(
        "/admin/works/work/",
        {"action": "unhide_works", "_selected_action": [first.pk], "apply": "1", "reason": "Ok"},
    )
    assert list(Work.objects.filter(hidden_by_moderator=True)) == [second]


def test_staff_without_work_permissions_cannot_hide(client):
    staff = make_user(username="helpdesk", is_staff=True)
    work = make_work()
    client.force_login(staff)
    assert client.get("/admin/works/work/").status_code == 403
    client.post("/admin/works/work/", {"action": "hide_works", "_selected_action": [work.pk]})
    work.refresh_from_db()
    assert not work.hidden_by_moderator


def test_superuser_sees_every_moderation_admin(admin_client):
    work = make_work(chapters=2)
    chapter = work.chapters.first()
    for url in (
        "/admin/archive/user/",
        "/admin/archive/user/?q=user",
        "/admin/works/work/?posted__exact=1&hidden_by_moderator__exact=0",
        f"/admin/works/work/{work.pk}/change/",
        "/admin/works/chapter/",
        f"/admin/works/chapter/{chapter.pk}/change/",
        "/admin/works/series/",
        "/admin/works/series/add/",
        "/admin/works/collection/",
        "/admin/works/collection/add/",
        "/admin/works/workstats/",
        f"/admin/works/workstats/{work.pk}/change/",
    ):
        assert admin_client.get(url).status_code == 200, url


def test_chapter_admin_keeps_body_html_read_only(admin_client):
    work = make_work()
    chapter = work.chapters.get()
    response = admin_client.get(f"/admin/works/chapter/{chapter.pk}/change/")
    form = response.context["adminform"].form
    assert "body" in form.fields
    assert "body_html" not in form.fields


def test_hide_action_updates_tag_counts(client, moderator):
    work = make_work(tags={TagType.FANDOM: ["Counted Fandom"]})
    fandom = work.tags.get(name="Counted Fandom")
    assert fandom.work_count == 1
    client.force_login(moderator)
    selected = {"_selected_action": [work.pk], "apply": "1", "reason": "Checking counts"}
    client.post("/admin/works/work/", {"action": "hide_works", **selected})
    fandom.refresh_from_db()
    assert fandom.work_count == 0
    client.post("/admin/works/work/", {"action": "unhide_works", **selected})
    fandom.refresh_from_db()
    assert fandom.work_count == 1


def test_works_are_not_added_in_the_admin(admin_client):
    assert admin_client.get("/admin/works/work/add/").status_code == 403


def test_deleting_a_work_in_the_admin_recounts_its_tags(admin_client):
    work = make_work(tags={TagType.FANDOM: ["Vanishing Fandom"]})
    response = admin_client.post(f"/admin/works/work/{work.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Work.objects.filter(pk=work.pk).exists()
    assert Tag.objects.get(name="Vanishing Fandom").work_count == 0


def test_the_only_chapter_of_a_work_cannot_be_deleted_in_the_admin(admin_client):
    work = make_work(chapters=2)
    first, second = work.chapters.order_by("position")
    assert (
        admin_client.post(f"/admin/works/chapter/{second.pk}/delete/", {"post": "yes"}).status_code
        == 302
    )
    only = work.chapters.get()
    response = admin_client.post(
        f"/admin/works/chapter/{only.pk}/delete/", {"post": "yes"}, follow=True
    )
    assert response.status_code == 200  # refused with a message on its page, never a 500
    assert "The only chapter of a work" in response.content.decode()
    assert work.chapters.filter(pk=first.pk).exists()
