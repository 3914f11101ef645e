"""The scope matrix of the issue-16 attack, kept (issue 16 acceptance, docs/security.md "Scope").

A small world is built with the shared fixtures (the test tree, its people and cast, plus an inspection user of
committee B) and one or more objects of each main kind on both sides of the tree: members, organisations,
meetings, admission files, transfers, discipline cases, inspections, letters and documents of the register
(with their targets pages). Then, as each user:

1. every page of the URL resolver and every GET operation of the OpenAPI document whose first path parameter
   is an object of one of those kinds is fetched for every object of that kind. An object the user may see
   answers 200 on its main page and API record, and never 404 elsewhere; an object the user may not see
   answers exactly what an object that does not exist answers (a 404, or the 403 of a role without the
   capability whatever the object), never 2xx or 3xx, and its identifying string is not in the body;
2. every page without parameters (lists, exports, forms with their choosers) and every API list is fetched, and
   no identifying string of an object outside the user's subtree is in the body (DOCX and XLSX opened).

Who may see what (VISIBLE) is written by hand from the capability table (dangvu/accounts/permissions.py) and
the tree; the endpoints are derived from the URL resolver and the OpenAPI document, so a new page or operation
is in the matrix the day it is added — or, when its first parameter is of a kind the matrix does not build,
the test fails until it is classified (PAGE_KINDS, API_KINDS) or excluded with its reason (NOT_IN_MATRIX).
The number of combinations is printed and held above a floor so the matrix cannot silently shrink.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

import pytest
from cryptography.fernet import Fernet
from django.urls import URLPattern, URLResolver, get_resolver

from dangvu import testing
from dangvu.accounts.models import ApiToken, Role
from dangvu.admission import services as admission
from dangvu.api.tests.meeting_helpers import SOON, plan
from dangvu.discipline import services as discipline
from dangvu.discipline.models import Form
from dangvu.docregister import services as register
from dangvu.docregister.tests.conftest import entry, terms  # noqa: F401  (fixture)
from dangvu.inspection import services as inspection
from dangvu.inspection.tests.conftest import plan as inspection_plan
from dangvu.letters import services as letters
from dangvu.letters.models import Channel, Kind, Signed
from dangvu.lib import fieldcrypt
from dangvu.transfers import services as transfers
from dangvu.transfers.models import TransferKind

pytestmark = pytest.mark.django_db

MISSING = 987_654  # an id no object has: what a user is told about an object they may not see
# Floors: the matrix below checks more than these (printed by the test); a smaller matrix fails.
MIN_COMBINATIONS = 2_500
MIN_ENDPOINTS = 60

# The kind of object named by a page's first integer parameter: the longest matching route prefix wins.
PAGE_KINDS = {
    "orgs/<int:pk>/": "org",
    "reviews/report/<int:org>/": "org",
    "members/<int:pk>/": "member",
    "transfers/members/<int:member_pk>/": "member",
    "documents/members/<int:pk>/": "member",
    "admission/<int:pk>/": "candidate",
    "transfers/<int:pk>/": "transfer",
    "documents/transfers/<int:pk>/": "transfer",
    "meetings/<int:pk>/": "meeting",
    "documents/meetings/<int:pk>/": "meeting",
    "discipline/<int:pk>/": "case",
    "inspection/<int:pk>/": "activity",
    "letters/<int:pk>/": "letter",
    "register/<int:pk>/": "document",
    "targets/resolutions/<int:pk>/": "document",
    "library/<int:pk>/": "document",  # the library's page of a register document (issue 14)
    "fees/orgs/<int:pk>/": "org",
    "fees/members/<int:pk>/": "member",
}
# The kind named by an API path's first parameter.
API_KINDS = {
    "org_id": "org",
    "member_id": "member",
    "candidate_id": "candidate",
    "transfer_id": "transfer",
    "meeting_id": "meeting",
    "case_id": "case",
    "activity_id": "activity",
    "letter_id": "letter",
    "document_id": "document",
    "resolution_id": "document",  # the targets of a resolution of the register
}
# Route prefixes and API parameters whose objects this matrix does not build, each with where it is proved.
NOT_IN_MATRIX = {
    "imports/": "an import belongs to its uploader: dangvu/imports/tests/test_pages.py",
    "admission/file/": "a step's file: dangvu/admission/tests",
    "documents/admission/": "a step's DOCX: dangvu/documents/tests",
    "meetings/documents/": "meeting documents: dangvu/meetings/tests/test_documents.py",
    "reviews/": "campaigns and reviews: dangvu/reviews/tests",
    "inspection/programmes/": "programmes: dangvu/inspection/tests",
    "inspection/suggestions/": "suggestions: dangvu/inspection/tests",
    "register/files/": "register files: dangvu/docregister/tests/test_views.py",
    "library/files/": "library files: dangvu/library/tests/test_pages.py",
    "targets/reports/": "official reports on a resolution: dangvu/targets/tests/test_reports.py",
    "targets/<int:pk>/": "a target's values and records: dangvu/targets/tests",
    "rules/": "rule sets and the calendar are national, not scoped",
    "study/": "campaigns, courses, enrolments: dangvu/study/tests/test_access.py, test_training.py",
    "congress/": "congresses and elections: dangvu/congress/tests/test_views.py",
    "orgs/reorganise/": "a form per kind of reorganisation, no object",
    "vote_id": "votes: dangvu/api/tests/test_votes*.py, dangvu/meetings/tests/test_secret.py",
    "org_review_id": "reviews: dangvu/reviews/tests",
    "review_id": "reviews: dangvu/reviews/tests",
    "suggestion_id": "suggestions: dangvu/inspection/tests",
    "file_id": "an inspection's documents: dangvu/inspection/tests/test_files.py",
    "campaign_id": "study campaigns: dangvu/api/tests/test_study_api.py",
    "course_id": "courses: dangvu/api/tests/test_study_api.py",
    "congress_id": "congresses: dangvu/api/tests/test_congress_api.py",
    "round_id": "election rounds: dangvu/api/tests/test_congress_api.py",
    "target_id": "a target's results and records: dangvu/targets/tests, dangvu/api/tests/test_targets_api.py",
    "notifications/": "a user's own notifications and the questions of the two-way channel: dangvu/notify/tests",
    "question_id": "questions of the two-way channel: dangvu/notify/tests/test_api.py",
    "report_id": "official reports on a resolution: dangvu/api/tests/test_target_reports_api.py",
}
# The main page and API record of each kind: 200 for an object the user may see.
MAIN = {
    "org": ("/orgs/{}/", "/api/v1/orgs/{}"),
    "member": ("/members/{}/", "/api/v1/members/{}"),
    "candidate": ("/admission/{}/", "/api/v1/candidates/{}"),
    "transfer": ("/transfers/{}/", "/api/v1/transfers/{}"),
    "meeting": ("/meetings/{}/", "/api/v1/meetings/{}"),
    "case": ("/discipline/{}/", "/api/v1/discipline/cases/{}"),
    "activity": ("/inspection/{}/", "/api/v1/inspection/activities/{}"),
    "letter": ("/letters/{}/", "/api/v1/letters/{}"),
    "document": ("/register/{}/", "/api/v1/register/documents/{}"),
}
# Documents that exist only once their object reaches a state this world does not reach: a 404 for an object
# the user may see is their answer then (for an object the user may not see they are checked like the rest).
NOT_YET = {
    "/meetings/{}/minutes.docx": "the minutes of a meeting that was not held",
    "/documents/meetings/{}/minutes.docx": "the minutes of a meeting that was not held",
    "/documents/meetings/{}/resolution.docx": "the resolution of a meeting that was not held",
    "/discipline/{}/decision.docx": "the decision of an open case",
    "/inspection/{}/conclusion.docx": "the conclusion of an inspection not concluded",
    "/letters/{}/extension.docx": "the extension notice of a letter not extended",
    "/letters/{}/result.docx": "the result notice of a letter not concluded",
    "/letters/{}/sender-views/": "the log of sender views: for the designated head of inspection only, none here",
    "/api/v1/letters/{}/sender-views": "the log of sender views: for the designated head of inspection only",
    "/fees/members/{}/removal.docx": "the proposal of removal of a member who paid nothing for 3 months of the year",
}
# Lists allowed to name organisations outside the subtree, with the reason.
WHOLE_SYSTEM = {
    "/transfers/cells/": "the destination chooser of a transfer: any cell of the system (names only)",
}
SKIP_PAGES = {"accounts/logout/", "accounts/login/", "i18n/setlang/"}  # would end or change the session

A_ORGS = {"a", "a_base", "c1", "c2", "a_cell_base"}
B_ORGS = {"b", "b_base", "c3"}
# Objects by side of the tree: key -> (kind, organisation key, identifying string).
OBJECTS = {
    "city": ("org", "city", "Đảng bộ thành phố Thử"),
    "a": ("org", "a", "Đảng bộ các cơ quan A"),
    "a_base": ("org", "a_base", "Đảng bộ Sở Một"),
    "c1": ("org", "c1", "Chi bộ Phòng Một"),
    "c2": ("org", "c2", "Chi bộ Phòng Hai"),
    "a_cell_base": ("org", "a_cell_base", "Chi bộ Ban Hai"),
    "b": ("org", "b", "Đảng bộ khối B"),
    "b_base": ("org", "b_base", "Đảng bộ Công ty Ba"),
    "c3": ("org", "c3", "Chi bộ Phân xưởng Ba"),
    "an": ("member", "c1", "Nguyễn Văn An"),
    "binh": ("member", "c1", "Trần Thị Bình"),
    "duc": ("member", "c2", "Lê Minh Đức"),
    "em": ("member", "c3", "Phạm Thị Em"),
    "m1": ("meeting", "c1", "Phòng họp Quýt-Một"),
    "m2": ("meeting", "c2", "Phòng họp Quýt-Hai"),
    "m3": ("meeting", "c3", "Phòng họp Quýt-Ba"),
    "k1": ("candidate", "c1", "Võ Thị Kỳnam"),
    "k3": ("candidate", "c3", "Đinh Văn Kỳbắc"),
    "t_a": ("transfer", "c2", "Vũ Văn Hảiđi"),
    "t_b": ("transfer", "c3", "Hồ Văn Giangđi"),
    "d_a": ("case", "c2", "Sự việc Kỷluật-Sở-Một"),
    "d_b": ("case", "c3", "Sự việc Kỷluật-Công-ty-Ba"),
    "i_a": ("activity", "a", "Kiểm tra Tiêuđề-Sở-Một"),
    "i_b": ("activity", "b", "Kiểm tra Tiêuđề-Công-ty-Ba"),
    "l_a": ("letter", "a", "Nộidung thư Sở-Một"),
    "l_b": ("letter", "b", "Nộidung thư Công-ty-Ba"),
    "r_a": ("document", "a", "Nghị quyết Sốhoá-Sở-Một"),
    "r_b": ("document", "b", "Nghị quyết Sốhoá-Công-ty-Ba"),
}
A_SIDE = {k for k, (_kind, o, _s) in OBJECTS.items() if o in A_ORGS}
B_SIDE = {k for k, (_kind, o, _s) in OBJECTS.items() if o in B_ORGS}
C1_SIDE = {k for k, (_kind, o, _s) in OBJECTS.items() if o == "c1"}

# Who may open which object (by hand, from CAPABILITIES and the tree). Committee A's office: its subtree, but
# not the discipline case files (discipline.cases) nor the letters (letters.view). The inspection committee
# and the leaders of A: all of A's subtree. The cell secretary of C1: the cell, its members, meetings and
# admission files (no inspection, case file, letter or register document of committee A). A plain member of
# C1: their own record and the meeting of their cell they are invited to.
VISIBLE = {
    "admin": set(OBJECTS),
    "office": A_SIDE - {"d_a", "l_a"},
    "outsider": B_SIDE - {"d_b", "l_b"},
    "inspector": set(A_SIDE),
    "leader": set(A_SIDE),
    "inspector_b": set(B_SIDE),
    "secretary": set(C1_SIDE),
    "member": {"an", "m1"},
    "nobody": set(),
}
# Whose identifying strings must not be in a user's lists and exports: everything outside the subtree
# (the names of the organisations above it are shown as context and are not counted).
FORBIDDEN_IN_LISTS = {
    "admin": set(),
    "office": B_SIDE,
    "outsider": A_SIDE,
    "inspector": B_SIDE,
    "leader": B_SIDE,
    "inspector_b": A_SIDE,
    "secretary": (A_SIDE | B_SIDE) - C1_SIDE - {"a", "a_base"},
    "member": (A_SIDE | B_SIDE) - C1_SIDE - {"a", "a_base"},
    "nobody": (A_SIDE | B_SIDE) - {"a", "a_base", "c1"},
}


@pytest.fixture
def world(tree, people, cast, terms, monkeypatch):  # noqa: F811
    monkeypatch.setenv("DANGVU_FIELD_KEYS", Fernet.generate_key().decode())
    fieldcrypt.reset()
    inspector_b = testing.user("insp_b", Role.INSPECTION, tree.b)
    ids = {key: getattr(tree, key).pk for key, (kind, *_r) in OBJECTS.items() if kind == "org"}
    ids.update({key: people[key].pk for key in ("an", "binh", "duc", "em")})
    for key, cell in (("m1", tree.c1), ("m2", tree.c2), ("m3", tree.c3)):
        ids[key] = plan(cell, SOON, place=OBJECTS[key][2]).pk
    for key, cell, actor in (("k1", tree.c1, cast.office), ("k3", tree.c3, cast.outsider)):
        fields = {"full_name": OBJECTS[key][2], "sex": "F", "birth_date": dt.date(1998, 4, 5), "occupation": "Kỹ sư"}
        ids[key] = admission.create_candidate(fields, cell, actor, date=dt.date(2024, 1, 10)).pk
    moving = {"t_a": (tree.c2, cast.office, tree.a_cell_base, ""), "t_b": (tree.c3, cast.outsider, None, "Tỉnh khác")}
    for key, (cell, actor, to, external) in moving.items():
        mover = testing.member(cell, OBJECTS[key][2])
        ids[key] = transfers.issue(
            mover,
            actor,
            kind=TransferKind.OFFICIAL,
            letter_number="45-GT/ĐU",
            letter_date=dt.date(2026, 1, 20),
            to_organisation=to,
            to_external=external,
        ).pk
    for key, who, actor in (("d_a", "duc", cast.inspector), ("d_b", "em", inspector_b)):
        ids[key] = discipline.open_case(
            member=people[who],
            category="party_duties",
            facts=OBJECTS[key][2],
            violation_date=dt.date(2025, 3, 10),
            proposed_form=Form.REPRIMAND,
            opened_on=dt.date(2026, 6, 1),
            actor=actor,
        ).pk
    for key, committee, subject, actor in (
        ("i_a", tree.a, tree.c2, cast.inspector),
        ("i_b", tree.b, tree.c3, inspector_b),
    ):
        activity = inspection_plan(committee, organisations=[subject], title=OBJECTS[key][2])
        ids[key] = inspection.create_activity(activity, actor).pk
    for key, committee, about, actor in (("l_a", tree.a, "duc", cast.inspector), ("l_b", tree.b, "em", inspector_b)):
        ids[key] = letters.receive(
            committee,
            number="05/ĐT",
            received_on=dt.date(2026, 3, 2),
            channel=Channel.POST,
            kind=Kind.DENUNCIATION,
            signed=Signed.ANONYMOUS,
            senders=[],
            content=OBJECTS[key][2],
            about_member=people[about],
            actor=actor,
        ).pk
    for key, committee, actor in (("r_a", tree.a, cast.office), ("r_b", tree.b, cast.outsider)):
        ids[key] = register.register(entry(committee, title=OBJECTS[key][2]), actor).pk
    users = {name: u for name, u in cast.all().items()} | {"inspector_b": inspector_b}
    yield ids, users
    fieldcrypt.reset()


def _walk(patterns, prefix: str = ""):
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _walk(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern)


def _classify(route: str) -> str | None:
    """The kind of the route's object, "" for a route excluded from the matrix, None when unknown: the longest
    matching prefix of PAGE_KINDS and NOT_IN_MATRIX decides."""
    matches = [prefix for prefix in [*PAGE_KINDS, *NOT_IN_MATRIX] if route.startswith(prefix)]
    if not matches:
        return None
    longest = max(matches, key=len)
    return PAGE_KINDS.get(longest, "")


def endpoints() -> tuple[dict[str, list[str]], list[str], list[str]]:
    """(object endpoints by kind as templates with `{}` for the object's id, lists and exports, routes whose
    first parameter is of a kind not classified nor excluded)."""
    by_kind: dict[str, list[str]] = {kind: [] for kind in MAIN}
    lists, unclassified = [], []
    for route in _walk(get_resolver().url_patterns):
        if route.startswith("api/") or route in SKIP_PAGES or "(" in route or "^" in route:
            continue
        params = re.findall(r"<(\w+):(\w+)>", route)
        if not params:
            lists.append("/" + route)
            continue
        kind = _classify(route)
        if not kind:
            if kind is None:
                unclassified.append(route)
            continue
        template = route.replace(f"<{params[0][0]}:{params[0][1]}>", "{}", 1)
        if "<" in template:  # a second parameter: only the year of the yearly report is set
            template = template.replace("<int:year>", "2026")
        if "<" in template:
            continue  # a sub-object of the object (an event, a step, a speaker's request): its own module's tests
        by_kind[kind].append("/" + template)
    from dangvu.api.api import api

    for path, operations in api.get_openapi_schema()["paths"].items():
        if "get" not in operations:
            continue
        names = re.findall(r"\{(\w+)\}", path)
        if not names:
            lists.append(path)
        elif names[0] in API_KINDS and len(names) == 1:
            by_kind[API_KINDS[names[0]]].append(path.replace("{" + names[0] + "}", "{}"))
        elif names[0] not in NOT_IN_MATRIX:
            unclassified.append(path)
    return by_kind, sorted(lists), unclassified


def texts(response) -> str:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    parts = [body.decode(errors="replace")]
    if body[:4] == b"PK\x03\x04":
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            parts += [archive.read(n).decode(errors="replace") for n in archive.namelist()]
    return "\n".join(parts)


class Fetcher:
    """GET as one user: pages with the session, the API with a bearer token."""

    def __init__(self, client, user):
        self.client = client
        client.force_login(user)
        _token, key = ApiToken.issue(user)
        self.headers = {"Authorization": f"Bearer {key}"}

    def get(self, url: str):
        if url.startswith("/api/"):
            return self.client.get(url, headers=self.headers)
        return self.client.get(url)


def test_scope_matrix(client, world):
    ids, users = world
    by_kind, lists, unclassified = endpoints()
    assert unclassified == [], "classify these in PAGE_KINDS / API_KINDS or exclude them in NOT_IN_MATRIX"
    for kind, (page, api) in MAIN.items():
        assert page in by_kind[kind] and api in by_kind[kind], kind
    # Endpoints that answer GET at all (the others are forms' POST targets: 405 for every object).
    admin = Fetcher(client, users["admin"])
    post_only = {
        template
        for kind, templates in by_kind.items()
        for template in templates
        if admin.get(template.format(next(ids[k] for k, o in OBJECTS.items() if o[0] == kind))).status_code == 405
    }
    failures, checked = [], 0
    for name, user in users.items():
        fetch = Fetcher(client, user)
        unknown_status: dict[str, int] = {}
        for key, (kind, _org, label) in OBJECTS.items():
            for template in by_kind[kind]:
                if template in post_only:
                    continue
                response = fetch.get(template.format(ids[key]))
                status, checked = response.status_code, checked + 1
                if status >= 500:
                    failures.append((name, key, template, status))
                elif key in VISIBLE[name]:
                    if (template in MAIN[kind] and status != 200) or (status == 404 and template not in NOT_YET):
                        failures.append((name, key, template, status, "visible"))
                else:
                    if template not in unknown_status:
                        unknown_status[template] = fetch.get(template.format(MISSING)).status_code
                    unknown = unknown_status[template]
                    if status != unknown or status not in (403, 404) or label in texts(response):
                        failures.append((name, key, template, status, f"hidden; missing id answers {unknown}"))
        for url in lists:
            response = fetch.get(url)
            checked += 1
            body = texts(response)
            forbidden = FORBIDDEN_IN_LISTS[name]
            if url in WHOLE_SYSTEM:
                forbidden = {k for k in forbidden if OBJECTS[k][0] != "org"}
            leaked = sorted(k for k in forbidden if OBJECTS[k][2] in body)
            if response.status_code >= 500 or leaked:
                failures.append((name, url, response.status_code, leaked))
        client.logout()
    object_endpoints = sum(len(t) for t in by_kind.values()) - len(post_only)
    print(
        f"\nscope matrix: {checked} (user, object or list, endpoint) checks; {len(users)} users; {len(OBJECTS)} "
        f"objects of {len(MAIN)} kinds; {object_endpoints} object endpoints answering GET "
        f"({len(post_only)} POST-only left out); {len(lists)} lists, exports and forms"
    )
    assert failures == []
    assert checked >= MIN_COMBINATIONS and object_endpoints + len(lists) >= MIN_ENDPOINTS
