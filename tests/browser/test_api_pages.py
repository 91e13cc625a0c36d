"""The API's pages in a browser: the docs page (Swagger UI from the archive's own static
files) draws every operation under the site's Content-Security-Policy, and a member makes a
token on the tokens page and reads it off the page."""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import make_user

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_the_docs_page_lists_the_operations_without_breaking_the_policy(new_page):
    page = new_page()
    refused = []
    page.on(
        "console",
        lambda message: (
            refused.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    page.goto("/api/v1/docs")
    expect(page.locator(".opblock-summary-path", has_text="/api/v1/me")).to_be_visible(
        timeout=15000
    )
    expect(page.locator(".opblock-summary-path", has_text="/api/v1/tags/{tag_id}")).to_be_visible()
    assert refused == []


def test_a_member_makes_a_token_and_reads_it_once(new_page):
    page = new_page(user=make_user(username="browsertokens"))
    page.goto("/users/browsertokens/tokens")
    page.get_by_label("Name").fill("Browser-made token")
    page.get_by_label(re.compile("^Read:")).check()
    page.get_by_role("button", name="Make token").click()
    secret = page.locator("#token-secret").inner_text()
    assert secret.startswith("fa_")
    expect(page.locator("table.tokens")).to_contain_text("Browser-made token")
    expect(page.locator("nav#dashboard a[aria-current=page]")).to_have_text("Access Tokens")
    page.reload()
    assert page.locator("#token-secret").count() == 0
