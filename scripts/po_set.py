"""Set translations in the Vietnamese catalogue from a Python dict file (developer tool).

    .venv/bin/python scripts/po_set.py translations.py

The file defines TRANSLATIONS = {msgid: msgstr} (an entry with a context is keyed "context\x04msgid", the
gettext convention); matching entries get the msgstr, lose their `fuzzy` flag
and their `#|` previous-msgid lines. Plural entries get the same text in msgstr[0] (Vietnamese has one form).
"""

from __future__ import annotations

import re
import runpy
import sys
from pathlib import Path

PO = Path(__file__).resolve().parent.parent / "dangvu/locale/vi/LC_MESSAGES/django.po"


def _unquote(lines: list[str]) -> str:
    return "".join(re.match(r'^(?:msgid|msgid_plural|msgstr(?:\[\d\])?)?\s*"(.*)"$', line).group(1) for line in lines)


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def main(path: str) -> None:
    wanted: dict[str, str] = runpy.run_path(path)["TRANSLATIONS"]
    blocks = PO.read_text(encoding="utf-8").split("\n\n")
    done = set()
    for i, block in enumerate(blocks):
        lines = block.split("\n")
        start = next((j for j, line in enumerate(lines) if line.startswith("msgid ")), None)
        if start is None:
            continue
        end = next(j for j, line in enumerate(lines) if line.startswith(("msgid_plural", "msgstr")))
        raw = _unquote(lines[start:end])
        msgid = raw.encode().decode("unicode_escape").encode("latin-1").decode("utf-8") if "\\" in raw else raw
        contexts = [_unquote([line[len("msgctxt ") :]]) for line in lines[:start] if line.startswith("msgctxt ")]
        context = contexts[0] if contexts else ""
        if context:
            msgid = f"{context}\x04{msgid}"
        if msgid not in wanted:
            continue
        text = wanted[msgid]
        head = [line for line in lines[:start] if not line.startswith("#|")]  # msgctxt lines are kept
        head = [re.sub(r",? fuzzy", "", line) if line.startswith("#,") else line for line in head]
        head = [line for line in head if line.strip() not in ("#", "#,")]
        body = lines[start:]
        plural = any(line.startswith("msgid_plural") for line in body)
        first_str = next(j for j, line in enumerate(body) if line.startswith("msgstr"))
        new = body[:first_str] + [("msgstr[0] " if plural else "msgstr ") + _quote(text)]
        blocks[i] = "\n".join(head + new)
        done.add(msgid)
    PO.write_text("\n\n".join(blocks), encoding="utf-8")
    missing = set(wanted) - done
    if missing:
        sys.exit(f"not found in the catalogue: {sorted(missing)}")


if __name__ == "__main__":
    main(sys.argv[1])
