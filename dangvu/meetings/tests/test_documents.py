"""Meeting documents (issue 4 item 2): upload and versions by those who run the meeting, the file (PDF
inline so the browser's viewer opens it, DOCX and XLSX as attachments), the reading view (DOCX paragraphs and
tables, XLSX sheets capped at 500 rows, PDF in a frame), personal notes only their author reads, and access
for the invited and those who run the meeting only (an inspector who may see the meeting, but is not
invited, gets 404 for its documents).
"""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from dangvu import testing
from dangvu.accounts.models import Role
from dangvu.meetings import services
from dangvu.meetings.models import DocumentNote, DocumentVersion, MeetingDocument, MeetingKind
from dangvu.meetings.tests.test_lifecycle import at, inv
from dangvu.meetings.tests.test_views import as_user, messages_of

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("old_meetings")]  # a history of meetings
HX = {"HTTP_HX_REQUEST": "true"}
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TINY_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def docx_bytes(*paragraphs: str, table: list[list[str]] | None = None, heading: str = "") -> bytes:
    from docx import Document

    doc = Document()
    if heading:
        doc.add_heading(heading, level=1)
    for text in paragraphs:
        doc.add_paragraph(text)
    if table:
        grid = doc.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, value in enumerate(row):
                grid.cell(r, c).text = value
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def xlsx_bytes() -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Đảng phí"
    ws.append(["Họ và tên", "Số tiền", "Ngày nộp"])
    ws.append(["Nguyễn Văn An", 45000, dt.date(2025, 6, 5)])
    ws.append(["Trần Thị Bình", 52000.0, dt.date(2025, 6, 6)])
    long = wb.create_sheet("Dài")
    for i in range(1, 601):
        long.append([f"dòng {i}", i])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def upload(name: str, content: bytes, content_type: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.fixture
def world(tree, people, cast, media):
    """A planned C1 meeting (An, the cast's member, and Bình invited; Bình chairs) with one agenda item;
    Đức of C2 has a user but is not invited."""
    binh = testing.user("binh", Role.MEMBER, tree.c1, member_record=people["binh"])
    duc = testing.user("duc", Role.MEMBER, tree.c2, member_record=people["duc"])
    meeting = services.create_meeting(
        tree.c1,
        cast.secretary,
        kind=MeetingKind.REGULAR,
        starts_at=at(dt.date(2025, 6, 10), 14),
        place="Phòng họp",
        chair=people["binh"],
        agenda=[services.AgendaSpec("Dự thảo nghị quyết")],
    )
    return {"meeting": meeting, "binh": binh, "duc": duc}


def add(client, user, meeting, name: str, content: bytes, content_type: str, title: str = "Tài liệu", item=None):
    data = {"document-title": title, "document-file": upload(name, content, content_type)}
    if item is not None:
        data["document-agenda_item"] = item.pk
    return as_user(client, user).post(reverse("meetings:document_add", args=[meeting.pk]), data)


def test_upload_docx_and_read_it_in_the_browser(client, cast, world):
    meeting = world["meeting"]
    item = meeting.agenda.get()
    content = docx_bytes(
        "Chi bộ thống nhất đánh giá kết quả tháng 6.",
        "Đề nghị biểu dương đồng chí An.",
        heading="Dự thảo nghị quyết",
        table=[["Chỉ tiêu", "Kết quả"], ["Kết nạp đảng viên", "2/2"]],
    )
    response = add(client, cast.secretary, meeting, "du-thao.docx", content, DOCX_TYPE, "Dự thảo NQ", item)
    assert response.status_code == 302
    document = MeetingDocument.objects.get()
    assert document.agenda_item == item and document.title == "Dự thảo NQ"
    version = document.versions.get()
    assert version.number == 1 and version.content_type == DOCX_TYPE and version.size == len(content)
    # Listed with its agenda item on the meeting page.
    page = as_user(client, cast.member).get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert f'data-document="{document.pk}"' in page
    # The file downloads as an attachment, unchanged.
    file = as_user(client, cast.member).get(reverse("meetings:document", args=[document.pk]))
    assert file.status_code == 200 and file["Content-Type"] == DOCX_TYPE
    assert file["Content-Disposition"].startswith("attachment")
    assert b"".join(file.streaming_content) == content
    # The reading view shows headings, paragraphs and the table.
    preview = as_user(client, cast.member).get(reverse("meetings:document_preview", args=[document.pk]))
    body = preview.content.decode()
    assert preview.status_code == 200 and 'data-kind="docx"' in body
    assert 'role="heading"' in body and "Dự thảo nghị quyết" in body
    assert "Chi bộ thống nhất đánh giá kết quả tháng 6." in body
    assert "<td>Kết nạp đảng viên</td><td>2/2</td>" in body


def test_xlsx_preview_shows_sheets_and_caps_rows(client, cast, world):
    meeting = world["meeting"]
    add(client, cast.secretary, meeting, "dang-phi.xlsx", xlsx_bytes(), XLSX_TYPE, "Đảng phí quý II")
    document = MeetingDocument.objects.get()
    file = as_user(client, cast.member).get(reverse("meetings:document", args=[document.pk]))
    assert file["Content-Disposition"].startswith("attachment") and file["Content-Type"] == XLSX_TYPE
    body = as_user(client, cast.member).get(reverse("meetings:document_preview", args=[document.pk])).content.decode()
    assert 'data-kind="xlsx"' in body and 'data-sheet="Đảng phí"' in body and 'data-sheet="Dài"' in body
    assert "<td>Nguyễn Văn An</td><td>45000</td><td>05/06/2025</td>" in body
    assert "<td>52000</td>" in body
    assert "<td>dòng 500</td>" in body and "<td>dòng 501</td>" not in body
    assert body.count("mtg-truncated") == 1  # only the long sheet is cut


def test_pdf_opens_inline_and_is_framed_by_the_reading_view(client, cast, world):
    meeting = world["meeting"]
    add(client, cast.secretary, meeting, "bao-cao.pdf", TINY_PDF, "application/pdf", "Báo cáo")
    document = MeetingDocument.objects.get()
    file = as_user(client, cast.member).get(reverse("meetings:document", args=[document.pk]))
    assert file.status_code == 200 and file["Content-Type"] == "application/pdf"
    assert file["Content-Disposition"].startswith("inline")
    assert b"".join(file.streaming_content) == TINY_PDF
    # Our own page may frame it (and only ours).
    assert file["X-Frame-Options"] == "SAMEORIGIN"
    assert "frame-ancestors 'self'" in file["Content-Security-Policy"]
    body = as_user(client, cast.member).get(reverse("meetings:document_preview", args=[document.pk])).content.decode()
    src = reverse("meetings:document", args=[document.pk, 1])
    assert f'<iframe class="mtg-pdf" src="{src}"' in body
    # The pages themselves still refuse to be framed.
    page = as_user(client, cast.member).get(reverse("meetings:document_preview", args=[document.pk]))
    assert page["X-Frame-Options"] == "DENY" and "frame-ancestors 'none'" in page["Content-Security-Policy"]


def test_new_versions_keep_the_old_ones(client, cast, world):
    meeting = world["meeting"]
    add(client, cast.secretary, meeting, "du-thao.docx", docx_bytes("Bản một"), DOCX_TYPE)
    document = MeetingDocument.objects.get()
    url = reverse("meetings:version_add", args=[document.pk])
    # Only those who run the meeting upload versions.
    denied = as_user(client, cast.member).post(url, {"file": upload("v2.docx", docx_bytes("Bản hai"), DOCX_TYPE)})
    assert denied.status_code == 403
    response = as_user(client, world["binh"]).post(url, {"file": upload("v2.docx", docx_bytes("Bản hai"), DOCX_TYPE)})
    assert response.status_code == 302
    assert list(document.versions.values_list("number", flat=True)) == [1, 2]
    c = as_user(client, cast.member)
    latest = c.get(reverse("meetings:document_preview", args=[document.pk])).content.decode()
    first = c.get(reverse("meetings:document_preview", args=[document.pk, 1])).content.decode()
    assert "Bản hai" in latest and "Bản một" not in latest
    assert "Bản một" in first and 'data-version="1"' in first
    assert c.get(reverse("meetings:document_preview", args=[document.pk, 9])).status_code == 404
    v1 = b"".join(c.get(reverse("meetings:document", args=[document.pk, 1])).streaming_content)
    assert v1 == DocumentVersion.objects.get(document=document, number=1).file.open("rb").read()
    page = c.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert 'data-version="1"' in page and 'data-version="2"' in page


def test_refused_uploads_store_nothing(client, cast, world, people, media):
    meeting = world["meeting"]
    # Not a PDF, DOCX or XLSX.
    response = add(client, cast.secretary, meeting, "anh.png", b"\x89PNG...", "image/png")
    assert response.status_code == 302 and messages_of(response)
    # No title: the form is shown again.
    response = add(client, cast.secretary, meeting, "a.pdf", TINY_PDF, "application/pdf", title="")
    assert response.status_code == 400
    # A plain member, an inspector of A, the outsider.
    assert add(client, cast.member, meeting, "a.pdf", TINY_PDF, "application/pdf").status_code == 403
    assert add(client, cast.inspector, meeting, "a.pdf", TINY_PDF, "application/pdf").status_code == 403
    assert add(client, cast.outsider, meeting, "a.pdf", TINY_PDF, "application/pdf").status_code == 404
    assert not MeetingDocument.objects.exists() and not DocumentVersion.objects.exists()
    # Locked after approval: refused with a message.
    add(client, cast.secretary, meeting, "a.pdf", TINY_PDF, "application/pdf")
    document = MeetingDocument.objects.get()
    services.open_meeting(meeting, None)
    services.check_in(inv(meeting, people["an"]), None, at=meeting.starts_at)
    services.close_meeting(meeting, None)
    services.approve_minutes(meeting, world["binh"])
    response = add(client, cast.secretary, meeting, "b.pdf", TINY_PDF, "application/pdf")
    assert response.status_code == 302 and messages_of(response)
    response = as_user(client, cast.secretary).post(
        reverse("meetings:version_add", args=[document.pk]), {"file": upload("c.pdf", TINY_PDF, "application/pdf")}
    )
    assert response.status_code == 302 and messages_of(response)
    assert MeetingDocument.objects.count() == 1 and DocumentVersion.objects.count() == 1


def test_documents_are_for_the_invited_and_those_who_run_the_meeting(client, cast, world):
    meeting = world["meeting"]
    add(client, cast.secretary, meeting, "a.pdf", TINY_PDF, "application/pdf")
    document = MeetingDocument.objects.get()
    urls = [
        reverse("meetings:document", args=[document.pk]),
        reverse("meetings:document", args=[document.pk, 1]),
        reverse("meetings:document_preview", args=[document.pk]),
    ]
    allowed = [cast.member, world["binh"], cast.secretary, cast.office, cast.admin]
    for user in allowed:
        for url in urls:
            assert as_user(client, user).get(url).status_code == 200, (user, url)
    # The inspector and the leader of A see the meeting page but not its documents (not invited, do not run it).
    for user in (cast.inspector, cast.leader):
        page = as_user(client, user).get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
        assert 'id="documents-restricted"' in page and f'data-document="{document.pk}"' not in page
    for user in (cast.inspector, cast.leader, cast.outsider, world["duc"], cast.nobody):
        for url in urls:
            assert as_user(client, user).get(url).status_code == 404, (user, url)
        note = as_user(client, user).post(reverse("meetings:note", args=[document.pk]), {"text": "x"})
        assert note.status_code == 404
    assert not DocumentNote.objects.exists()


def test_notes_are_private(client, cast, world):
    meeting = world["meeting"]
    add(client, cast.secretary, meeting, "a.docx", docx_bytes("Nội dung"), DOCX_TYPE)
    document = MeetingDocument.objects.get()
    note_url = reverse("meetings:note", args=[document.pk])
    preview_url = reverse("meetings:document_preview", args=[document.pk])
    response = as_user(client, cast.member).post(note_url, {"text": "Hỏi lại số liệu mục 2"}, **HX)
    assert response.status_code == 200 and 'id="note-saved"' in response.content.decode()
    assert "Hỏi lại số liệu mục 2" in as_user(client, cast.member).get(preview_url).content.decode()
    # Another reader (who runs the meeting) sees an empty note of their own, never An's.
    assert "Hỏi lại số liệu mục 2" not in as_user(client, cast.secretary).get(preview_url).content.decode()
    as_user(client, cast.secretary).post(note_url, {"text": "Chuẩn bị trả lời"})
    assert "Chuẩn bị trả lời" not in as_user(client, cast.member).get(preview_url).content.decode()
    # Saving again updates the same note.
    response = as_user(client, cast.member).post(note_url, {"text": "Đã rõ"})
    assert response.status_code == 302
    notes = dict(DocumentNote.objects.values_list("user__username", "text"))
    assert notes == {"member": "Đã rõ", "secretary": "Chuẩn bị trả lời"}


def test_an_unreadable_file_is_offered_for_download(client, cast, world):
    meeting = world["meeting"]
    # Damaged files are refused at upload (dangvu.lib.uploads); one stored before that check, or damaged on
    # disk since, still leaves the page working.
    add(client, cast.secretary, meeting, "hong.docx", docx_bytes("Bản tốt"), DOCX_TYPE)
    document = MeetingDocument.objects.get()
    version = document.versions.get()
    version.file.save("hong.docx", ContentFile(b"not a zip at all"), save=True)
    body = as_user(client, cast.member).get(reverse("meetings:document_preview", args=[document.pk])).content.decode()
    assert 'id="unreadable"' in body and reverse("meetings:document", args=[document.pk, 1]) in body
