"""The denouncer's identity is secret (issue 12 item 4 and its acceptance): a letter is received whose
signatory has distinctive strings, handled to a discipline case, its deadline extended, its senders shown once
(so the audit history and the log hold rows); then, as each role — the committee office, a cell secretary, a
leader, the administrator, a plain member, the inspection committee of another committee and of a subordinate
committee, and the permitted one (the inspection role of the handling committee) — every page the URL resolver
knows and every GET operation of the OpenAPI document is fetched with the ids of existing objects, plus the
search and chooser pages asked for the strings. The strings never appear, in any body (DOCX and XLSX opened),
except for the permitted role on the sender views (the page with `?show=sender`, the API's `/sender` and the
notices to the sender), and each of those left one log row."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from urllib.parse import unquote

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from dangvu.accounts.models import ApiToken
from dangvu.discipline.models import Form
from dangvu.letters import services
from dangvu.letters.models import SenderView, Signed
from dangvu.letters.tests.conftest import NAME, RECEIVED, SECRETS, receive

pytestmark = pytest.mark.django_db

SKIP_NAMES = {"logout"}  # GET on these would end the session


def _patterns(patterns, prefix: str = ""):
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _patterns(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), p


def page_urls(ids: list[int]) -> list[str]:
    """Every page (not the API) with its integer parameters set to each id of `ids` (the first parameter;
    further ones take the first id), other parameters a plain word."""
    urls = set()
    for route, p in _patterns(get_resolver().url_patterns):
        if route.startswith("api/") or p.name in SKIP_NAMES:
            continue
        converters = p.pattern.converters if hasattr(p.pattern, "converters") else {}
        names = list(converters)
        if not names:
            if "(" in route or "^" in route:
                continue
            urls.add("/" + route)
            continue
        for first in ids:
            path = route
            for i, name in enumerate(names):
                kind = type(converters[name]).__name__
                value = str(first if i == 0 else ids[0]) if kind == "IntConverter" else "xlsx"
                path = path.replace(f"<{'int' if kind == 'IntConverter' else _conv(kind)}:{name}>", value)
            if "<" not in path:
                urls.add("/" + path)
    return sorted(urls)


def _conv(kind: str) -> str:
    return {"StringConverter": "str", "SlugConverter": "slug", "PathConverter": "path"}.get(kind, "str")


def api_paths(ids: list[int]) -> list[str]:
    from dangvu.api.api import api

    paths = set()
    for path, operations in api.get_openapi_schema()["paths"].items():
        if "get" not in operations:
            continue
        names = [part[1:-1] for part in path.split("/") if part.startswith("{")]
        for first in ids:
            concrete = path
            for i, name in enumerate(names):
                concrete = concrete.replace("{" + name + "}", str(first if i == 0 else ids[0]))
            paths.add(concrete)
    return sorted(paths)


def texts(response) -> str:
    """Everything a response shows: the body, the files inside a DOCX or XLSX, the headers."""
    body = b"".join(response.streaming_content) if response.streaming else response.content
    parts = [body.decode(errors="replace"), str(dict(response.headers))]
    if body[:4] == b"PK\x03\x04":
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            parts += [archive.read(n).decode(errors="replace") for n in archive.namelist()]
    return "\n".join(parts)


@pytest.fixture
def world(tree, people, cast, inspectors):
    letter = receive(tree.a, cast.inspector, about=people["duc"])
    services.screen(letter, screened_on=RECEIVED, actor=cast.inspector)
    services.route(letter, route="handle", routed_on=RECEIVED, handlers=[people["binh"]], actor=cast.inspector)
    services.extend(letter, days=5, reason="Xác minh thêm", notice_on=RECEIVED, actor=cast.inspector)
    letter = services.conclude(
        letter,
        outcome="discipline",
        concluded_on=RECEIVED + dt.timedelta(days=7),
        conclusion="Tố cáo đúng",
        case=services.CaseSpec("economy_finance", "Dùng xe công việc riêng.", dt.date(2026, 1, 5), Form.REPRIMAND),
        result_notice_on=RECEIVED + dt.timedelta(days=8),
        actor=cast.inspector,
    )
    other = receive(tree.a, cast.inspector, about=people["binh"], number="09/ĐT", signed=Signed.ANONYMOUS)
    services.designate_head(tree.a, cast.inspector, valid_from=dt.date(2020, 1, 1), actor=cast.admin)
    services.read_senders(letter, cast.inspector, "page")  # an earlier showing: its log row exists
    return letter, other


def test_the_senders_appear_nowhere_but_on_the_permitted_sender_views(client, tree, people, cast, inspectors, world):
    letter, other = world
    ids = sorted({letter.pk, other.pk, letter.case_id, people["duc"].pk, tree.a.pk})
    pages = page_urls(ids)
    searches = [
        f"/members/?q={NAME}",
        f"/members/?q={SECRETS[3]}",
        f"/letters/?q={SECRETS[3]}",
        f"/choices/members/?for=members.view&q={SECRETS[3]}",
        f"/choices/organisations/?for=orgs.view&q={SECRETS[3]}",
    ]
    apis = api_paths(ids)
    assert len(pages) + len(apis) >= 150, (len(pages), len(apis))
    sender_pages = {
        f"/letters/{letter.pk}/?show=sender",
        f"/letters/{letter.pk}/receipt.docx",
        f"/letters/{letter.pk}/extension.docx",
        f"/letters/{letter.pk}/result.docx",
    }
    pages = [p for p in pages if p not in sender_pages]
    readers = {
        "office": cast.office,
        "secretary": cast.secretary,
        "leader": cast.leader,
        "admin": cast.admin,
        "member": cast.member,
        "inspector_other": inspectors["inspector_other"],
        "inspector_below": inspectors["inspector_below"],
        "inspector": cast.inspector,
    }
    before = SenderView.objects.filter(letter=letter).count()
    leaks, shown, fetched = [], [], 0
    for who, user in readers.items():
        client.force_login(user)
        for url in [*pages, *searches, *sorted(sender_pages)]:
            response = client.get(url)
            assert response.status_code < 500, (who, url)
            fetched += 1
            asked = unquote(url.partition("q=")[2])  # a search box shows back what was asked: not a leak
            found = [s for s in SECRETS if s in texts(response) and not (asked and s in asked)]
            if found and who == "inspector" and url in sender_pages:
                shown.append(url)
            elif found:
                leaks.append((who, url, response.status_code))
        client.logout()
        _token, key = ApiToken.issue(user)
        headers = {"Authorization": f"Bearer {key}"}
        for path in apis:
            response = client.get(path, headers=headers)
            assert response.status_code < 500, (who, path)
            fetched += 1
            found = [s for s in SECRETS if s in texts(response)]
            if found and who == "inspector" and path == f"/api/v1/letters/{letter.pk}/sender":
                shown.append(path)
            elif found:
                leaks.append((who, path, response.status_code))
    assert leaks == []
    # The permitted role saw them on each sender view, and each of those showings left one log row.
    assert sorted(shown) == sorted([*sender_pages, f"/api/v1/letters/{letter.pk}/sender"])
    assert SenderView.objects.filter(letter=letter).count() - before == len(shown)
    assert set(SenderView.objects.values_list("viewer", flat=True)) == {cast.inspector.pk}
    assert fetched > 1000
