"""Driving the product in Debian chromium: the three screen sizes, signing in, the navigation menu and
screenshots. Used by `dangvu screenshots` and by the browser walk test (tests/browser/test_walk.py).

Playwright (a development dependency) is imported by the caller; these functions take its objects.
"""

from __future__ import annotations

import re
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
VIEWPORTS = {
    "phone": {"width": 390, "height": 844},
    "tablet": {"width": 820, "height": 1180},
    "desktop": {"width": 1366, "height": 900},
}
MENU = "header.topbar a.brand[href], header.topbar nav a[href]"


def sign_in(browser, base: str, username: str, password: str, timeout_ms: int = 15_000) -> dict:
    """A storage state (cookies) of `username` signed in, to open contexts of any size with."""
    context = browser.new_context(locale="vi-VN")
    context.set_default_timeout(timeout_ms)
    try:
        page = context.new_page()
        page.goto(f"{base}/accounts/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", password)
        page.click("form button[type=submit]")
        page.wait_for_url(re.compile(r"^(?!.*/accounts/login/).*$"))
        return context.storage_state()
    finally:
        context.close()


def menu_links(page) -> list[str]:
    """The paths of the navigation menu of the page shown, the brand's home link first."""
    hrefs = page.eval_on_selector_all(MENU, "els => els.map(e => e.getAttribute('href'))")
    return list(dict.fromkeys(h for h in hrefs if h.startswith("/")))


def slug(path: str) -> str:
    """A file-name part for a path: "/" -> "home", "/members/12/" -> "members-12"."""
    return re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-") or "home"


def shoot(
    browser,
    base: str,
    state: dict,
    *,
    name: str,
    out: Path,
    sizes: list[str],
    pages: list[str] | None = None,
    full_page: bool = False,
    timeout_ms: int = 15_000,
) -> list[Path]:
    """PNGs `<name>-<page>-<size>.png` in `out` of `pages` (default: the signed-in user's menu) at each
    of `sizes`; returns the files written."""
    written: list[Path] = []
    for size in sizes:
        context = browser.new_context(storage_state=state, viewport=VIEWPORTS[size], locale="vi-VN")
        context.set_default_timeout(timeout_ms)
        try:
            page = context.new_page()
            if pages is None:
                page.goto(f"{base}/")
                pages = menu_links(page)
            for path in pages:
                page.goto(f"{base}{path}", wait_until="load")
                target = out / f"{name}-{slug(path)}-{size}.png"
                page.screenshot(path=str(target), full_page=full_page)
                written.append(target)
        finally:
            context.close()
    return written
