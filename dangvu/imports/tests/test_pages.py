"""Import pages: access per role, scope of jobs, dry run, apply, background tasks with progress.

Every check and apply is a background task; `drain()` runs the queued tasks in the test's thread as the
worker would (dangvu.tasks.worker)."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from dangvu.imports import checking, services
from dangvu.imports.columns import COLUMNS
from dangvu.imports.models import ImportJob, JobStatus
from dangvu.imports.tests import factories as f
from dangvu.members.models import Member
from dangvu.tasks import side
from dangvu.tasks.worker import drain

INDEX = reverse("imports:index")
ALLOWED = ["admin", "office", "outsider"]
DENIED = ["secretary", "member", "nobody", "inspector", "leader"]


@pytest.fixture(autouse=True)
def setup(settings, client):
    settings.TWO_FACTOR_REQUIRED = False
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"  # the messages are asserted on their English msgids
    with translation.override("en"):
        yield


def upload(client, user, data: bytes, name: str, organisation, run: bool = True) -> ImportJob:
    client.force_login(user)
    response = client.post(INDEX, {"organisation": organisation.pk, "file": SimpleUploadedFile(name, data)})
    assert response.status_code == 302, response.content.decode()[:2000]
    if run:
        drain()
    return ImportJob.objects.get(pk=int(response["Location"].rstrip("/").split("/")[-1]))


@pytest.mark.django_db
@pytest.mark.parametrize("role", ALLOWED + DENIED)
def test_index_and_templates_access(client, cast, role):
    client.force_login(getattr(cast, role))
    expected = 200 if role in ALLOWED else 403
    assert client.get(INDEX).status_code == expected
    assert client.get(reverse("imports:template", args=["xlsx"])).status_code == expected
    assert client.get(reverse("imports:template", args=["csv"])).status_code == expected


@pytest.mark.django_db
def test_anonymous_is_sent_to_log_in(client, tree):
    response = client.get(INDEX)
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


@pytest.mark.django_db
def test_xlsx_template_opens_with_headers_notes_and_example(client, cast):
    client.force_login(cast.office)
    response = client.get(reverse("imports:template", args=["xlsx"]))
    assert "attachment" in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.content))
    data, notes = workbook.worksheets
    rows = list(data.iter_rows(values_only=True))
    assert list(rows[0]) == [c.label for c in COLUMNS]
    assert "Họ và tên*" in rows[0] and "Ngày vào Đảng*" in rows[0] and "Số CCCD" in rows[0]
    example = dict(zip(rows[0], rows[1], strict=True))
    assert example["Mã chi bộ*"] == "A1-C1"  # a real cell of the office's scope
    notes_rows = list(notes.iter_rows(values_only=True))
    assert [r[0] for r in notes_rows[1 : len(COLUMNS) + 1]] == [c.label for c in COLUMNS]
    assert all(r[2] for r in notes_rows[1 : len(COLUMNS) + 1])  # every column explained


@pytest.mark.django_db
def test_csv_template_has_bom_and_headers(client, cast):
    client.force_login(cast.office)
    response = client.get(reverse("imports:template", args=["csv"]))
    assert response.content.startswith(b"\xef\xbb\xbf")
    header = response.content.decode("utf-8-sig").splitlines()[0]
    assert header.split(",") == [c.label for c in COLUMNS]
    assert client.get(reverse("imports:template", args=["pdf"])).status_code == 404


@pytest.mark.django_db
def test_dry_run_preview_then_apply(client, cast, tree):
    before = Member.objects.count()
    job = upload(client, cast.office, f.xlsx(f.rows(3)), "good.xlsx", tree.a)
    assert job.status == JobStatus.VALIDATED and job.total_rows == 3 and job.error_count == 0
    assert Member.objects.count() == before  # a dry run writes no member
    page = client.get(reverse("imports:detail", args=[job.pk])).content.decode()
    assert "Nguyễn Thị Nhập 1" in page and "A1-C1" in page and "03/02/2020" in page
    assert f'action="{reverse("imports:apply", args=[job.pk])}"' in page

    response = client.post(reverse("imports:apply", args=[job.pk]))
    assert response.status_code == 302
    assert drain() == 1
    job.refresh_from_db()
    assert job.status == JobStatus.APPLIED and job.created_count == 3
    assert Member.objects.count() == before + 3
    assert job.history.filter(status=JobStatus.APPLIED, history_user=cast.office).exists()
    # A second apply does nothing (no task is even queued).
    client.post(reverse("imports:apply", args=[job.pk]))
    assert drain() == 0
    assert Member.objects.count() == before + 3


@pytest.mark.django_db
def test_bad_file_shows_the_error_table_and_cannot_be_applied(client, cast, tree):
    records = f.rows(4)
    records[2]["Ngày vào Đảng*"] = "2020/13/45"
    job = upload(client, cast.office, f.csv_bytes(records), "bad.csv", tree.a)
    assert job.status == JobStatus.FAILED and job.error_count == 1
    # The report is in Vietnamese (the UI language), as the issue asks.
    assert job.errors == [[4, "Ngày vào Đảng*", "2020/13/45", "Ghi ngày theo dạng dd/mm/yyyy."]]
    page = client.get(reverse("imports:detail", args=[job.pk])).content.decode()
    assert "2020/13/45" in page and "Ghi ngày theo dạng dd/mm/yyyy." in page
    assert "disabled" in page
    before = Member.objects.count()
    client.post(reverse("imports:apply", args=[job.pk]))
    assert drain() == 0
    assert Member.objects.count() == before
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    report = client.get(reverse("imports:errors_csv", args=[job.pk])).content.decode("utf-8-sig")
    assert "2020/13/45" in report


@pytest.mark.django_db
def test_unreadable_file_is_refused_with_a_message(client, cast, tree):
    job = upload(client, cast.office, b"\xff\xfe\x00garbage", "odd.csv", tree.a)
    assert job.status == JobStatus.FAILED and "UTF-8" in job.message
    assert "UTF-8" in client.get(reverse("imports:detail", args=[job.pk])).content.decode()


@pytest.mark.django_db
def test_error_table_is_paginated(client, cast, tree):
    records = f.rows(150, **{"Giới tính*": "?"})
    job = upload(client, cast.office, f.csv_bytes(records), "many.csv", tree.a)
    assert job.error_count == 150
    first = client.get(reverse("imports:detail", args=[job.pk])).content.decode()
    second = client.get(reverse("imports:detail", args=[job.pk]) + "?page=2").content.decode()
    assert "Trang 1/2" in first and "Trang 2/2" in second
    assert ">151<" in second and ">151<" not in first


@pytest.mark.django_db
def test_outsider_cannot_import_into_a_or_see_its_jobs(client, cast, tree):
    job = upload(client, cast.office, f.xlsx(f.rows(2)), "a.xlsx", tree.a)
    urls = [
        ("get", reverse("imports:detail", args=[job.pk])),
        ("get", reverse("imports:progress", args=[job.pk])),
        ("get", reverse("imports:errors_csv", args=[job.pk])),
        ("post", reverse("imports:apply", args=[job.pk])),
    ]
    for role in ["outsider", "secretary", "member", "nobody"]:
        client.force_login(getattr(cast, role))
        for method, url in urls:
            assert getattr(client, method)(url).status_code == 404, (role, url)
        if role == "outsider":
            assert "a.xlsx" not in client.get(INDEX).content.decode()
    job.refresh_from_db()
    assert job.status == JobStatus.VALIDATED  # the outsider's apply did nothing
    client.force_login(cast.admin)
    assert client.get(reverse("imports:detail", args=[job.pk])).status_code == 200

    # The outsider cannot choose A, and a file naming A's cell is refused in B.
    client.force_login(cast.outsider)
    response = client.post(INDEX, {"organisation": tree.a.pk, "file": SimpleUploadedFile("x.csv", b"x")})
    assert response.status_code == 200 and not ImportJob.objects.filter(user=cast.outsider).exists()
    own = upload(client, cast.outsider, f.csv_bytes([f.row(9)]), "into-a.csv", tree.b)
    assert own.status == JobStatus.FAILED and own.errors[0][:3] == [2, "Mã chi bộ*", "A1-C1"]
    client.force_login(cast.office)
    assert client.get(reverse("imports:detail", args=[own.pk])).status_code == 404


@pytest.mark.django_db
def test_every_import_is_background_work_with_progress_in_the_database(client, monkeypatch, tree, cast):
    """Issue 16 item 12: even a two-row file is checked and applied by the worker, never in the request,
    whatever the file declares; progress goes to the database's side values, readable by any process."""
    monkeypatch.setattr(services, "CHUNK", 2)
    written: list[int] = []
    real_put = side.put

    def spy(key, value):
        if key.endswith(":progress"):
            written.append(value)
        return real_put(key, value)

    monkeypatch.setattr(side, "put", spy)

    before = Member.objects.count()
    job = upload(client, cast.office, f.xlsx(f.rows(5)), "big.xlsx", tree.a, run=False)
    assert job.status == JobStatus.UPLOADED  # checking waits for the worker
    assert '<progress value="0" max="5">' in client.get(reverse("imports:detail", args=[job.pk])).content.decode()
    assert drain() == 1
    job.refresh_from_db()
    assert job.status == JobStatus.VALIDATED and job.total_rows == 5
    assert written == [0, 2, 4, 5]  # queued, then after each chunk

    written.clear()
    response = client.post(reverse("imports:apply", args=[job.pk]))
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == JobStatus.APPLYING and Member.objects.count() == before  # nothing in the request
    assert drain() == 1
    job.refresh_from_db()
    assert job.status == JobStatus.APPLIED and job.created_count == 5
    assert Member.objects.count() == before + 5
    assert written == [0, 2, 4, 5]
    response = client.get(reverse("imports:progress", args=[job.pk]), HTTP_HX_REQUEST="true")
    assert response["HX-Refresh"] == "true"
    assert '<progress value="5" max="5">' in response.content.decode()


@pytest.mark.django_db
def test_a_job_whose_task_gives_up_is_refused_with_the_reason(client, cast, tree):
    job = upload(client, cast.office, f.xlsx(f.rows(2)), "lost.xlsx", tree.a)
    before = Member.objects.count()
    client.post(reverse("imports:apply", args=[job.pk]))
    services.give_up(job.pk, "worker w1 stopped answering during attempt 3 of 3")
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and not job.running
    assert "w1 stopped answering" in job.message and "chưa nhập dữ liệu nào" in job.message
    assert drain() == 1  # the queued apply finds the job refused and does nothing
    assert Member.objects.count() == before


@pytest.mark.django_db
def test_progress_fragment_polls_while_running(client, cast, tree):
    job = upload(client, cast.office, f.xlsx(f.rows(4)), "p.xlsx", tree.a)
    ImportJob.objects.filter(pk=job.pk).update(status=JobStatus.APPLYING)
    services._progress_for(job.pk)(3)
    response = client.get(reverse("imports:progress", args=[job.pk]), HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert '<progress value="3" max="4">' in body and 'hx-trigger="every 1s"' in body
    assert "HX-Refresh" not in response
    page = client.get(reverse("imports:detail", args=[job.pk])).content.decode()
    assert '<progress value="3" max="4">' in page


@pytest.mark.django_db
def test_a_failure_while_writing_rolls_back_and_is_recorded(client, cast, tree, people, monkeypatch):
    """A database error in the middle of the apply (here: a citizen ID taken by someone else after the
    dry run, the check being blinded to simulate the race) leaves nothing behind and fails the job."""
    monkeypatch.setattr(services, "CHUNK", 2)
    records = f.rows(5)
    job = upload(client, cast.office, f.xlsx(records), "race.xlsx", tree.a)
    assert job.can_apply
    Member.objects.filter(pk=people["duc"].pk).update(citizen_id=records[3]["Số CCCD"])
    monkeypatch.setattr(checking, "_taken", lambda field_name, values: set())
    before = (Member.objects.count(), Member.history.count())
    client.post(reverse("imports:apply", args=[job.pk]))
    drain()
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and job.created_count == 0
    assert "chưa nhập dữ liệu nào" in job.message  # "nothing was imported"
    assert (Member.objects.count(), Member.history.count()) == before
