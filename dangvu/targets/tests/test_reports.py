"""Official reports on a resolution (issue 13 item 8), built by the background task (run here with `drain()`)
and opened back: the DOCX header in the Party format with the number from the documents register, the
appendix tables per predecessor and combined across a merger (the parts add up), the members' summary by
every breakdown with the increase and decrease of the period, the XLSX cell by cell, the pages' scope
(allowed and denied), the rebuild keeping the number, and two reports asked for at once getting different
numbers (PostgreSQL: threads). Every expected figure is counted by hand from the world below."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from docx import Document as Docx
from openpyxl import load_workbook

from dangvu import testing
from dangvu.accounts.models import Role
from dangvu.docregister import services as register
from dangvu.docregister.tests.conftest import entry, terms  # noqa: F401  (fixture)
from dangvu.lib.errors import DomainError
from dangvu.meetings.tests.test_concurrency import run_at_once
from dangvu.members import services as member_services
from dangvu.members import stats
from dangvu.members.models import EventKind
from dangvu.orgs import services as org_services
from dangvu.orgs.models import OrgKind
from dangvu.targets import reports, services
from dangvu.targets.models import Report, ReportKind, ReportState
from dangvu.tasks.worker import drain

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 12, 1)  # the report's date and the end of the term to date
COUNT_TEXT = "Kết nạp ít nhất 02 đảng viên mới trong nhiệm kỳ"
SHARE_TEXT = "Hằng năm có từ 95% đảng viên trở lên hoàn thành tốt nhiệm vụ"


@pytest.fixture
def world(tree, cast, people, terms):  # noqa: F811
    """People (conftest): An, Bình (F), Đức in A (C1, C2), Em (F) in B (C3), all admitted 01/03/2016, born
    05/05/1985, Kinh. In the 2025–2030 term: A admits A1 (C1, 01/11/2025, born 02/12/1995) and A2 (C1,
    10/01/2026, born 01/01/2000, elementary political theory); B admits B1 (C3, 01/12/2025, born 01/12/1995,
    Buddhist); A and B merge into S on 01/03/2026; S admits S1 (C1, 01/05/2026, born 02/12/1966, Khmer,
    12/12); Đức dies on 01/06/2026. S's resolution of 20/03/2026: (1) at least 2 admissions over the term
    (computed), (2) at least 95% (entered by hand: 96.5%)."""
    new = {
        "A1": testing.member(tree.c1, admitted=dt.date(2025, 11, 1), official=False, birth=dt.date(1995, 12, 2)),
        "A2": testing.member(
            tree.c1,
            admitted=dt.date(2026, 1, 10),
            official=False,
            birth=dt.date(2000, 1, 1),
            political_theory="elementary",
        ),
        "B1": testing.member(
            tree.c3, admitted=dt.date(2025, 12, 1), official=False, birth=dt.date(1995, 12, 1), religion="Phật giáo"
        ),
    }
    s = org_services.merge(
        [tree.a, tree.b],
        dt.date(2026, 3, 1),
        org_services.Document("01-QĐ/TU"),
        None,
        new=org_services.OrgSpec("S", "Đảng bộ Hợp nhất", OrgKind.DIRECT),
        parent=tree.city,
    ).created[0]
    new["S1"] = testing.member(
        tree.c1,
        admitted=dt.date(2026, 5, 1),
        official=False,
        birth=dt.date(1966, 12, 2),
        ethnicity="Khmer",
        general_education="12/12",
    )
    member_services.record_event(people["duc"], None, kind=EventKind.DEATH, date=dt.date(2026, 6, 1))
    office = testing.user("office_s", Role.OFFICE, s)
    resolution = register.register(entry(s, date=dt.date(2026, 3, 20), title="Nghị quyết Đại hội lần thứ I"), office)
    count = services.add_target(
        resolution,
        services.TargetSpec(
            text=COUNT_TEXT,
            kind="count",
            period="term",
            subject="members",
            source="indicator",
            indicator="admission.admissions",
            threshold=Decimal(2),
        ),
        office,
    )
    share = services.add_target(
        resolution,
        services.TargetSpec(
            text=SHARE_TEXT, kind="floor", period="term", subject="members", source="manual", threshold=Decimal(95)
        ),
        office,
    )
    services.record_value(share, None, Decimal("96.5"), "Báo cáo của các chi bộ", office)
    return {
        "s": s,
        "resolution": resolution,
        "office": office,
        "leader": testing.user("leader_s", Role.LEADER, s),
        "targets": (count, share),
        "new": new,
    }


def _built(world, kind, queued: int = 1) -> Report:
    report = reports.request_report(world["resolution"], kind, "2025-2030", world["office"], today=DAY)
    assert report.state == ReportState.QUEUED and reports.get_progress(report) == 0
    assert drain() == queued
    report.refresh_from_db()
    assert report.state == ReportState.DONE and report.progress == 100 and report.builds == 1
    return report


def _docx(report: Report):
    with report.docx.open("rb") as handle:
        return Docx(io.BytesIO(handle.read()))


def _xlsx(report: Report):
    with report.xlsx.open("rb") as handle:
        return load_workbook(io.BytesIO(handle.read())).active


def _texts(table) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


def test_targets_report_docx_header_and_appendices_per_predecessor_and_combined(tree, world):
    report = _built(world, ReportKind.TARGETS)
    assert report.document.number == "01-BC/ĐU" and report.document.date == DAY
    assert (report.start, report.end) == (dt.date(2025, 10, 1), DAY)
    doc = _docx(report)
    header = _texts(doc.tables[0])[0]
    assert header[0].split("\n") == ["ĐẢNG BỘ THÀNH PHỐ THỬ", "ĐẢNG ỦY HỢP NHẤT", "*", "Số 01-BC/ĐU"]
    assert header[1].split("\n") == ["ĐẢNG CỘNG SẢN VIỆT NAM", "", "Cần Thơ, ngày 01 tháng 12 năm 2026"]
    assert "BÁO CÁO" in [p.text for p in doc.paragraphs]
    heading = ["STT", "Nhóm chỉ tiêu chủ yếu", "Kết quả thực hiện", "Đánh giá"]
    tables = [_texts(t) for t in doc.tables[1:-1]]  # the last table is the foot (recipients, signature)
    assert len(tables) == 4  # S, A, B (the computed target's parts) and combined
    titles = [p.text for p in doc.paragraphs if p.text.startswith("(")]
    assert titles == [
        "(Đảng bộ Hợp nhất)",
        "(Đảng bộ các cơ quan A — kế thừa từ Đảng bộ tiền thân)",
        "(Đảng bộ khối B — kế thừa từ Đảng bộ tiền thân)",
        "(Chung, gồm các Đảng bộ tiền thân)",
    ]
    # Per predecessor: the count's part, not judged against the whole's target; the manual result has no parts.
    assert tables[0] == [heading, ["1", COUNT_TEXT, "1", "—"]]
    assert tables[1] == [heading, ["1", COUNT_TEXT, "2", "—"]]
    assert tables[2] == [heading, ["1", COUNT_TEXT, "1", "—"]]
    # Combined: 1 + 2 + 1 = 4 admissions of 2 = 200% ≥ 120% → Vượt; 96.5 / 95 = 101.6% → Đạt và vượt.
    assert tables[3] == [
        heading,
        ["1", COUNT_TEXT, "4 (đạt 200%)", "Vượt"],
        ["2", SHARE_TEXT, "96,5% (đạt 101,6%)", "Đạt và vượt"],
    ]
    # The same figures and verdicts as the resolution's page (dangvu.targets.evaluation).
    count, _share = world["targets"]
    appendix = reports.appendices(world["resolution"], report.start, report.end)
    assert [c.value for c in appendix[-1].rows[0].cells] == [Decimal(4)]
    assert sum(a.rows[0].cells[0].value for a in appendix[:-1]) == appendix[-1].rows[0].cells[0].value


def test_targets_report_xlsx_cell_by_cell(world):
    report = _built(world, ReportKind.TARGETS)
    sheet = _xlsx(report)
    assert (
        sheet["A1"].value
        == f"01-BC/ĐU — Kết quả thực hiện chỉ tiêu Nghị quyết số {world['resolution'].number}, 2025-2030"
    )
    assert sheet["A2"].value == "Đảng bộ Hợp nhất · Từ ngày 01/10/2025 đến ngày 01/12/2026"
    rows = [list(r) for r in sheet.iter_rows(min_row=3, values_only=True)]
    assert rows[0] == [
        "STT",
        "Nhóm chỉ tiêu chủ yếu",
        "Kỳ",
        "Chỉ tiêu",
        "Đảng bộ Hợp nhất",
        "Đảng bộ các cơ quan A",
        "Đảng bộ khối B",
        "Kết quả",
        "Đạt (%)",
        "Đánh giá",
    ]
    assert rows[1] == [1, COUNT_TEXT, "2025-2030", 2, 1, 2, 1, 4, 200, "Vượt"]
    assert rows[2] == [2, SHARE_TEXT, "2025-2030", 95, None, None, None, 96.5, 101.6, "Đạt và vượt"]
    assert len(rows) == 3


def test_member_statistics_functions_on_the_day(tree, world):
    s = world["s"]
    assert stats.in_party(s, DAY) == 7  # 8 in the Party, Đức died
    assert stats.by_status(s, DAY) == {"official": 3, "probationary": 4}
    assert stats.by_sex(s, DAY) == {"M": 5, "F": 2}
    # On 01/12/2026: A1 (born 02/12/1995) is 30, B1 (born 01/12/1995) 31 that day, S1 (02/12/1966) 59.
    assert stats.by_age_band(s, DAY) == {"<=30": 2, "31-40": 1, "41-50": 3, "51-60": 1, "61-70": 0, ">70": 0}
    assert stats.by_party_age(s, DAY) == {"<10": 4, "10-19": 3, "20-29": 0, "30-39": 0, "40-49": 0, ">=50": 0}
    assert stats.by_ethnicity(s, DAY) == {"Kinh": 6, "Khmer": 1}
    assert stats.by_religion(s, DAY) == {"": 6, "Phật giáo": 1}
    assert stats.by_education(s, DAY) == {"": 6, "12/12": 1}
    assert stats.by_political_theory(s, DAY) == {"": 6, "elementary": 1}
    # Before the merger, S did not exist: A held An, Bình, Đức, A1, A2; B held Em, B1.
    before = dt.date(2026, 2, 1)
    assert (stats.in_party(s, before), stats.in_party(tree.a, before), stats.in_party(tree.b, before)) == (0, 5, 2)


def test_members_report_per_predecessor_adds_up_docx_and_xlsx(tree, world):
    first = reports.request_report(world["resolution"], ReportKind.TARGETS, "2025-2030", world["office"], today=DAY)
    report = _built(world, ReportKind.MEMBERS, queued=2)
    assert (first.document.number, report.document.number) == ("01-BC/ĐU", "02-BC/ĐU")
    sheet = _xlsx(report)
    rows = {r[0]: list(r[1:]) for r in sheet.iter_rows(min_row=3, values_only=True)}
    assert rows["Chỉ tiêu"] == ["Đảng bộ Hợp nhất", "Đảng bộ các cơ quan A", "Đảng bộ khối B", "Cộng"]
    expected = {
        "Tổng số đảng viên": [7, 0, 0, 7],
        "– Đảng viên chính thức": [3, 0, 0, 3],
        "– Đảng viên dự bị": [4, 0, 0, 4],
        "– Nam": [5, 0, 0, 5],
        "– Nữ": [2, 0, 0, 2],
        "– Đến 30 tuổi": [2, 0, 0, 2],
        "– 31 – 40 tuổi": [1, 0, 0, 1],
        "– 51 – 60 tuổi": [1, 0, 0, 1],
        "– Kinh": [6, 0, 0, 6],
        "– Khmer": [1, 0, 0, 1],
        "– Phật giáo": [1, 0, 0, 1],
        "– Sơ cấp": [1, 0, 0, 1],
        "– Dưới 10 năm tuổi Đảng": [4, 0, 0, 4],
        "– 10 – 19 năm tuổi Đảng": [3, 0, 0, 3],
        # The period 01/10/2025–01/12/2026: on its eve A held 3 and B 1; A admitted 2, B 1, S 1; Đức died in S;
        # the members of A and B passed to S at the merger (the "other" line), which adds up to nothing.
        "– Đầu kỳ": [0, 3, 1, 4],
        "  + Kết nạp": [1, 2, 1, 4],
        "  + Từ trần": [1, 0, 0, 1],
        "– Tăng": [1, 2, 1, 4],
        "– Giảm": [1, 0, 0, 1],
        "– Thay đổi khác (chuyển trong hệ thống, sắp xếp tổ chức)": [7, -5, -2, 0],
        "– Cuối kỳ": [7, 0, 0, 7],
    }
    for label, figures in expected.items():
        assert rows[label] == figures, label
    for label, figures in rows.items():  # every figure row: the parts add up to the combined column
        if label != "Chỉ tiêu" and figures and isinstance(figures[0], int):
            assert sum(figures[:-1]) == figures[-1], label
    assert rows["Theo độ tuổi"] == [None, None, None, None]  # a heading row
    doc = _docx(report)
    assert _texts(doc.tables[0])[0][0].split("\n")[-1] == "Số 02-BC/ĐU"
    table = {r[0]: r[1:] for r in _texts(doc.tables[1])}
    assert table["Tổng số đảng viên"] == ["7", "0", "0", "7"]
    assert table["– Thay đổi khác (chuyển trong hệ thống, sắp xếp tổ chức)"] == ["7", "-5", "-2", "0"]
    assert table["– Đầu kỳ"] == ["0", "3", "1", "4"]


def test_rebuild_keeps_the_number_and_a_failed_build_says_why(world, monkeypatch):
    report = _built(world, ReportKind.TARGETS)
    old_name = report.docx.name
    assert reports.rebuild(report, world["office"], today=DAY) is True
    assert reports.rebuild(report, world["office"], today=DAY) is False  # already waiting
    assert drain() == 1
    report.refresh_from_db()
    assert (report.state, report.builds, report.document.number) == (ReportState.DONE, 2, "01-BC/ĐU")
    assert report.docx.storage.exists(report.docx.name) and report.built_at is not None
    assert old_name == report.docx.name or not report.docx.storage.exists(old_name)
    assert Report.objects.count() == 1

    def broken(*args, **kwargs):
        raise ValueError("no figures")

    monkeypatch.setattr("dangvu.targets.report_files.render", broken)
    assert reports.rebuild(report, world["office"], today=DAY)
    drain()
    report.refresh_from_db()
    assert (report.state, report.message) == (ReportState.FAILED, "no figures")


def _token(page: str) -> str:
    return page.split('name="once_token" value="')[1].split('"')[0]


def test_pages_ask_build_show_and_download_in_scope(client, cast, world):
    resolution = world["resolution"]
    client.force_login(world["office"])
    page = client.get(reverse("targets:resolution", args=[resolution.pk])).content.decode()
    assert reverse("targets:reports", args=[resolution.pk]) in page
    listing = client.get(reverse("targets:reports", args=[resolution.pk]))
    assert listing.status_code == 200
    token = _token(listing.content.decode())
    url = reverse("targets:report_new", args=[resolution.pk])
    data = {"kind": "targets", "label": "2025-2030", "once_token": token}
    response = client.post(url, data)
    report = Report.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("targets:report", args=[report.pk])
    again = client.post(url, data)  # the double click: nothing more is created
    assert again.status_code == 302 and Report.objects.count() == 1
    progress = client.get(reverse("targets:report_progress", args=[report.pk]))
    assert b'hx-get="' in progress.content and b"0%" in progress.content
    assert client.get(reverse("targets:report_file", args=[report.pk, "docx"])).status_code == 404  # not built yet
    drain()
    detail = client.get(reverse("targets:report", args=[report.pk])).content.decode()
    assert "report-docx" in detail and "report-xlsx" in detail
    download = client.get(reverse("targets:report_file", args=[report.pk, "docx"]))
    assert download.status_code == 200 and download["Content-Type"].startswith("application/vnd.openxmlformats")
    doc = Docx(io.BytesIO(b"".join(download.streaming_content)))
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in doc.tables[0].rows[0].cells[1].text
    assert client.get(reverse("targets:report_file", args=[report.pk, "pdf"])).status_code == 404
    assert client.post(reverse("targets:report_rebuild", args=[report.pk])).status_code == 302
    # The leader sees and downloads, but may not ask for or rebuild a report.
    client.force_login(world["leader"])
    assert client.get(reverse("targets:reports", args=[resolution.pk])).status_code == 200
    assert client.get(reverse("targets:report", args=[report.pk])).status_code == 200
    assert client.post(url, {"kind": "targets", "label": "2025-2030"}).status_code == 403
    assert client.post(reverse("targets:report_rebuild", args=[report.pk])).status_code == 403
    # Outside the scope (B's office; B is now part of S but its office's scope is B's subtree): 404.
    client.force_login(cast.outsider)
    for name, args in (("reports", [resolution.pk]), ("report", [report.pk]), ("report_file", [report.pk, "xlsx"])):
        assert client.get(reverse(f"targets:{name}", args=args)).status_code == 404, name
    assert client.post(url, {"kind": "targets", "label": "2025-2030"}).status_code == 404
    assert Report.objects.count() == 1


def test_a_period_outside_the_term_is_refused(world):
    with pytest.raises(DomainError):
        reports.request_report(world["resolution"], ReportKind.TARGETS, "2019", world["office"], today=DAY)
    assert reports.period_choices(world["resolution"], DAY) == [
        ("2025-2030", "2025-2030"),
        ("2025", "2025"),
        ("2026", "2026"),
    ]


@pytest.mark.django_db(transaction=True)
def test_two_reports_asked_for_at_once_get_different_numbers(world):
    results = run_at_once(
        [
            lambda: reports.request_report(
                world["resolution"], ReportKind.TARGETS, "2025-2030", world["office"], today=DAY
            )
            for _ in range(2)
        ]
    )
    assert all(isinstance(r, Report) for r in results), results
    assert sorted(r.document.number for r in results) == ["01-BC/ĐU", "02-BC/ĐU"]
