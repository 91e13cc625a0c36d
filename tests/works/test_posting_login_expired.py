"""An author whose login expired while writing keeps the text: the form comes back filled in
after logging in again (docs/design.md section 10)."""

import pytest

from tests.factories import make_work
from tests.works.test_posting_chapters import chapter_data
from tests.works.test_posting_work import input_value, textarea_value, work_data
from works.models import Work

pytestmark = pytest.mark.django_db


def test_new_work_text_survives_an_expired_login(client, author):
    body = "Every word of this must survive the expired login. " * 200
    response = client.post("/works/new", work_data(body=body, characters="Mara, Ines"))
    assert response.status_code == 302
    assert response["Location"] == "/users/login?next=/works/new"
    assert not Work.objects.exists()

    client.force_login(author)  # login() keeps what the anonymous session held
    response = client.get("/works/new")
    html = response.content.decode()
    assert "what you typed before your login expired" in html
    assert textarea_value(response, "body") == body
    assert input_value(response, "title") == "The Lamp on the Pier"
    assert input_value(response, "characters") == "Mara, Ines"
    assert '<option value="Teen And Up Audiences" selected>' in html
    assert not Work.objects.exists()  # nothing is posted behind the author's back

    # Shown once; the author then posts it.
    assert "before your login expired" not in client.get("/works/new").content.decode()
    response = client.post("/works/new", work_data(body=body))
    assert response.status_code == 302
    assert Work.objects.get().chapters.get().body == body


def test_chapter_text_survives_an_expired_login(client, author):
    work = make_work(creator=author)
    url = f"/works/{work.pk}/chapters/new"
    response = client.post(url, chapter_data(body="A chapter written slowly."))
    assert response["Location"] == f"/users/login?next={url}"
    client.force_login(author)
    response = client.get(url)
    assert textarea_value(response, "body") == "A chapter written slowly."
    assert input_value(response, "title") == "The Second Night"
    assert work.chapters.count() == 1


def test_kept_text_only_returns_to_the_page_it_was_typed_on(client, author):
    work = make_work(creator=author)
    client.post(f"/works/{work.pk}/chapters/new", chapter_data(body="Kept for the chapter."))
    client.force_login(author)
    response = client.get("/works/new")
    assert textarea_value(response, "body") == ""
    response = client.get(f"/works/{work.pk}/chapters/new")
    assert textarea_value(response, "body") == "Kept for the chapter."
