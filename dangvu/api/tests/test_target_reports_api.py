"""The official reports on a resolution through the API (issue 13 items 8 and 10): asked for with a number from
the documents register and the build's task id (Idempotency-Key honoured), the state and progress while the
background task has not run and after it (run here with `drain()`), the DOCX and XLSX downloaded and opened
back, built again on request with the same number; every endpoint scoped like the pages, allowed and denied."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django_tasks_db.models import DBTaskResult
from docx import Document as Docx
from openpyxl import load_workbook

from dangvu import testing
from dangvu.accounts.models import ApiToken
from dangvu.api import idempotency
from dangvu.api.routers import targets as router
from dangvu.api.tests.conftest import PREFIX
from dangvu.docregister import services as register
from dangvu.docregister.models import Document
from dangvu.docregister.tests.conftest import entry, terms  # noqa: F401  (fixture)
from dangvu.targets import services
from dangvu.targets.models import Report
from dangvu.tasks.worker import drain

pytestmark = pytest.mark.django_db

MID = dt.date(2022, 9, 30)  # the day the report is asked for (term 2020-2025)
TEXT = "Trong nhiệm kỳ, kết nạp 6 đảng viên mới."


@pytest.fixture
def resolution(tree, cast, terms, monkeypatch):  # noqa: F811
    # Three admissions in A by MID (and one after it, not counted).
    for day in (dt.date(2021, 3, 1), dt.date(2021, 6, 1), dt.date(2022, 3, 1), dt.date(2023, 3, 1)):
        testing.member(tree.c1, admitted=day, official=False)
    monkeypatch.setattr(router, "today", lambda: MID)
    found = register.register(entry(tree.a, date=dt.date(2020, 10, 20), title="Nghị quyết Đại hội"), cast.office)
    spec = services.TargetSpec(
        text=TEXT,
        kind="count",
        period="term",
        subject="members",
        source="indicator",
        indicator="admission.admissions",
        threshold=6,
    )
    services.add_target(found, spec, cast.office)
    return found


def _bytes(response) -> bytes:
    return b"".join(response.streaming_content)


def test_ask_follow_the_build_and_download_the_files(api, cast, resolution):
    asked = api(cast.office).post(
        f"/targets/resolutions/{resolution.pk}/reports", {"kind": "targets", "label": "2020-2025"}
    )
    assert asked.status_code == 201, asked.content
    body = asked.json()
    report = Report.objects.get()
    assert body["id"] == report.pk and body["number"] == report.document.number == "01-BC/ĐU"
    assert (body["state"], body["progress"], body["files"], body["builds"]) == ("queued", 0, [], 0)
    assert (body["start"], body["end"]) == ("2020-10-01", "2022-09-30")
    task = DBTaskResult.objects.get()
    assert body["job_id"] == str(task.id) == report.job_id  # the background task that builds it
    status = f"/targets/reports/{report.pk}"
    assert api(cast.office).get(status).json()["state"] == "queued"
    assert api(cast.office).get(f"{status}/files/docx").status_code == 404  # not built yet
    assert drain() == 1
    built = api(cast.office).get(status).json()
    assert (built["state"], built["progress"], built["files"], built["builds"]) == ("done", 100, ["docx", "xlsx"], 1)
    download = api(cast.office).get(f"{status}/files/docx")
    assert download.status_code == 200
    assert download["Content-Type"] == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert download["Content-Disposition"].startswith("attachment;")
    doc = Docx(io.BytesIO(_bytes(download)))
    header = [cell.text.split("\n") for cell in doc.tables[0].rows[0].cells]
    assert header[0][-1] == "Số 01-BC/ĐU"
    assert header[1][0] == "ĐẢNG CỘNG SẢN VIỆT NAM" and "năm 2022" in header[1][-1]
    rows = [[c.text for c in row.cells] for row in doc.tables[-2].rows]
    assert rows[1] == ["1", TEXT, "3 (đạt 50%)", "Chưa đạt"]  # 3 of 6 admissions
    sheet = load_workbook(io.BytesIO(_bytes(api(cast.office).get(f"{status}/files/xlsx")))).active
    assert sheet["A1"].value == f"01-BC/ĐU — Kết quả thực hiện chỉ tiêu Nghị quyết số {resolution.number}, 2020-2025"
    assert api(cast.office).get(f"{status}/files/pdf").status_code == 422  # only docx and xlsx
    listed = api(cast.office).get(f"/targets/resolutions/{resolution.pk}/reports").json()
    assert listed["count"] == 1 and listed["items"][0]["state"] == "done"


def test_build_again_keeps_the_number_and_queues_once(api, cast, resolution):
    asked = api(cast.office).post(f"/targets/resolutions/{resolution.pk}/reports", {"kind": "members", "label": "2021"})
    report_id, first_job = asked.json()["id"], asked.json()["job_id"]
    build = f"/targets/reports/{report_id}/build"
    waiting = api(cast.office).post(build)  # a build is waiting: nothing more is queued
    assert waiting.status_code == 202 and waiting.json()["job_id"] == first_job
    assert DBTaskResult.objects.count() == 1
    drain()
    again = api(cast.office).post(build)
    assert again.status_code == 202 and again.json()["state"] == "queued"
    assert again.json()["job_id"] != first_job and DBTaskResult.objects.count() == 2
    drain()
    done = api(cast.office).get(f"/targets/reports/{report_id}").json()
    assert (done["builds"], done["number"], done["start"], done["end"]) == (2, "01-BC/ĐU", "2021-01-01", "2021-12-31")


def test_refused_inputs_write_nothing(api, cast, resolution):
    add = f"/targets/resolutions/{resolution.pk}/reports"
    for label in ("2019", "2023", "abc"):  # before the term, after today, not a period
        response = api(cast.office).post(add, {"kind": "targets", "label": label})
        assert response.status_code == 422 and response.json()["code"] == "refused", label
        assert response.json()["errors"][0]["field"] == "label"
    bad = api(cast.office).post(add, {"kind": "minutes", "label": "2021"})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "kind"
    assert api(cast.office).post(add, {"kind": "targets", "label": "x" * 17}).status_code == 422
    assert not Report.objects.exists() and Document.objects.count() == 1 and not DBTaskResult.objects.exists()


def test_scope_allowed_and_denied(api, cast, resolution):
    add = f"/targets/resolutions/{resolution.pk}/reports"
    report_id = api(cast.office).post(add, {"kind": "targets", "label": "2021"}).json()["id"]
    drain()
    reads = [add, f"/targets/reports/{report_id}", f"/targets/reports/{report_id}/files/docx"]
    for name in ("office", "leader", "inspector", "admin"):
        for path in reads:
            assert api(getattr(cast, name)).get(path).status_code == 200, (name, path)
    # Outside the resolution's subtree, or without `targets.view`: not found, like a report that does not exist.
    for name in ("outsider", "secretary", "member", "nobody"):
        for path in [*reads, "/targets/reports/987654"]:
            response = api(getattr(cast, name)).get(path)
            assert response.status_code == 404 and response.json()["detail"] == "Không tìm thấy.", (name, path)
    assert api().get(reads[1]).status_code == 401
    # Asking for and building again: the office of A (and the admin) only.
    build = f"/targets/reports/{report_id}/build"
    for name in ("leader", "inspector", "member", "secretary"):
        assert api(getattr(cast, name)).post(add, {"kind": "targets", "label": "2021"}).status_code == 403, name
        assert api(getattr(cast, name)).post(build).status_code in (403, 404), name
    assert api(cast.leader).post(build).status_code == 403  # sees the report, may not build it
    assert api(cast.outsider).post(add, {"kind": "targets", "label": "2021"}).status_code == 404
    assert api(cast.outsider).post(build).status_code == 404
    assert Report.objects.count() == 1 and Report.objects.get().builds == 1
    assert api(cast.admin).post(add, {"kind": "members", "label": "2021"}).status_code == 201


def test_asking_is_idempotent(client, cast, resolution):
    key = ApiToken.issue(cast.office)[1]

    def post(data, idem):
        headers = {"Authorization": f"Bearer {key}", idempotency.HEADER: idem}
        path = f"{PREFIX}/targets/resolutions/{resolution.pk}/reports"
        return client.post(path, json.dumps(data), content_type="application/json", headers=headers)

    data = {"kind": "targets", "label": "2020-2025"}
    first, again = post(data, "r-1"), post(data, "r-1")
    assert first.status_code == again.status_code == 201 and again["Idempotent-Replayed"] == "true"
    assert first.content == again.content
    assert Report.objects.count() == 1 and DBTaskResult.objects.count() == 1 and Document.objects.count() == 2
    assert post({"kind": "members", "label": "2020-2025"}, "r-1").json()["code"] == "idempotency_key_reused"
    assert post(data, "r-2").json()["number"] == "02-BC/ĐU"  # another key: another report, the next number
