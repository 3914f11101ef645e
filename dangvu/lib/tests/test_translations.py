"""The Vietnamese catalogue (dangvu/locale/vi/LC_MESSAGES/django.po) is complete, consistent and in use.

The .po file is the source; the .mo is build output made by `dangvu compilemessages --ignore=.venv`
(scripts/setup.sh runs it before the tests).
"""

import ast
import gettext as gnu_gettext
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext, ngettext

LC_MESSAGES = Path(settings.BASE_DIR) / "dangvu" / "locale" / "vi" / "LC_MESSAGES"
PO_FILE = LC_MESSAGES / "django.po"
MO_FILE = LC_MESSAGES / "django.mo"

# In python-format entries: %(name)s, %s, %d, %%; in every entry: %(name)s and {name} / {0} / {obj.attr}.
PYTHON_FORMAT = re.compile(r"%\([^)]+\)[-#0 +]*\d*(?:\.\d+)?[sdifrxXeEgGc]|%[-#0 +]*\d*(?:\.\d+)?[sdifrxXeEgGc%]")
NAMED = re.compile(r"%\([^)]+\)[sdif]|\{[\w.]*\}")
HTML_TAG = re.compile(r"</?[a-zA-Z][^>]*>")
FIELD = re.compile(r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s+(\".*\")$")


@dataclass
class Entry:
    line: int
    flags: set[str] = field(default_factory=set)
    fields: dict[str, str] = field(default_factory=dict)

    @property
    def msgid(self) -> str:
        return self.fields.get("msgid", "")

    @property
    def sources(self) -> list[str]:
        return [self.fields[k] for k in ("msgid", "msgid_plural") if k in self.fields]

    @property
    def translations(self) -> list[str]:
        return [v for k, v in self.fields.items() if k.startswith("msgstr")]

    def __str__(self) -> str:
        return f"line {self.line}: {self.msgid!r}"


def parse_po(text: str) -> list[Entry]:
    """A small PO parser: enough for the files that xgettext/msgmerge write (obsolete `#~` entries skipped)."""
    entries: list[Entry] = []
    current: Entry | None = None
    key: str | None = None
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#~"):
            current, key = None, None
            continue
        if current is None:
            current = Entry(line=number)
            entries.append(current)
        if line.startswith("#,"):
            current.flags |= {flag.strip() for flag in line[2:].split(",") if flag.strip()}
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            assert key is not None, f"line {number}: continuation without a keyword"
            current.fields[key] += ast.literal_eval(line)
        else:
            match = FIELD.match(line)
            assert match, f"line {number}: cannot parse {line!r}"
            key = match.group(1)
            current.fields[key] = ast.literal_eval(match.group(2))
    return [e for e in entries if "msgid" in e.fields]


@pytest.fixture(scope="module")
def po_entries() -> list[Entry]:
    assert PO_FILE.is_file(), f"{PO_FILE} is missing"
    return parse_po(PO_FILE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def messages(po_entries) -> list[Entry]:
    return [e for e in po_entries if e.msgid != ""]


def test_header_declares_vietnamese_utf8_and_one_plural_form(po_entries):
    header = po_entries[0]
    assert header.msgid == ""
    meta = header.fields["msgstr"]
    assert "Language: vi\n" in meta
    assert "charset=UTF-8" in meta
    assert "Plural-Forms: nplurals=1; plural=0;" in meta
    assert "fuzzy" not in header.flags


def test_catalogue_is_not_trivially_small(messages):
    # The whole UI is in it: the party vocabulary at least.
    ids = {e.msgid for e in messages}
    for msgid in ("Party cell", "Probationary member", "Official member", "Log in", "Merger"):
        assert msgid in ids, f"{msgid!r} is missing from {PO_FILE.name}: run makemessages"


def test_every_message_is_translated_and_none_is_fuzzy(messages):
    untranslated = [str(e) for e in messages if not all(e.translations) or not e.translations]
    fuzzy = [str(e) for e in messages if "fuzzy" in e.flags]
    assert untranslated == [], "untranslated entries:\n" + "\n".join(untranslated)
    assert fuzzy == [], "fuzzy entries (check, then remove the flag):\n" + "\n".join(fuzzy)


def test_plural_entries_have_exactly_one_form(messages):
    plural = [e for e in messages if "msgid_plural" in e.fields]
    assert plural, "the catalogue should contain the member-count plurals"
    wrong = [str(e) for e in plural if sorted(k for k in e.fields if k.startswith("msgstr")) != ["msgstr[0]"]]
    assert wrong == [], "nplurals=1: plural entries need only msgstr[0]:\n" + "\n".join(wrong)


def placeholders(entry: Entry, text: str) -> set[str]:
    found = set(NAMED.findall(text))
    if "python-format" in entry.flags:
        found |= set(PYTHON_FORMAT.findall(text))
    return found


def test_placeholders_and_html_are_kept(messages):
    problems = []
    for e in messages:
        # the plural form may use a count placeholder that the singular omits: take the union
        wanted = sorted(set().union(*(placeholders(e, source) for source in e.sources)))
        tags = sorted(HTML_TAG.findall(e.msgid))
        for msgstr in e.translations:
            got = sorted(placeholders(e, msgstr))
            if got != wanted:
                problems.append(f"{e}: placeholders {wanted} != {got} in {msgstr!r}")
            if sorted(HTML_TAG.findall(msgstr)) != tags:
                problems.append(f"{e}: HTML {tags} not kept in {msgstr!r}")
    assert problems == [], "\n".join(problems)


def test_python_format_flag_matches_placeholders(messages):
    # xgettext flags %-formatted strings; a flag without placeholders would mean a broken parse.
    for e in messages:
        if "python-format" in e.flags:
            assert PYTHON_FORMAT.search(" ".join(e.sources)), str(e)


def test_compiled_catalogue_is_current(messages):
    assert MO_FILE.is_file(), f"{MO_FILE} is missing: run `dangvu compilemessages --ignore=.venv`"
    with MO_FILE.open("rb") as handle:
        catalogue = gnu_gettext.GNUTranslations(handle)
    stale = []
    for e in messages:
        if "msgctxt" in e.fields:
            got = catalogue.pgettext(e.fields["msgctxt"], e.msgid)
        elif "msgid_plural" in e.fields:
            got = catalogue.ngettext(e.msgid, e.fields["msgid_plural"], 1)
        else:
            got = catalogue.gettext(e.msgid)
        if got != e.translations[0]:
            stale.append(str(e))
    assert stale == [], (
        f"{MO_FILE.name} is older than {PO_FILE.name}: run `dangvu compilemessages --ignore=.venv`\n"
        + "\n".join(stale[:20])
    )


def test_gettext_translates_to_vietnamese_and_back_to_english():
    with translation.override("vi"):
        assert gettext("Log in") == "Đăng nhập"
        assert gettext("Party cell") == "Chi bộ"
        assert gettext("Probationary member") == "Đảng viên dự bị"
        assert ngettext("%(counter)s member", "%(counter)s members", 3) % {"counter": 3} == "3 đảng viên"
    with translation.override("en"):
        assert gettext("Log in") == "Log in"
        assert ngettext("%(counter)s member", "%(counter)s members", 3) % {"counter": 3} == "3 members"


def test_the_default_language_is_vietnamese():
    assert settings.LANGUAGE_CODE == "vi"
    assert [code for code, _name in settings.LANGUAGES] == ["vi", "en"]


@pytest.mark.django_db
def test_login_page_is_vietnamese_by_default(client):
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Đăng nhập" in page
    assert "Mật khẩu" in page
    assert "Log in" not in page
    assert response["Content-Language"] == "vi"


@pytest.mark.django_db
def test_login_page_is_english_when_the_user_chose_english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Log in" in page
    assert "Đăng nhập" not in page
    assert response["Content-Language"] == "en"
