"""Malformed import files, kept as a corpus (issue 16 acceptance, docs/security.md "Upload and import checks").

Each file goes through the import page as the committee office would send it: it is refused — on the form, or
as a failed job with its message or its row errors — nothing is written (members, events, periods and their
history), and applying the job afterwards writes nothing either. The expected message of each is written by
hand, in the UI language (Vietnamese). The corpus is counted, so it cannot silently shrink."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from dangvu.imports.models import ImportJob, JobStatus
from dangvu.imports.tests import factories as f
from dangvu.members.models import Member, MemberEvent, MemberPeriod
from dangvu.tasks.worker import drain

pytestmark = pytest.mark.django_db
INDEX = reverse("imports:index")
MIN_FILES = 24


def _zip(parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return out.getvalue()


def _inflate(data: bytes, marker: str, size: int) -> bytes:
    """The workbook `data` with the shared string `marker` grown to `size` characters, repacked."""
    source = zipfile.ZipFile(io.BytesIO(data))
    parts = {i.filename: source.read(i) for i in source.infolist()}
    parts = {n: d.replace(marker.encode(), b"A" * size) for n, d in parts.items()}
    return _zip(parts)


def _docx() -> bytes:
    from docx import Document

    out = io.BytesIO()
    Document().save(out)
    return out.getvalue()


def _empty_workbook() -> bytes:
    from openpyxl import Workbook

    out = io.BytesIO()
    Workbook().save(out)
    return out.getvalue()


def _rows(**changes) -> list[dict]:
    records = f.rows(3)
    records[1].update(changes)
    return records


NOT_UTF8 = "không được mã hóa UTF-8 (dòng 1)"
REPEATED = "Dòng 1 có cột bị lặp lại: Họ và tên."
NO_HEADER = "Không tìm thấy dòng tiêu đề"
NOT_XLSX = "Tệp không phải là bảng tính Excel .xlsx"
DAMAGED = "Tệp bị hỏng, không mở được."
NOT_OFFICE = "Tệp không phải là tài liệu Office hợp lệ"
REQUIRED = "Thiếu cột bắt buộc: Mã chi bộ*, Ngày vào Đảng*."
# (file name, content, where the refusal is read: "message" — the job's or the form's, in the UI language
# (Vietnamese) — or "rows" — the row errors —, a fragment of the expected message or the number of errors)
CORPUS = [
    ("empty.csv", b"", "message", "Tập tin được gửi là rỗng."),  # Django's FileField, Vietnamese
    ("windows-1258.csv", b"H\xf2o v\xe0 t\xean;Gi\xf4\xec\xf9i t\xednh\r\n", "message", NOT_UTF8),
    ("utf-16.csv", "Họ và tên*;Giới tính*".encode("utf-16"), "message", NOT_UTF8),
    ("excel-97.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504, "message", NOT_XLSX),
    ("ole-named.csv", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504, "message", NOT_XLSX),
    ("spreadsheet.ods", b"not really an ods", "message", NOT_XLSX),
    ("damaged.xlsx", b"PK\x03\x04garbage", "message", DAMAGED),
    ("zip-of-text.xlsx", _zip({"readme.txt": b"hello"}), "message", NOT_OFFICE),
    ("word.xlsx", _docx(), "message", NOT_OFFICE),
    ("empty-workbook.xlsx", _empty_workbook(), "message", NO_HEADER),
    ("bomb.xlsx", _inflate(f.xlsx(f.rows(2, **{"Nơi sinh": "BOMB"})), "BOMB", 100 << 20), "message", "MB"),
    ("page.csv", b"<!doctype html><html><body><script>alert(1)</script></body></html>", "message", NO_HEADER),
    ("report.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", "message", NO_HEADER),
    ("headers-only.csv", f.csv_bytes([]), "message", "Tệp không có dòng dữ liệu nào."),
    ("three-columns.csv", f.csv_bytes([{}], ["Họ và tên*", "Giới tính*", "Ngày sinh*"]), "message", REQUIRED),
    ("repeated-column.csv", f.csv_bytes(f.rows(1), [*f.HEADERS, "Họ và tên*"]), "message", REPEATED),
    ("long-cell.csv", f.csv_bytes(f.rows(1, **{"Nơi sinh": "y" * 32_768}), nfd=False), "message", "E2"),
    # A NUL after an opening quote: the quote swallows the rest of the row (one cell too long); the NUL is
    # stripped on reading (it broke the job's error report on PostgreSQL).
    ("nul-quote.csv", f.csv_bytes(f.rows(2)).replace(b"Kinh", b'"Kinh\0'), "rows", 1),
    ("bad-date.csv", f.csv_bytes(_rows(**{"Ngày vào Đảng*": "2020/13/45"})), "rows", 1),
    ("no-such-day.csv", f.csv_bytes(_rows(**{"Ngày sinh*": "31/02/1990"})), "rows", 1),
    ("bad-sex.csv", f.csv_bytes(_rows(**{"Giới tính*": "X"})), "rows", 1),
    ("short-citizen-id.csv", f.csv_bytes(_rows(**{"Số CCCD": "0921900"})), "rows", 1),
    ("unknown-cell.csv", f.csv_bytes(_rows(**{"Mã chi bộ*": "ZZ-99"})), "rows", 1),
    ("other-committee-cell.csv", f.csv_bytes(_rows(**{"Mã chi bộ*": "B1-C3"})), "rows", 1),
    ("not-a-cell.csv", f.csv_bytes(_rows(**{"Mã chi bộ*": "A1"})), "rows", 1),
    ("duplicate-rows.csv", f.csv_bytes([*f.rows(2), f.row(1)]), "rows", 2),
    ("huge-value.csv", f.csv_bytes(_rows(**{"Ngày sinh*": "9" * 30_000})), "rows", 1),
    ("official-before-admission.csv", f.csv_bytes(_rows(**{"Ngày chính thức": "01/01/2019"})), "rows", 1),
]


def counts() -> tuple[int, ...]:
    return (
        Member.objects.count(),
        MemberEvent.objects.count(),
        MemberPeriod.objects.count(),
        Member.history.count(),
        MemberEvent.history.count(),
    )


def test_the_corpus_is_kept_whole():
    assert len(CORPUS) >= MIN_FILES
    assert len({name for name, *_rest in CORPUS}) == len(CORPUS)


@pytest.mark.parametrize(("name", "data", "where", "expected"), CORPUS, ids=[c[0] for c in CORPUS])
def test_a_malformed_file_is_refused_and_writes_nothing(client, tree, cast, people, name, data, where, expected):
    before = counts()
    client.force_login(cast.office)
    response = client.post(INDEX, {"organisation": tree.a.pk, "file": SimpleUploadedFile(name, data)})
    if response.status_code == 200:  # refused on the form: no job
        assert where == "message" and ImportJob.objects.count() == 0, name
        errors = " ".join(str(e) for field in response.context["form"].errors.values() for e in field)
        assert expected in errors and errors, (name, errors)
    else:
        assert response.status_code == 302, name
        drain()
        job = ImportJob.objects.get()
        assert job.status == JobStatus.FAILED, (name, job.status, job.message)
        if where == "message":
            assert job.message and expected in job.message and job.errors == [], (name, job.message, job.errors)
        else:
            assert job.error_count == expected and len(job.errors) == expected, (name, job.errors)
            # Bad values are kept as bounded excerpts, without the control characters that were stripped.
            assert all(len(str(value)) < 120 for _row, _column, value, _message in job.errors), name
            assert "\x00" not in str(job.errors), name
        client.post(reverse("imports:apply", args=[job.pk]))
        drain()
        job.refresh_from_db()
        assert job.status == JobStatus.FAILED, name
    assert counts() == before, name
