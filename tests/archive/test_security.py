"""Security baseline: headers, CSP without inline script, cookies, admin, sessions, and plain
text titles, tag names and pseuds everywhere (pages, listings, feeds, downloads, admin)."""

import json
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from tags.models import TagType
from tests.factories import PASSWORD, make_tag, make_user, make_work
from tests.responses import body as response_body
from tests.security import corpus_inputs
from works.models import Collection, Series
from works.rendering import render_markdown
from works.services.filter_rows import works_refresh_filters

pytestmark = pytest.mark.django_db

TEMPLATES = Path(settings.BASE_DIR) / "templates"
STATIC_JS = Path(settings.BASE_DIR) / "static"
# A self-contained file the reader saves (Content-Disposition: attachment): its own <style>.
DOWNLOAD_TEMPLATE = TEMPLATES / "works" / "work_download.html"


def _csp(response):
    policy = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}


def test_pages_send_a_strict_content_security_policy(client):
    directives = _csp(client.get("/"))
    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["base-uri"] == ["'none'"]
    assert directives["form-action"] == ["'self'"]
    assert set(directives["img-src"]) == {"'self'", "http:", "https:"}  # author images
    assert not any("unsafe" in value for values in directives.values() for value in values)


def test_pages_forbid_framing_sniffing_and_leaking_referrers(client):
    response = client.get("/works")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def _template_files():
    return [path for path in TEMPLATES.rglob("*.html")]


def test_templates_have_no_inline_script_handlers_or_style():
    problems = []
    for path in _template_files():
        text = path.read_text()
        for match in re.finditer(r"<script\b[^>]*>", text, re.IGNORECASE):
            tag = match.group(0)
            if "src=" not in tag and 'type="application/json"' not in tag:
                problems.append(f"{path}: inline {tag}")
        if re.search(r"<[a-z][^>]*\son[a-z]+\s*=", text, re.IGNORECASE):
            problems.append(f"{path}: on* handler")
        if re.search(r"<[a-z][^>]*\sstyle\s*=", text, re.IGNORECASE):
            problems.append(f"{path}: style attribute")
        if path != DOWNLOAD_TEMPLATE and re.search(r"<style\b", text, re.IGNORECASE):
            problems.append(f"{path}: <style> element")
        if re.search(r"javascript:", text, re.IGNORECASE):
            problems.append(f"{path}: javascript: URL")
    assert problems == []


def test_production_settings_are_secure(tmp_path):
    env = {
        **os.environ,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(60),
        "DJANGO_ALLOWED_HOSTS": "example.org",
        "ARCHIVE_DATA_DIR": str(tmp_path),
    }
    names = [
        "SESSION_COOKIE_SECURE",
        "SESSION_COOKIE_HTTPONLY",
        "CSRF_COOKIE_SECURE",
        "CSRF_COOKIE_HTTPONLY",
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SECURE_SSL_REDIRECT",
        "SECURE_REDIRECT_EXEMPT",
        "X_FRAME_OPTIONS",
        "SECURE_REFERRER_POLICY",
        "DEBUG",
    ]
    code = (
        "import json; from django.conf import settings; "
        f"print(json.dumps({{n: getattr(settings, n) for n in {names!r}}}))"
    )
    result = subprocess.run(
        [sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), "shell", "-c", code],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values["SESSION_COOKIE_SECURE"] and values["SESSION_COOKIE_HTTPONLY"]
    assert values["CSRF_COOKIE_SECURE"] and values["CSRF_COOKIE_HTTPONLY"]
    assert values["SECURE_HSTS_SECONDS"] >= 31536000 and values["SECURE_HSTS_INCLUDE_SUBDOMAINS"]
    assert values["SECURE_SSL_REDIRECT"]
    assert values["SECURE_REDIRECT_EXEMPT"] == ["^health$", "^ready$"]  # load balancers
    assert values["X_FRAME_OPTIONS"] == "DENY"
    assert values["SECURE_REFERRER_POLICY"] == "same-origin"
    assert values["DEBUG"] is False


def test_session_cookie_is_httponly(client, author):
    response = client.post("/users/login", {"username": "author", "password": PASSWORD})
    assert response.status_code == 302
    assert response.cookies[settings.SESSION_COOKIE_NAME]["httponly"]


def test_session_key_rotates_on_log_in(client, author):
    client.get("/users/login")
    session = client.session
    session["before_login"] = "kept"
    session.save()
    before = session.session_key
    response = client.post("/users/login", {"username": "author", "password": PASSWORD})
    assert response.status_code == 302
    assert client.session.session_key != before
    assert client.session["_auth_user_id"] == str(author.pk)


def test_session_key_rotates_on_log_out(client, author):
    client.force_login(author)
    before = client.session.session_key
    client.post("/users/logout")
    assert client.session.session_key != before
    assert "_auth_user_id" not in client.session


def test_admin_is_reachable_only_by_staff(client, reader):
    response = client.get("/admin/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    client.force_login(reader)
    response = client.get("/admin/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert client.get("/admin/works/work/").status_code == 302
    staff = make_user(username="staffer", is_staff=True)
    client.force_login(staff)
    assert client.get("/admin/").status_code == 200


def test_weak_passwords_are_refused_at_sign_up(client):
    response = client.post(
        "/signup",
        {
            "username": "weakling",
            "email": "weak@example.org",
            "password1": "12345678",
            "password2": "12345678",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["password1"]


# --- plain text everywhere --------------------------------------------------------------------

TITLE = "<script>alert(1)</script>"
FANDOM = "<b>Bold Fandom</b>"
FREEFORM = "<b>Bold Freeform</b>"


@pytest.fixture
def hostile_work():
    creator = make_user(username="hostile_author")
    work = make_work(creator=creator, title=TITLE, summary="Plain summary.")
    # Tag names with markup cannot be typed (the form refuses < and >), so they arrive as
    # they might from an import or the admin: they must still show as text.
    fandom = make_tag(FANDOM, type=TagType.FANDOM, canonical=True)
    freeform = make_tag(FREEFORM, type=TagType.FREEFORM, canonical=True)
    work.tags.add(fandom, freeform)
    works_refresh_filters([work.pk])
    return work, fandom


def _assert_escaped(body: str, where: str):
    assert "<script>alert(1)</script>" not in body, where
    assert "<b>Bold" not in body, where


def test_hostile_title_and_tags_are_plain_text_everywhere(client, admin_user, hostile_work):
    work, fandom = hostile_work
    pages = {
        "work page": f"/works/{work.pk}",
        "entire work": f"/works/{work.pk}?view_full_work=true",
        "navigate": f"/works/{work.pk}/navigate",
        "listing": "/works",
        "home": "/",
        "tag works": fandom.get_works_url() if hasattr(fandom, "get_works_url") else "/works",
        "feed": f"/tags/{fandom.pk}/feed.atom",
        "dashboard": "/users/hostile_author",
        "download": f"/downloads/{work.pk}/Work_{work.pk}.html",
    }
    for where, url in pages.items():
        response = client.get(url, follow=True)
        assert response.status_code == 200, (where, url)
        page = response_body(response).decode()
        _assert_escaped(page, where)
        if where in {"work page", "listing", "feed", "download", "entire work"}:
            assert "alert(1)" in page, where  # the title is there, as text
    feed = client.get(f"/tags/{fandom.pk}/feed.atom").content.decode()
    assert "&lt;b&gt;Bold Fandom&lt;/b&gt;" in feed
    work_page = client.get(f"/works/{work.pk}").content.decode()
    assert "&lt;b&gt;Bold Freeform&lt;/b&gt;" in work_page

    client.force_login(admin_user)
    for where, url in {
        "admin works": "/admin/works/work/",
        "admin work": f"/admin/works/work/{work.pk}/change/",
        "admin tags": "/admin/tags/tag/",
        "admin stats": "/admin/works/workstats/",
    }.items():
        response = client.get(url)
        assert response.status_code == 200, where
        body = response.content.decode()
        _assert_escaped(body, where)
    assert (
        "&lt;script&gt;alert(1)&lt;/script&gt;" in client.get("/admin/works/work/").content.decode()
    )


def test_hostile_login_name_cannot_be_registered(client):
    response = client.post(
        "/signup",
        {
            "username": "<b>bad</b>",
            "email": "bad@example.org",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert response.status_code == 200
    assert "username" in response.context["form"].errors
    assert "<b>bad</b>" not in response.content.decode()


@pytest.mark.parametrize("model", [Series, Collection])
def test_series_and_collection_texts_store_the_renderers_output(model):
    """Their descriptions, notes and rules are rendered by render_markdown (which passes the
    XSS corpus, tests/works/test_rendering.py) and nothing else."""
    fields = list(model.rendered_fields)
    assert fields
    for text in corpus_inputs():
        row = model(**{field: text for field in fields})
        row.render_text()
        for field in fields:
            assert getattr(row, f"{field}_html") == render_markdown(text), (field, text)
