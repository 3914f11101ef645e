"""The documents of an inspection or supervision (issue 12 item 1): a PDF and a DOCX attached on the page,
content checked (HTML named .pdf, random bytes named .docx refused beside the field, nothing stored),
downloaded by those who see the activity (404 out of scope, 403 without the capability), withdrawn after
one confirmation with the row kept and audited; the API lists and serves them."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from dangvu import testing
from dangvu.accounts.models import Role
from dangvu.api.tests.conftest import ApiClient
from dangvu.inspection import services
from dangvu.inspection.models import ActivityFile
from dangvu.inspection.tests.conftest import inspect
from dangvu.lib.errors import DomainError

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def docx_bytes(text: str) -> bytes:
    from docx import Document

    doc = Document()
    doc.add_paragraph(text)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def field_error(page: str, field: str) -> str:
    match = re.search(rf'<ul[^>]*id="id_{field}_error"[^>]*>(.*?)</ul>', page, re.S)
    assert match, f"no error beside {field}"
    return re.sub(r"<[^>]+>", "", match.group(1)).strip()


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def activity(tree, cast):
    return inspect(tree.a, [tree.a_base], dt.date(2024, 3, 1), cast.inspector, title="Kiểm tra dấu hiệu A1")


def upload(client, activity, name: str, content: bytes, kind: str = "decision", title: str = "Quyết định đã ký"):
    return client.post(
        reverse("inspection:upload_file", args=[activity.pk]),
        {"kind": kind, "title": title, "file": SimpleUploadedFile(name, content)},
    )


def test_a_pdf_and_a_docx_are_attached_and_listed(client, cast, activity):
    client.force_login(cast.inspector)
    response = upload(client, activity, "quyet-dinh.pdf", PDF)
    assert response.status_code == 302 and response["Location"] == reverse("inspection:activity", args=[activity.pk])
    response = upload(client, activity, "bao-cao.docx", docx_bytes("Báo cáo tự kiểm điểm"), "subject_report", "Báo cáo")
    assert response.status_code == 302
    pdf, docx = ActivityFile.objects.order_by("id")
    assert (pdf.kind, pdf.filename, pdf.size, pdf.content_type) == (
        "decision",
        "quyet-dinh.pdf",
        len(PDF),
        "application/pdf",
    )
    assert (docx.kind, docx.title, docx.uploaded_by) == ("subject_report", "Báo cáo", cast.inspector)
    assert pdf.history.get().history_change_reason == "document attached"
    assert pdf.history.get().history_user == cast.inspector
    page = client.get(reverse("inspection:activity", args=[activity.pk])).content.decode()
    assert "Tài liệu" in page and "Quyết định đã ký" in page and "Báo cáo của đối tượng" in page
    assert reverse("inspection:file", args=[activity.pk, pdf.pk]) in page
    assert 'id="file-form"' in page and 'enctype="multipart/form-data"' in page


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("quyet-dinh.pdf", b"<html><script>alert(1)</script></html>", "PDF"),
        ("bao-cao.docx", bytes(range(256)) * 4, "DOCX"),
    ],
)
def test_a_file_whose_content_is_not_what_its_name_says_is_refused(client, cast, activity, name, content, expected):
    client.force_login(cast.inspector)
    response = upload(client, activity, name, content)
    assert response.status_code == 422
    message = field_error(response.content.decode(), "file")
    assert message == f"Nội dung tệp không phải là tài liệu {expected}, dù tên tệp ghi như vậy."
    assert not ActivityFile.objects.exists()


def test_the_form_is_only_for_the_inspection_managers(client, cast, activity):
    for name, user in cast.all().items():
        client.force_login(user)
        response = upload(client, activity, f"{name}.pdf", PDF)
        if name in {"inspector", "admin"}:
            assert response.status_code == 302, name
        else:
            assert response.status_code in (403, 404), name
    assert ActivityFile.objects.count() == 2
    client.force_login(cast.leader)  # the leader sees the activity, without the form
    page = client.get(reverse("inspection:activity", args=[activity.pk])).content.decode()
    assert "inspector.pdf" in page and 'id="file-form"' not in page and "withdraw-form" not in page


def test_download_in_scope_only(client, tree, cast, activity):
    pdf = services.add_file(
        activity, kind="decision", title="QĐ", upload=SimpleUploadedFile("qd.pdf", PDF), actor=cast.inspector
    )
    docx = services.add_file(
        activity,
        kind="team_report",
        title="Báo cáo của đoàn",
        upload=SimpleUploadedFile("bc.docx", docx_bytes("Đoàn báo cáo")),
        actor=cast.inspector,
    )
    pdf_url = reverse("inspection:file", args=[activity.pk, pdf.pk])
    docx_url = reverse("inspection:file", args=[activity.pk, docx.pk])
    inspector_b = testing.user("inspector_b", Role.INSPECTION, tree.b)
    expected = {
        "admin": 200,
        "office": 200,
        "inspector": 200,
        "leader": 200,
        "secretary": 403,
        "member": 403,
        "outsider": 404,  # an office of B holds inspection.view, over B only
        "nobody": 403,
    }
    for name, user in {**cast.all(), "inspector_b": inspector_b}.items():
        client.force_login(user)
        status = client.get(pdf_url).status_code
        assert status == expected.get(name, 404), name
    client.force_login(cast.office)
    response = client.get(pdf_url)
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf" and response["Content-Disposition"].startswith("inline")
    response = client.get(docx_url)
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment") and "bc.docx" in response["Content-Disposition"]
    other = inspect(tree.a, [tree.a_base], dt.date(2024, 5, 1), cast.inspector, title="Khác")
    assert client.get(reverse("inspection:file", args=[other.pk, pdf.pk])).status_code == 404


def test_withdrawal_asks_once_keeps_the_row_and_audits_it(client, cast, activity):
    stored = services.add_file(
        activity, kind="evidence", title="Nhầm tệp", upload=SimpleUploadedFile("nham.pdf", PDF), actor=cast.inspector
    )
    client.force_login(cast.inspector)
    url = reverse("inspection:withdraw_file", args=[activity.pk, stored.pk])
    field = f"withdraw{stored.pk}-reason"
    asked = client.post(url, {field: "Tải nhầm tệp"})
    assert asked.status_code == 409 and 'name="confirmed" value="withdraw_inspection_file"' in asked.content.decode()
    assert ActivityFile.objects.get().withdrawn_at is None
    empty = client.post(url, {field: "", "confirmed": "withdraw_inspection_file"})
    assert empty.status_code == 422 and field_error(empty.content.decode(), field)
    assert ActivityFile.objects.get().withdrawn_at is None
    done = client.post(url, {field: "Tải nhầm tệp", "confirmed": "withdraw_inspection_file"})
    assert done.status_code == 302
    row = ActivityFile.objects.get()
    assert (row.withdrawn_by, row.withdrawal_reason, row.file.name != "") == (cast.inspector, "Tải nhầm tệp", True)
    assert row.history.first().history_change_reason == "document withdrawn"
    assert row.history.first().history_user == cast.inspector and row.history.count() == 2
    assert client.get(reverse("inspection:file", args=[activity.pk, stored.pk])).status_code == 404
    page = client.get(reverse("inspection:activity", args=[activity.pk])).content.decode()
    assert 'id="withdrawn-files"' in page and "Tải nhầm tệp" in page and f'id="file-{stored.pk}"' not in page
    again = client.post(url, {field: "Lần nữa", "confirmed": "withdraw_inspection_file"})
    assert again.status_code == 404
    with pytest.raises(DomainError):
        services.withdraw_file(row, reason="Lần nữa", actor=cast.inspector)
    client.force_login(cast.leader)
    assert client.post(url, {field: "X", "confirmed": "withdraw_inspection_file"}).status_code == 403


def test_the_api_lists_and_serves_the_documents(client, tree, cast, activity):
    pdf = services.add_file(
        activity, kind="decision", title="QĐ", upload=SimpleUploadedFile("qd.pdf", PDF), actor=cast.inspector
    )
    gone = services.add_file(
        activity, kind="other", title="Nhầm", upload=SimpleUploadedFile("x.pdf", PDF), actor=cast.inspector
    )
    services.withdraw_file(gone, reason="Nhầm", actor=cast.inspector)
    body = ApiClient(client, cast.leader).get(f"/inspection/activities/{activity.pk}").json()
    assert [(f["id"], f["kind"], f["filename"], f["size"]) for f in body["files"]] == [
        (pdf.pk, "decision", "qd.pdf", len(PDF))
    ]
    assert body["files"][0]["url"] == f"/api/v1/inspection/files/{pdf.pk}"
    response = ApiClient(client, cast.leader).get(f"/inspection/files/{pdf.pk}")
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert ApiClient(client, cast.leader).get(f"/inspection/files/{gone.pk}").status_code == 404
    assert ApiClient(client, cast.outsider).get(f"/inspection/files/{pdf.pk}").status_code == 404
    assert ApiClient(client, cast.secretary).get(f"/inspection/files/{pdf.pk}").status_code == 403
