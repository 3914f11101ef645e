"""The personal-data table (dangvu.accounts.permissions.PERSONAL_DATA) as a matrix: role × field × surface
(issue 16 item 1). Every expectation is read from the table, so a field added to it must be shown and
hidden on every surface that carries it, and a surface that forgets the table fails here.

The subject is a member of cell C1 whose every personal field holds a value found nowhere else; each cast
role (committee office, inspection, leader of committee A, secretary of C1, administrator) and the member
themself look at it on the member page, the API (record, list, events), the XLSX export and the search box
(page, API, export). The same table governs an admission candidate of C1 (its page, API and DOCX forms).
"""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from dangvu import testing
from dangvu.accounts import privacy
from dangvu.accounts.models import Role
from dangvu.accounts.permissions import CAPABILITIES, PERSONAL_DATA
from dangvu.admission.models import Candidate, Stage
from dangvu.api.tests.conftest import ApiClient
from dangvu.documents.tests.conftest import body_text, open_docx, walk
from dangvu.members import exports, services
from dangvu.members.models import EventKind, Member

pytestmark = pytest.mark.django_db
API = "/api/v1"

BIRTH = dt.date(1979, 11, 23)
VALUES = {
    "full_name": "Hoàng Thị Riêng",
    "other_names": "Bí danh Mười Một",
    "sex": "F",
    "birth_date": BIRTH,
    "birth_place": "Xã Nơi Sinh Riêng",
    "home_town": "Xã Quê Quán Riêng",
    "residence": "Số 7 Hẻm Cư Trú Riêng",
    "ethnicity": "Dân Tộc Riêng",
    "religion": "Tôn Giáo Riêng",
    "citizen_id": "092179004321",
    "occupation": "Nghề Riêng",
    "position": "Chức Vụ Riêng",
    "general_education": "12/12 Riêng",
    "professional_degree": "Thạc sĩ Riêng",
    "political_theory": "advanced",
    "foreign_language": "Tiếng Riêng B2",
    "card_number": "77001234",
}
NOTE = "Ghi chú mật về kỷ luật riêng"
CANDIDATE_FIELDS = [f.name for f in Candidate._meta.get_fields() if f.name in VALUES]
CANDIDATE_VALUES = {
    **{f: VALUES[f] for f in CANDIDATE_FIELDS},
    "full_name": "Đặng Thị Ứng Viên",
    "birth_date": dt.date(1997, 9, 14),
    "citizen_id": "092197005555",
}
DOCX_FIELDS = {"full_name", "birth_date", "home_town", "occupation", "position"}  # the identity line
# Which surfaces carry each field of the table. A new row of the table fails here until its surfaces are
# listed (and then fails on those surfaces until the table is applied there).
SURFACES = {
    **{field: {"page", "api", "xlsx"} for field in VALUES},
    "event_notes": {"page", "api"},
}
for _field in CANDIDATE_FIELDS:
    SURFACES[_field] |= {"candidate page", "candidate api"}
for _field in DOCX_FIELDS:
    SURFACES[_field] |= {"docx"}
SEARCHABLE = {"citizen_id", "card_number"}  # the search box finds a member by these

ROLE_OF = {
    "office": Role.OFFICE,
    "inspector": Role.INSPECTION,
    "leader": Role.LEADER,
    "secretary": Role.CELL_SECRETARY,
    "admin": Role.ADMIN,
}
VIEWERS = [*ROLE_OF, "self"]


def expected(viewer: str, field: str) -> bool:
    return viewer == "self" or ROLE_OF[viewer] in PERSONAL_DATA[field]


@pytest.fixture
def api(client):
    return lambda user: ApiClient(client, user)


@pytest.fixture
def subject(tree):
    member = testing.member(tree.c1, **{k: v for k, v in VALUES.items() if k not in ("birth_date",)}, birth=BIRTH)
    office = testing.user("records", Role.OFFICE, tree.a)
    services.record_event(
        member,
        actor=office,
        kind=EventKind.EXEMPTION,
        date=dt.date(2022, 3, 1),
        note=NOTE,
    )
    return Member.objects.get(pk=member.pk)


@pytest.fixture
def viewers(cast, subject):
    users = {name: getattr(cast, name) for name in ROLE_OF}
    users["self"] = testing.user("subject", Role.MEMBER, subject.organisation, member_record=subject)
    return users


def page_text(field: str, value) -> str:
    if isinstance(value, dt.date):
        return f"{value:%d/%m/%Y}"
    if field == "political_theory":
        with translation.override("vi"):
            return str(dict(Member._meta.get_field(field).flatchoices)[value])
    if field == "sex":
        return "Nữ"
    return value


def test_every_identity_field_of_the_record_is_in_the_table():
    assert set(services.EDITABLE_FIELDS) | {"event_notes"} == set(PERSONAL_DATA)
    assert set(SURFACES) == set(PERSONAL_DATA), "list the surfaces of every row of the table"
    assert set(privacy.MEMBER_FIELDS) == set(VALUES)


def test_roles_that_see_every_record_field_are_the_only_editors_and_importers():
    """The edit form, the import preview and the import error reports show every field: only roles that see
    every field of the table may hold those capabilities."""
    everything = set.intersection(*PERSONAL_DATA.values())
    for capability in ("members.edit", "members.import"):
        assert CAPABILITIES[capability] <= everything, capability


@pytest.mark.parametrize("viewer", VIEWERS)
def test_member_page(client, viewers, subject, viewer):
    client.force_login(viewers[viewer])
    response = client.get(reverse("members:detail", args=[subject.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    for field in PERSONAL_DATA:
        if "page" not in SURFACES[field]:
            continue
        text = NOTE if field == "event_notes" else page_text(field, VALUES[field])
        assert (text in body) == expected(viewer, field), (viewer, field)
    hides_any = not all(expected(viewer, f) for f in PERSONAL_DATA)
    assert ('id="privacy-note"' in body) == hides_any


@pytest.mark.parametrize("viewer", VIEWERS)
def test_api_record_list_and_events(api, viewers, subject, viewer):
    client = api(viewers[viewer])
    record = client.get(f"/members/{subject.pk}").json()
    items = client.get("/members", q="riêng", status="").json()["items"]
    listed = next(item for item in items if item["id"] == subject.pk)
    events = client.get(f"/members/{subject.pk}/events").json()["items"]
    for field in PERSONAL_DATA:
        if "api" not in SURFACES[field]:
            continue
        if field == "event_notes":
            notes = [e["note"] for e in events if e["kind"] == EventKind.EXEMPTION]
            assert notes == ([NOTE] if expected(viewer, field) else [None]), viewer
            continue
        value = VALUES[field]
        want = (value.isoformat() if isinstance(value, dt.date) else value) if expected(viewer, field) else None
        assert record[field] == want, (viewer, field)
        if field in listed:
            assert listed[field] == want, (viewer, field, "list")


def test_api_documents_the_null_of_every_hideable_field(api, cast):
    schema = api(cast.office).get("/openapi.json").json()["components"]["schemas"]
    staff = set.union(*(set(r) for r in PERSONAL_DATA.values()))
    for field in privacy.MEMBER_FIELDS:
        if PERSONAL_DATA[field] != staff:
            prop = schema["MemberDetailOut"]["properties"][field]
            assert "null" in str(prop) and "personal data" in prop["description"], field
    assert "personal data" in schema["MemberEventOut"]["properties"]["note"]["description"]


def _export(client, **params):
    response = client.get(reverse("members:export"), {"status": "", **params})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    return rows[0], rows[1:]


def xlsx_value(field: str, value):
    if isinstance(value, dt.date):
        return dt.datetime.combine(value, dt.time())
    if field == "sex":
        return exports.SEX_VI[value]
    if field == "political_theory":
        return exports.THEORY_VI[value]
    return value


@pytest.mark.parametrize("viewer", list(ROLE_OF))
def test_xlsx_export(client, viewers, subject, viewer):
    client.force_login(viewers[viewer])
    headers, rows = _export(client)
    row = next(r for r in rows if r[headers.index("Họ và tên")] == VALUES["full_name"])
    header_of = {field: header for header, field, _getter in exports.COLUMNS if field}
    for field in PERSONAL_DATA:
        if "xlsx" not in SURFACES[field]:
            continue
        header = header_of[field]
        if expected(viewer, field):
            assert row[headers.index(header)] == xlsx_value(field, VALUES[field]), (viewer, field)
        else:  # hidden on every member of this user's scope: no column at all
            assert header not in headers, (viewer, field)


def test_xlsx_of_a_user_with_two_roles_blanks_only_the_rows_it_may_not_see(client, tree, subject):
    """Office of committee B and cell secretary of C1: the citizen ID column is there (committee B's
    members), the subject's cell in it is empty."""
    both = testing.user("both", Role.OFFICE, tree.b)
    from dangvu.accounts.models import RoleAssignment

    RoleAssignment.objects.create(user=both, role=Role.CELL_SECRETARY, organisation=tree.c1, valid_from=testing.D0)
    theirs = testing.member(tree.c3, "Võ Văn Bên Kia", citizen_id="092085001111")  # a man born in 1985
    client.force_login(both)
    headers, rows = _export(client)
    by_name = {r[headers.index("Họ và tên")]: r for r in rows}
    column = headers.index("CCCD")
    assert by_name[theirs.full_name][column] == theirs.citizen_id
    assert by_name[VALUES["full_name"]][column] is None
    assert by_name[VALUES["full_name"]][headers.index("Nơi cư trú")] == VALUES["residence"]


@pytest.mark.parametrize("viewer", VIEWERS)
def test_search_by_an_identifier_only_where_it_is_seen(client, api, viewers, subject, viewer):
    user = viewers[viewer]
    client.force_login(user)
    for field in SEARCHABLE:
        value = VALUES[field]
        found = expected(viewer, field)
        items = api(user).get("/members", q=value, status="").json()["items"]
        assert ([i["id"] for i in items] == [subject.pk]) == found and (found or items == []), (viewer, field)
        page = client.get(reverse("members:list"), {"q": value, "status": ""})
        if viewer == "self":  # no member list for a plain member
            assert page.status_code == 403
            continue
        assert (VALUES["full_name"] in page.content.decode()) == found, (viewer, field, "page")
        _headers, rows = _export(client, q=value)
        assert (len(rows) == 1) == found and len(rows) <= 1, (viewer, field, "xlsx")


@pytest.fixture
def candidate(tree, people):
    office = testing.user("admissions", Role.OFFICE, tree.a)
    testing.member(tree.c1, "Lê Văn Cường")  # three official members: the cell's vote of 2 for, 1 against
    fields = dict(CANDIDATE_VALUES)
    return walk(tree.c1, [people["an"], people["binh"]], office, until=Stage.CELL_RESOLUTION, fields=fields)


@pytest.mark.parametrize("viewer", list(ROLE_OF))
def test_candidate_page_api_and_docx(client, api, viewers, candidate, viewer):
    """The person on the way in: the admission file's page, its API and its DOCX form (the cell's
    resolution, whose identity line names the candidate)."""
    user = viewers[viewer]
    client.force_login(user)
    person = candidate.candidate
    page = client.get(reverse("admission:candidate", args=[person.pk]))
    assert page.status_code == 200
    body = page.content.decode()
    record = api(user).get(f"/candidates/{person.pk}").json()
    listed = next(i for i in api(user).get("/candidates", q="ung vien").json()["items"] if i["id"] == person.pk)
    step = candidate.step(Stage.CELL_RESOLUTION)
    docx = client.get(reverse("documents:admission_step", args=[step.pk]))
    assert docx.status_code == 200
    document = body_text(open_docx(docx.content))
    for field, value in CANDIDATE_VALUES.items():
        seen = expected(viewer, field)
        assert (page_text(field, value) in body) == seen, (viewer, field, "page")
        want = (value.isoformat() if isinstance(value, dt.date) else value) if seen else None
        assert record[field] == want, (viewer, field, "api")
        if field in listed:
            assert listed[field] == want, (viewer, field, "api list")
        if field in DOCX_FIELDS:
            assert (page_text(field, value) in document) == seen, (viewer, field, "docx")
