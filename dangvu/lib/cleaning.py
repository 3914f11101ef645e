"""Input cleaning at the boundary: characters that have no place in party records.

- C0 control characters except tab, line feed and carriage return (NUL breaks PostgreSQL text, BEL and ESC
  reach terminals and logs), DEL and the C1 controls;
- bidirectional overrides, embeddings and isolates and the directional marks (they reorder what a reader
  sees: a name or a document number can be made to display differently from what is stored);
- zero-width characters (space, joiners, word joiner, byte-order mark): they make two equal-looking names
  different to the search and to the uniqueness checks.

Query parameters and page forms are cleaned by `dangvu.web.boundary.CleanInputMiddleware` (stripped: a search
with a stray character still finds what it can); API request bodies are refused with 422 by the schemas
(`dangvu.api.types`), because a program that sends them should learn it.
"""

from __future__ import annotations

import re

UNSAFE = re.compile(
    "["
    "\x00-\x08\x0b\x0c\x0e-\x1f"  # C0 controls except \t \n \r
    "\x7f-\x9f"  # DEL and C1 controls
    "\u061c\u200e\u200f"  # Arabic letter mark, left-to-right and right-to-left marks
    "\u202a-\u202e"  # bidirectional embeddings and overrides
    "\u2066-\u2069"  # bidirectional isolates
    "\u200b-\u200d\u2060\ufeff"  # zero-width space, non-joiner, joiner, word joiner, byte-order mark
    "]"
)


def has_unsafe(value: str) -> bool:
    return UNSAFE.search(value) is not None


def strip_unsafe(value: str) -> str:
    return UNSAFE.sub("", value)


def describe(value: str) -> str:
    """The first unsafe character as U+XXXX, for messages."""
    match = UNSAFE.search(value)
    return f"U+{ord(match.group()):04X}" if match else ""
