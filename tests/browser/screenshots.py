"""`make screenshots`: PNGs of the main pages at a desktop and a phone width in every skin,
written to docs/screenshots/ (<page>-<width>-<skin>.png).

Runs against the demo archive (`make demo`): starts `manage.py runserver` on a free port,
drives Debian's Chromium through Playwright (the flags of tests/browser/conftest.py), and
stops the server. Guests choose a skin by the footer's menu (a cookie); the posting form is
shown to the demo author, whose skin is set on their preferences page.

    python -m tests.browser.screenshots [--out docs/screenshots]
"""

import argparse
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
WIDTHS = {"desktop": (1280, 860), "phone": (390, 844)}
SKINS = ["default", "dark", "high-contrast"]
DEMO_LOGIN = ("demo_author", "demo-archive-password")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(port: int) -> subprocess.Popen:
    env = {**os.environ, "DJANGO_DEBUG": "1"}
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _attempt in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=1)
            return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("the development server did not start")


def guest_pages(base: str) -> dict[str, str]:
    """Home, a listing with its filters, a tag's works and a work: found in the demo data."""
    listing = urllib.request.urlopen(f"{base}/works").read().decode()
    work = re.search(r'href="(/works/\d+)"', listing)
    tag = re.search(r'href="(/tags/[^"]+/works)"', listing)
    if not work or not tag:
        raise SystemExit("no works in this archive: run `make demo` first")
    return {
        "home": "/",
        "works": "/works",
        "tag": tag.group(1),
        "work": f"{work.group(1)}?view_adult=true",
    }


def shoot(page, url: str, path: Path) -> None:
    page.goto(url)
    page.screenshot(path=str(path), full_page=False)
    print(path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    out = parser.parse_args().out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = start_server(port)
    try:
        pages = guest_pages(base)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
            )
            for skin in SKINS:
                for width_name, (width, height) in WIDTHS.items():
                    viewport = {"width": width, "height": height}
                    guest = browser.new_context(base_url=base, viewport=viewport)
                    guest.add_cookies([{"name": "skin", "value": skin, "url": base}])
                    page = guest.new_page()
                    for name, url in pages.items():
                        shoot(page, url, out / f"{name}-{width_name}-{skin}.png")
                    guest.close()
                    member = browser.new_context(base_url=base, viewport=viewport)
                    page = member.new_page()
                    page.goto("/users/login")
                    page.fill("#id_username", DEMO_LOGIN[0])
                    page.fill("#id_password", DEMO_LOGIN[1])
                    page.locator("#new_user_session [type=submit]").click()
                    page.goto(f"/users/{DEMO_LOGIN[0]}/preferences")
                    page.locator(f"input[name=skin][value='{skin}']").check()
                    page.get_by_role("button", name="Update").click()
                    shoot(page, "/works/new", out / f"post-{width_name}-{skin}.png")
                    member.close()
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
