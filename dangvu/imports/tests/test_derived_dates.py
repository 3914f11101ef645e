"""Issue 8 item 7 in the import: the official-membership date stored is the end of the probation (Điều lệ
Đảng, Điều 5), which may differ from the date written in the file. The preview says so on that row (written →
stored, in Vietnamese), lists every such row, and the apply stores exactly the dates the preview showed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from dangvu.imports.models import ImportJob, JobStatus
from dangvu.imports.tests import factories as f
from dangvu.lib.dates import add_months, fmt
from dangvu.members.models import EventKind, Member
from dangvu.rules.models import RuleSet
from dangvu.tasks.worker import drain

pytestmark = pytest.mark.django_db

ADMITTED = dt.date(2020, 2, 3)
END = add_months(ADMITTED, 12)  # 12 months of probation in the rule set in force, no ceremony recorded


def _upload(client, user, records, organisation) -> ImportJob:
    client.force_login(user)
    data = {"organisation": organisation.pk, "file": SimpleUploadedFile("dates.xlsx", f.xlsx(records))}
    response = client.post(reverse("imports:index"), data)
    assert response.status_code == 302
    drain()
    return ImportJob.objects.get(pk=int(response["Location"].rstrip("/").split("/")[-1]))


def _records():
    # Row 2: the end of probation itself; row 3: the day after (the first date that differs); row 4: a
    # probationary member; row 5: a year late.
    return [
        f.row(1, **{"Ngày vào Đảng*": fmt(ADMITTED), "Ngày chính thức": fmt(END)}),
        f.row(2, **{"Ngày vào Đảng*": fmt(ADMITTED), "Ngày chính thức": fmt(END + dt.timedelta(days=1))}),
        f.row(3, **{"Ngày vào Đảng*": fmt(ADMITTED), "Ngày chính thức": ""}),
        f.row(4, **{"Ngày vào Đảng*": fmt(ADMITTED), "Ngày chính thức": fmt(add_months(END, 12))}),
    ]


def test_preview_says_on_the_row_which_date_will_be_stored(client, cast, tree):
    job = _upload(client, cast.office, _records(), tree.a)
    assert job.status == JobStatus.VALIDATED and job.error_count == 0
    day_after, year_late = fmt(END + dt.timedelta(days=1)), fmt(add_months(END, 12))
    label = "Ngày chính thức"
    assert job.notice_count == 2
    assert job.notices == [[3, label, day_after, fmt(END), "date"], [5, label, year_late, fmt(END), "date"]]
    assert job.notice_counts == {"date": 2}
    by_row = {r["row"]: r for r in job.preview}
    assert by_row["2"]["official_date_entered"] == "" and by_row["2"]["official_date"] == fmt(END)
    assert by_row["3"]["official_date_entered"] == day_after and by_row["3"]["official_date"] == fmt(END)
    assert by_row["4"]["official_date"] == "" and by_row["4"]["official_date_entered"] == ""

    page = client.get(reverse("imports:detail", args=[job.pk])).content.decode()
    # On the preview row and in the list of every such row: written → stored, in Vietnamese.
    assert f"<s>{day_after}</s> → {fmt(END)}" in page and f"<s>{year_late}</s> → {fmt(END)}" in page
    assert "Có 2 dòng ghi ngày chính thức khác với ngày hết thời hạn dự bị" in page
    assert "Các ngày được lưu khác với ngày ghi trong tệp" in page
    assert f"<s>{fmt(END)}</s>" not in page  # the row written with the derived date is not flagged

    client.post(reverse("imports:apply", args=[job.pk]))
    drain()
    job.refresh_from_db()
    assert job.status == JobStatus.APPLIED and job.created_count == 4
    stored = dict(
        Member.objects.filter(full_name__startswith="Nguyễn Thị Nhập").values_list("citizen_id", "official_date")
    )
    assert stored == {"092190000001": END, "092190000002": END, "092190000003": None, "092190000004": END}
    # The recognition keeps the date written (the decision), the record the date derived and shown.
    late = Member.objects.get(citizen_id="092190000004").events.get(kind=EventKind.OFFICIAL)
    assert late.date == add_months(END, 12)


def test_a_file_without_differing_dates_shows_no_notice(client, cast, tree):
    records = [f.row(1, **{"Ngày vào Đảng*": fmt(ADMITTED), "Ngày chính thức": fmt(END)})]
    job = _upload(client, cast.office, records, tree.a)
    assert job.notice_count == 0 and job.notices == []
    page = client.get(reverse("imports:detail", args=[job.pk])).content.decode()
    assert "derived-dates" not in page and "<s>" not in page


def test_apply_refuses_dates_other_than_those_previewed(client, cast, tree):
    """A rule set taking effect between the check and the apply changes the derived dates: the apply
    writes nothing rather than store dates the user did not see."""
    job = _upload(client, cast.office, _records(), tree.a)
    assert job.status == JobStatus.VALIDATED and job.notice_count == 2
    RuleSet.objects.create(
        effective_from=ADMITTED - dt.timedelta(days=30),
        name="Dự bị 11 tháng",
        values={"admission.probation_months": 11},
    )
    before = Member.objects.count()
    client.post(reverse("imports:apply", args=[job.pk]))
    drain()
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and Member.objects.count() == before, job.errors
    assert not job.errors, job.errors
    assert job.message == "Các ngày sẽ được lưu khác với bản xem trước (quy định đã thay đổi); hãy tải tệp lên lại."
