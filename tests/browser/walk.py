"""What the walk test checks on a page (the sizes, the sign-in and the menu come from dangvu.web.screens,
shared with `dangvu screenshots`):

- `english_leaks(text)`: the catalogue's msgids showing through untranslated in the visible text;
- `OVERFLOW_JS`: the page's horizontal overflow, with the elements that stick out;
- `MENU_ROWS_JS`: the distinct offsetTop values of the navigation menu's items (one value: one row).
"""

from __future__ import annotations

import gettext as gnu_gettext
import re
from functools import cache
from pathlib import Path

import dangvu
from dangvu.web.screens import VIEWPORTS, menu_links, sign_in  # noqa: F401 - the walk's names for them

CATALOGUE = Path(dangvu.__file__).parent / "locale" / "vi" / "LC_MESSAGES" / "django.mo"

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


# Issue 9 item 17: the menu must not wrap to several rows on a tablet or a desktop (it scrolls sideways).
MENU_ROWS_JS = """() => {
  const items = [...document.querySelectorAll('header.topbar nav a')].filter(a => a.offsetParent !== null);
  return [...new Set(items.map(a => a.offsetTop))].sort((a, b) => a - b);
}"""
ONE_ROW_SIZES = ("tablet", "desktop")


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


SKIP_LINK = re.compile(
    r"^/(accounts/logout|api/v1/)|\.(docx|xlsx|pdf|csv|png|svg)\b|/(download|export|file)s?/|[?&]format="
)


def shape(path: str) -> str:
    """A page's kind: its path with every number as N ("/members/12/" -> "/members/N/"), no query."""
    return re.sub(r"\d+", "N", path.split("?", 1)[0].split("#", 1)[0])


def links_in_main(page) -> list[str]:
    """The site's pages linked from the page's content (downloads, the API and logging out left aside)."""
    hrefs = page.eval_on_selector_all("main a[href]", "els => els.map(e => e.getAttribute('href'))")
    return [h.split("#", 1)[0] for h in hrefs if h.startswith("/") and not SKIP_LINK.search(h)]
