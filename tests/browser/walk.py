"""What the walk test checks on a page, as plain functions (no pytest here, so that the screenshots
command can share the sign-in and the catalogue).

- `english_leaks(text)`: the catalogue's msgids showing through untranslated in the visible text;
- `OVERFLOW_JS`: the page's horizontal overflow, with the elements that stick out;
- `sign_in(browser, base, username, password)`: a signed-in storage state to open contexts with.
"""

from __future__ import annotations

import gettext as gnu_gettext
import re
from functools import cache
from pathlib import Path

import dangvu

CATALOGUE = Path(dangvu.__file__).parent / "locale" / "vi" / "LC_MESSAGES" / "django.mo"
VIEWPORTS = {
    "phone": {"width": 390, "height": 844},
    "tablet": {"width": 820, "height": 1180},
    "desktop": {"width": 1366, "height": 900},
}

# Msgids that are not English text when they show: names of things in their own language.
NOT_ENGLISH = {
    "English",  # the language switch names each language in itself (docs/decisions.md, issue 9 item 3)
}
MIN_LETTERS = 4  # shorter msgids ("OK", "ID", "No.") are ambiguous in any text
PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%[sdif]|\{\w*\}|<[^>]+>")

OVERFLOW_JS = """() => {
  const root = document.scrollingElement;
  const width = root.clientWidth;
  const wide = [];
  if (root.scrollWidth > width) {
    for (const el of document.body.querySelectorAll('*')) {
      const box = el.getBoundingClientRect();
      if (box.right > width + 1 && box.width > 0) {
        const name = el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
          (el.classList.length ? '.' + [...el.classList].join('.') : '');
        wide.push(name + ' right=' + Math.round(box.right));
        if (wide.length >= 5) break;
      }
    }
  }
  return {scroll: root.scrollWidth, client: width, wide: wide};
}"""


def _pattern(msgid: str) -> re.Pattern | None:
    """A regex finding `msgid` in visible text, placeholders and tags matching anything on one line;
    None when the literal part is too short to tell English from a name or a code."""
    parts = PLACEHOLDER.split(msgid)
    literal = "".join(parts)
    if sum(ch.isalpha() for ch in literal) < MIN_LETTERS or not re.search(r"[A-Za-z]{3}", literal):
        return None
    body = r".{0,80}?".join(r"\s+".join(map(re.escape, part.split())) for part in parts)
    return re.compile(r"(?<![\w])" + body.strip() + r"(?![\w])")


@cache
def _untranslated_patterns() -> tuple[tuple[str, re.Pattern], ...]:
    """(msgid, regex) for every catalogue entry whose Vietnamese text differs from its English msgid."""
    with CATALOGUE.open("rb") as fh:
        catalog = gnu_gettext.GNUTranslations(fh)._catalog  # noqa: SLF001 - the compiled catalogue itself
    found = {}
    for key, msgstr in catalog.items():
        msgid = key[0] if isinstance(key, tuple) else key
        if not msgid or msgid in NOT_ENGLISH or msgid == msgstr:
            continue
        msgid = msgid.split("\x04", 1)[-1]  # drop a message context
        for line in msgid.splitlines():
            if line.strip() and (pattern := _pattern(line.strip())):
                found[line.strip()] = pattern
    return tuple(sorted(found.items()))


def english_leaks(text: str) -> list[str]:
    """The catalogue's English msgids found in `text` (an untranslated message showing through)."""
    return [msgid for msgid, pattern in _untranslated_patterns() if pattern.search(text)]


def sign_in(browser, base: str, username: str, password: str, timeout_ms: int) -> dict:
    """A storage state (cookies) of `username` signed in, for new contexts of any viewport."""
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
    """The paths of the navigation menu of the page shown (the brand's home link first)."""
    hrefs = page.eval_on_selector_all(
        "header.topbar a.brand[href], header.topbar nav a[href]", "els => els.map(e => e.getAttribute('href'))"
    )
    return list(dict.fromkeys(h for h in hrefs if h.startswith("/")))
