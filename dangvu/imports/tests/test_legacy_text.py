"""Issue 16 item 10 through the import pages: text typed in TCVN3 (ABC) or VNI is stored in Unicode, the
preview shows written → stored on the row and lists every conversion with its reason, and the member is then
found by a plain "nguyen van hung". Unicode text (even with ©, ®, Ô, ì, ó, ù) is stored as written. Jobs checked
before notices had kinds (four-element notices, official-membership dates) still show and apply."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from dangvu.imports.models import ImportJob, JobStatus
from dangvu.imports.tests import factories as f
from dangvu.lib.dates import add_months, fmt
from dangvu.members.models import Member
from dangvu.tasks.worker import drain

pytestmark = pytest.mark.django_db

SH = "\u00ad"  # TCVN3 ư


def _row(i: int, **changes) -> dict:
    """A factory row whose official-membership date is the end of its probation (no date notice)."""
    return f.row(i, **{"Ngày chính thức": fmt(add_months(dt.date(2020, 2, 3), 12)), **changes})


def _upload(client, user, name: str, data: bytes, organisation) -> ImportJob:
    client.force_login(user)
    response = client.post(
        reverse("imports:index"), {"organisation": organisation.pk, "file": SimpleUploadedFile(name, data)}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    drain()
    return ImportJob.objects.get(pk=int(response["Location"].rstrip("/").split("/")[-1]))


def _apply(client, job: ImportJob) -> ImportJob:
    client.post(reverse("imports:apply", args=[job.pk]))
    drain()
    job.refresh_from_db()
    return job


def _records():
    return [
        # Row 2: TCVN3 (.VnTime): name, place of birth, political theory.
        _row(
            1,
            **{
                "Họ và tên*": "NguyÔn V¨n Hïng",
                "Giới tính*": "Nam",
                "Nơi sinh": "Th¸i B×nh",
                "Lý luận chính trị": "Trung cÊp",
            },
        ),
        # Row 3: VNI (VNI-Times): name, sex, place of birth.
        _row(2, **{"Họ và tên*": "Traàn Thò Höông", "Giới tính*": "Nöõ", "Nơi sinh": "Quaûng Ngaõi"}),
        # Row 4: Unicode with the characters a careless detector would take for legacy codes.
        _row(
            3,
            **{
                "Họ và tên*": "Võ Thị Ô",
                "Nơi sinh": "Phù Cừ",
                "Nơi ở hiện nay": "Công ty ABC®, ©2020",
                "Trình độ chuyên môn": "Phòng Tổ chức ©",
            },
        ),
    ]


TCVN3_NAME = "Chuyển từ bảng mã TCVN3 (ABC)"
VNI_NAME = "Chuyển từ bảng mã VNI"


def test_tcvn3_and_vni_are_converted_on_the_preview_and_stored(client, cast, tree):
    job = _upload(client, cast.office, "cu.xlsx", f.xlsx(_records()), tree.a)
    assert job.status == JobStatus.VALIDATED and job.error_count == 0, job.errors
    assert job.notices == [
        [2, "Họ và tên*", "NguyÔn V¨n Hïng", "Nguyễn Văn Hùng", "tcvn3"],
        [2, "Nơi sinh", "Th¸i B×nh", "Thái Bình", "tcvn3"],
        [2, "Lý luận chính trị", "Trung cÊp", "Trung cấp", "tcvn3"],
        [3, "Họ và tên*", "Traàn Thò Höông", "Trần Thị Hương", "vni"],
        [3, "Giới tính*", "Nöõ", "Nữ", "vni"],
        [3, "Nơi sinh", "Quaûng Ngaõi", "Quảng Ngãi", "vni"],
    ]
    assert job.notice_count == 6 and job.notice_counts == {"tcvn3": 3, "vni": 3}
    by_row = {r["row"]: r for r in job.preview}
    assert (by_row["2"]["full_name_entered"], by_row["2"]["full_name"]) == ("NguyÔn V¨n Hïng", "Nguyễn Văn Hùng")
    assert (by_row["3"]["full_name_entered"], by_row["3"]["full_name"]) == ("Traàn Thò Höông", "Trần Thị Hương")
    assert (by_row["4"]["full_name_entered"], by_row["4"]["full_name"]) == ("", "Võ Thị Ô")

    page = client.get(reverse("imports:detail", args=[job.pk])).content.decode()
    # On the preview row (once) and in the list of conversions (once): written → stored.
    assert page.count("<s>NguyÔn V¨n Hïng</s> → Nguyễn Văn Hùng") == 2
    assert page.count("<s>Traàn Thò Höông</s> → Trần Thị Hương") == 2
    assert "<s>Th¸i B×nh</s> → Thái Bình" in page and "<s>Nöõ</s> → Nữ" in page
    assert page.count(TCVN3_NAME) == 3 and page.count(VNI_NAME) == 3
    assert "Có 6 giá trị được gõ bằng bảng mã tiếng Việt cũ (TCVN3, VNI)" in page
    assert "Văn bản được chuyển từ bảng mã cũ" in page
    assert "Các ngày được lưu khác với ngày ghi trong tệp" not in page  # no date of this file differs
    assert "Công ty ABC®, ©2020" not in page  # not a notice (the preview does not show residences)

    job = _apply(client, job)
    assert job.status == JobStatus.APPLIED and job.created_count == 3, job.message
    hung = Member.objects.get(citizen_id="092090000001")
    assert (hung.full_name, hung.birth_place, hung.political_theory) == ("Nguyễn Văn Hùng", "Thái Bình", "intermediate")
    assert hung.name_search == "nguyen van hung"
    huong = Member.objects.get(citizen_id="092190000002")
    assert (huong.full_name, huong.sex, huong.birth_place) == ("Trần Thị Hương", "F", "Quảng Ngãi")
    kept = Member.objects.get(citizen_id="092190000003")
    assert (kept.full_name, kept.birth_place, kept.residence, kept.professional_degree) == (
        "Võ Thị Ô",
        "Phù Cừ",
        "Công ty ABC®, ©2020",
        "Phòng Tổ chức ©",
    )

    # The member search finds them by their names without diacritics.
    found = client.get(reverse("members:list"), {"q": "nguyen van hung"}).content.decode()
    assert reverse("members:detail", args=[hung.pk]) in found and "Nguyễn Văn Hùng" in found
    found = client.get(reverse("members:list"), {"q": "tran thi huong"}).content.decode()
    assert reverse("members:detail", args=[huong.pk]) in found


def test_csv_in_vni_decomposed_is_converted(client, cast, tree):
    records = [
        _row(
            1,
            **{
                "Họ và tên*": "Nguyeãn Vaên Huøng",
                "Giới tính*": "Nam",
                "Nơi sinh": "Tröôøng Sa, Khaùnh Hoøa",
                "Lý luận chính trị": "Cöû nhaân",
            },
        ),
        _row(2, **{"Họ và tên*": "Leâ Thò Aùnh", "Nơi sinh": "Ñaø Naüng"}),
    ]
    # A UTF-8 CSV (decomposed, as a Mac writes it) holding VNI text.
    job = _upload(client, cast.office, "vni.csv", f.csv_bytes(records), tree.a)
    assert job.status == JobStatus.VALIDATED and job.error_count == 0, job.errors
    assert [n[3] for n in job.notices] == [
        "Nguyễn Văn Hùng",
        "Trường Sa, Khánh Hòa",
        "Cử nhân",
        "Lê Thị Ánh",
        "Đà Nẵng",
    ]
    assert {n[4] for n in job.notices} == {"vni"} and job.notice_counts == {"vni": 5}
    page = client.get(reverse("imports:detail", args=[job.pk])).content.decode()
    assert "<s>Nguyeãn Vaên Huøng</s> → Nguyễn Văn Hùng" in page
    assert "Có 5 giá trị được gõ bằng bảng mã tiếng Việt cũ (VNI)" in page

    job = _apply(client, job)
    assert job.status == JobStatus.APPLIED and job.created_count == 2, job.message
    hung = Member.objects.get(citizen_id="092090000001")
    assert (hung.full_name, hung.birth_place, hung.political_theory) == (
        "Nguyễn Văn Hùng",
        "Trường Sa, Khánh Hòa",
        "bachelor",
    )
    found = client.get(reverse("members:list"), {"q": "nguyen van hung"}).content.decode()
    assert reverse("members:detail", args=[hung.pk]) in found


def test_headers_typed_in_tcvn3_are_recognised(client, cast, tree):
    headers = ["Hä vµ tªn*", "Giíi tÝnh*", "Ngµy sinh*", "Sè CCCD", "M· chi bé*", "Ngµy vµo §¶ng*"]
    record = dict(
        zip(
            headers,
            ["Lª ThÞ Thu H" + SH + "¬ng", "N÷", "15/04/1990", "092190000009", "A1-C1", "03/02/2020"],
            strict=True,
        )
    )
    job = _upload(client, cast.office, "abc.xlsx", f.xlsx([record], headers=headers), tree.a)
    assert job.status == JobStatus.VALIDATED and job.error_count == 0, (job.message, job.errors)
    assert job.notices == [
        [2, "Họ và tên*", "Lª ThÞ Thu H" + SH + "¬ng", "Lê Thị Thu Hương", "tcvn3"],
        [2, "Giới tính*", "N÷", "Nữ", "tcvn3"],
    ]
    job = _apply(client, job)
    assert job.status == JobStatus.APPLIED
    assert Member.objects.get(citizen_id="092190000009").full_name == "Lê Thị Thu Hương"


def test_a_unicode_file_has_no_conversion(client, cast, tree):
    job = _upload(client, cast.office, "unicode.xlsx", f.xlsx([_records()[2], _row(4)]), tree.a)
    assert job.status == JobStatus.VALIDATED and job.notice_count == 0 and job.notices == []
    page = client.get(reverse("imports:detail", args=[job.pk])).content.decode()
    assert 'id="notices"' not in page and "<s>" not in page


def test_a_job_stored_before_notice_kinds_still_shows_and_applies(client, cast, tree):
    """Jobs checked before this change hold [row, column, written, stored] notices and only a total: they
    are official-membership dates, shown with their explanation, and their apply compares equal."""
    admitted = dt.date(2020, 2, 3)
    end = add_months(admitted, 12)
    late = end + dt.timedelta(days=1)
    records = [
        f.row(1, **{"Ngày vào Đảng*": fmt(admitted), "Ngày chính thức": fmt(late)}),
        f.row(2, **{"Họ và tên*": "NguyÔn V¨n Hïng", "Ngày vào Đảng*": fmt(admitted), "Ngày chính thức": fmt(end)}),
    ]
    job = _upload(client, cast.office, "mixed.xlsx", f.xlsx(records), tree.a)
    assert job.notices == [
        [2, "Ngày chính thức", fmt(late), fmt(end), "date"],
        [3, "Họ và tên*", "NguyÔn V¨n Hïng", "Nguyễn Văn Hùng", "tcvn3"],
    ]
    assert job.notice_counts == {"date": 1, "tcvn3": 1}
    page = client.get(reverse("imports:detail", args=[job.pk])).content.decode()
    assert "Có 1 dòng ghi ngày chính thức khác với ngày hết thời hạn dự bị" in page
    assert "Có 1 giá trị được gõ bằng bảng mã tiếng Việt cũ (TCVN3)" in page
    assert "Các ngày được lưu khác với ngày ghi trong tệp" in page and "Văn bản được chuyển từ bảng mã cũ" in page
    assert "Chính thức từ ngày hết thời hạn dự bị" in page and TCVN3_NAME in page

    # As stored before the kinds: a Unicode file whose only notice is a date, four elements, no counts.
    job = _upload(client, cast.office, "old.xlsx", f.xlsx(records[:1]), tree.a)
    ImportJob.objects.filter(pk=job.pk).update(notices=[[2, "Ngày chính thức", fmt(late), fmt(end)]], notice_counts={})
    page = client.get(reverse("imports:detail", args=[job.pk])).content.decode()
    assert "Có 1 dòng ghi ngày chính thức khác với ngày hết thời hạn dự bị" in page
    assert f"<s>{fmt(late)}</s> → {fmt(end)}" in page and "Chính thức từ ngày hết thời hạn dự bị" in page
    assert "bảng mã" not in page
    job = _apply(client, job)
    assert job.status == JobStatus.APPLIED and job.created_count == 1, job.message
    assert Member.objects.get(citizen_id="092190000001").official_date == end
