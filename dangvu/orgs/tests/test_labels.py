"""The shared organisation and person label (issue 9 item 4 and its acceptance "the shared organisation
label in every place listed in item 4"): a repeated organisation name is named with its parent, in a form's
select, in the member list's column, in the XLSX export, in the alerts' group headers and in the regularity
table; namesakes in a chair select are told apart by birth year (then cell). A fixed number of queries.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from dangvu import testing
from dangvu.members.models import Member
from dangvu.orgs.labels import SEPARATOR, label, org_labels, person_labels
from dangvu.orgs.models import Organisation, OrgKind

pytestmark = pytest.mark.django_db

HERE = f"Chi bộ Phòng Một{SEPARATOR}Đảng bộ Sở Một"  # tree.c1
THERE = f"Chi bộ Phòng Một{SEPARATOR}Đảng bộ Công ty Ba"  # the namesake under committee B


@pytest.fixture
def twin(tree):
    """A second "Chi bộ Phòng Một", under committee B's grassroots committee, with one member."""
    cell = testing.org(tree.b_base, "B1-C9", "Chi bộ Phòng Một", OrgKind.CELL)
    testing.member(cell, "Võ Văn Sinh")
    return cell


def options(html: str, select_name: str) -> list[str]:
    select = re.search(rf'<select[^>]* name="{select_name}"[^>]*>(.*?)</select>', html, re.S)
    assert select, f"no select {select_name}"
    return [unescape(o).strip() for o in re.findall(r"<option[^>]*>(.*?)</option>", select.group(1), re.S)]


def text(response) -> str:
    return unescape(response.content.decode())


# --- The function -----------------------------------------------------------------------------------


def test_a_unique_name_stays_as_it_is(tree):
    assert label(tree.c1) == "Chi bộ Phòng Một"
    assert label(tree.city) == "Đảng bộ thành phố Thử"
    assert label(None) == ""


def test_a_repeated_name_gets_its_parent(tree, twin):
    labels = org_labels([tree.c1, twin, tree.c2])
    assert labels == {tree.c1.pk: HERE, twin.pk: THERE, tree.c2.pk: "Chi bộ Phòng Hai"}


def test_the_comparison_ignores_case_and_diacritics(tree):
    other = testing.org(tree.b_base, "B1-C8", "chi bo phong hai", OrgKind.CELL)
    assert label(tree.c2) == f"Chi bộ Phòng Hai{SEPARATOR}Đảng bộ Sở Một"
    assert label(other) == f"chi bo phong hai{SEPARATOR}Đảng bộ Công ty Ba"


def test_when_the_parent_repeats_too_the_next_ancestor_is_added(tree):
    # Two "Đảng bộ Sở Một", each with a "Chi bộ Phòng Một": the parent alone does not tell them apart.
    other_base = testing.org(tree.b, "B2", "Đảng bộ Sở Một", OrgKind.GRASSROOTS_COMMITTEE)
    other = testing.org(other_base, "B2-C1", "Chi bộ Phòng Một", OrgKind.CELL)
    labels = org_labels([tree.c1, other])
    assert labels[tree.c1.pk] == SEPARATOR.join(["Chi bộ Phòng Một", "Đảng bộ Sở Một", "Đảng bộ các cơ quan A"])
    assert labels[other.pk] == SEPARATOR.join(["Chi bộ Phòng Một", "Đảng bộ Sở Một", "Đảng bộ khối B"])


def test_a_former_organisation_counts_as_a_namesake(tree):
    # After a merge the old cell keeps its name in history pages: the current one is told apart from it.
    former = testing.org(tree.b_base, "B1-C7", "Chi bộ Phòng Hai", OrgKind.CELL)
    Organisation.objects.filter(pk=former.pk).update(valid_to=dt.date(2020, 1, 1))
    assert label(tree.c2) == f"Chi bộ Phòng Hai{SEPARATOR}Đảng bộ Sở Một"


def test_two_queries_whatever_the_number_of_organisations(tree, twin, django_assert_num_queries):
    many = [testing.org(tree.b_base, f"B1-X{i}", f"Chi bộ Phòng Một {i % 3}", OrgKind.CELL) for i in range(12)]
    orgs = [tree.c1, twin, *many]
    with django_assert_num_queries(2):
        labels = org_labels(orgs)
    assert labels[many[0].pk] == f"Chi bộ Phòng Một 0{SEPARATOR}Đảng bộ Công ty Ba"


def test_namesakes_get_their_birth_year_then_their_cell(tree, twin):
    a = testing.member(tree.c1, "Lê Văn Trùng", birth=dt.date(1980, 1, 1))
    b = testing.member(tree.c1, "Lê Văn Trùng", birth=dt.date(1990, 1, 1))
    c = testing.member(twin, "Lê Văn Trùng", birth=dt.date(1990, 6, 6))
    alone = testing.member(tree.c1, "Lý Một Mình")
    people = Member.objects.filter(pk__in=[a.pk, b.pk, c.pk, alone.pk]).select_related("organisation")
    labels = person_labels(people)
    assert labels[alone.pk] == "Lý Một Mình"
    assert labels[a.pk] == "Lê Văn Trùng (sinh năm 1980)"
    assert labels[b.pk] == f"Lê Văn Trùng (sinh năm 1990, {HERE})"
    assert labels[c.pk] == f"Lê Văn Trùng (sinh năm 1990, {THERE})"


# --- Every place of item 4 --------------------------------------------------------------------------


def test_a_forms_cell_select(client, cast, people, tree, twin):
    client.force_login(cast.admin)
    page = client.get(reverse("members:record_event", args=[people["an"].pk]))
    labels = options(page.content.decode(), "organisation")
    assert HERE in labels and THERE in labels
    assert "Chi bộ Phòng Hai" in labels  # unique names stay short
    page = client.get(reverse("members:create"))
    assert {HERE, THERE} <= set(options(page.content.decode(), "cell"))


def test_the_member_lists_column_and_filter(client, cast, tree, twin):
    client.force_login(cast.admin)
    page = text(client.get(reverse("members:list")))
    assert f"<td>{HERE}</td>" in page
    assert f"<td>{THERE}</td>" in page
    # The filter's select lists the top levels; a chosen cell is added, labelled.
    page = text(client.get(reverse("members:list") + f"?organisation={twin.pk}"))
    assert any(label.endswith(THERE) for label in options(page, "organisation"))
    # Allowed and denied: the office of committee A sees its own cell labelled, never the namesake's row.
    client.force_login(cast.office)
    page = text(client.get(reverse("members:list")))
    assert f"<td>{HERE}</td>" in page
    assert f"<td>{THERE}</td>" not in page
    client.force_login(cast.member)
    assert client.get(reverse("members:list")).status_code == 403


def test_the_xlsx_export(client, cast, tree, twin):
    client.force_login(cast.admin)
    response = client.get(reverse("members:export"))
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))
    column = rows[0].index("Chi bộ")
    cells = {row[column] for row in rows[1:]}
    assert HERE in cells and THERE in cells
    assert "Chi bộ Phòng Hai" in cells


def test_the_alerts_organisation_column_and_filter(client, cast, tree, twin):
    # Every cell without last month's regular meeting is listed under its cell: both namesakes.
    client.force_login(cast.admin)
    page = text(client.get(reverse("alerts:list")))
    column = [h.strip() for h in re.findall(r'<td class="alert-org">(.*?)</td>', page, re.S)]
    assert HERE in column and THERE in column
    client.force_login(cast.office)
    page = text(client.get(reverse("alerts:list")))
    assert HERE in page and THERE not in page
    options = re.findall(r'<option value="\d+"[^>]*>(.*?)</option>', page, re.S)
    assert HERE in [o.strip().replace("\xa0", "") for o in options]  # the organisation filter


def test_the_regularity_table(client, cast, tree, twin):
    client.force_login(cast.admin)
    page = text(client.get(reverse("meetings:regularity") + f"?organisation={tree.city.pk}"))
    rows = [r.strip() for r in re.findall(r'<th scope="row">(.*?)(?:<span|</th>)', page, re.S)]
    assert HERE in rows and THERE in rows


def test_the_chair_select(client, cast, tree):
    older = testing.member(tree.c1, "Nguyễn Văn An", birth=dt.date(1970, 2, 2))  # a namesake of people["an"]
    client.force_login(cast.secretary)
    page = client.get(reverse("meetings:create") + f"?organisation={tree.c1.pk}").content.decode()
    chairs = options(page, "chair")
    assert "Nguyễn Văn An (sinh năm 1970)" in chairs
    assert "Nguyễn Văn An (sinh năm 1985)" in chairs
    assert "Trần Thị Bình" in chairs  # no namesake: the name alone
    assert older.birth_date.year == 1970
    client.force_login(cast.member)
    assert client.get(reverse("meetings:create") + f"?organisation={tree.c1.pk}").status_code == 403


def test_the_meetings_list_names_the_cell(client, cast, tree, twin):
    from dangvu.meetings import services

    start = timezone.now() + dt.timedelta(days=3)
    services.create_meeting(twin, None, kind="regular", starts_at=start, place="Hội trường")
    client.force_login(cast.admin)
    assert THERE in text(client.get(reverse("meetings:list")))
