"""What every reader must be able to read: text on the site's navigation and buttons."""

import pytest

from tests.factories import make_user, make_work

# serialized_rollback: the flush after each test would otherwise delete the fixed tags (ratings,
# warnings, categories) that migrations create, and later tests would post works without them.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# WCAG 2 contrast ratio of each visible link and button against the first opaque background
# behind it.
CONTRASTS = """selector => {
  const channels = c => (c.match(/[\\d.]+/g) || []).map(Number);
  const luminance = rgb => {
    const [r, g, b] = rgb.map(v => {
      v /= 255;
      return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const background = el => {
    for (let e = el; e; e = e.parentElement) {
      const c = channels(getComputedStyle(e).backgroundColor);
      if (c.length === 3 || (c.length === 4 && c[3] >= 0.5)) return c.slice(0, 3);
    }
    return [255, 255, 255];
  };
  return [...document.querySelectorAll(selector)]
    .filter(e => e.getClientRects().length && (e.textContent.trim() || e.value))
    .map(e => {
      const [light, dark] = [luminance(channels(getComputedStyle(e).color).slice(0, 3)),
                             luminance(background(e))].sort((x, y) => y - x);
      return [(e.textContent.trim() || e.value), (light + 0.05) / (dark + 0.05)];
    });
}"""
CONTROLS = "header a, header button, .actions a, .actions button, .actions input[type=submit]"
WCAG_AA = 4.5


def _unreadable(page):
    return {
        text: round(ratio, 2)
        for text, ratio in page.evaluate(CONTRASTS, CONTROLS)
        if ratio < WCAG_AA
    }


@pytest.mark.parametrize("logged_in", [False, True], ids=["guest", "member"])
def test_navigation_and_buttons_have_readable_contrast(new_page, logged_in):
    user = make_user(username="reader_of_things")
    work = make_work(creator=user, title="Readable", chapters=2)
    page = new_page(user=user if logged_in else None)
    for url in ("/", "/works", f"/works/{work.pk}?view_full_work=true"):
        page.goto(url)
        checked = page.evaluate(CONTRASTS, CONTROLS)
        assert len(checked) >= 3, (url, checked)
        assert _unreadable(page) == {}, url
