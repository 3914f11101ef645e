"""The member's review form (bản kiểm điểm, Mẫu 2A/2B/2C) filled from the self-assessment, and the minutes of
the cell's review meeting listing the proposals with their vote (issue 11 item 7): DOCX opened back with
python-docx and read; each allowed and denied by scope."""

from __future__ import annotations

import io

import docx
import pytest
from django.urls import reverse
from django.utils import timezone

from dangvu.meetings import services as meetings
from dangvu.meetings.models import MeetingKind, VoteMethod, VoteRule
from dangvu.meetings.tests.test_lifecycle import at, inv
from dangvu.reviews import services
from dangvu.reviews.models import Grade

pytestmark = pytest.mark.django_db


def read(response) -> tuple[list[str], list[list[list[str]]]]:
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxmlformats")
    document = docx.Document(io.BytesIO(response.content))
    tables = [[[c.text for c in row.cells] for row in t.rows] for t in document.tables]
    return [p.text for p in document.paragraphs], tables


def fill(review, actor, *, form="2A", submit=True):
    data = services.SelfAssessment(
        form,
        {"general": "28.5", "tasks": "63"},
        {"tasks": "Báo cáo tổng kết"},
        [{"title": "Soạn báo cáo", "on_time": True, "exceeded": True}, {"title": "Hội nghị", "on_time": False}],
        "Chậm báo cáo quý",
        "Lập kế hoạch tuần",
    )
    return services.save_self_assessment(review, data, actor, submit=submit)


def test_review_form_is_the_members_form_filled_from_the_self_assessment(client, cast, people, campaign):
    review = campaign.reviews.get(member=people["an"])
    fill(review, cast.member, submit=False)
    client.force_login(cast.member)
    url = reverse("reviews:form", args=[review.pk])
    assert f'href="{url}"' in client.get(reverse("reviews:self", args=[review.pk])).content.decode()
    paragraphs, tables = read(client.get(url))
    assert paragraphs[0] == "DỰ THẢO" and "Mẫu 2A" in paragraphs
    assert "BẢN KIỂM ĐIỂM ĐẢNG VIÊN" in paragraphs and "Năm 2026" in paragraphs
    assert "Họ và tên: Nguyễn Văn An" in paragraphs and "Sinh hoạt tại chi bộ: Chi bộ Phòng Một" in paragraphs
    groups, tasks = tables[0], tables[1]
    assert groups[0] == ["STT", "Nhóm tiêu chí", "Điểm tối đa", "Điểm tự chấm", "Minh chứng"]
    assert groups[1][2:4] == ["30", "28,5"] and groups[2][2:] == ["70", "63", "Báo cáo tổng kết"]
    assert groups[-1][1:4] == ["Tổng cộng", "100", "91,5"]
    assert tasks[1:] == [["1", "Soạn báo cáo", "Có", "Có"], ["2", "Hội nghị", "Chậm", ""]]
    assert "Hạn chế, khuyết điểm: Chậm báo cáo quý" in paragraphs
    # 91.5 points with a task late: "completed" (good also needs every task on time)
    assert "Tổng số điểm: 91,5. Tự xếp loại: Hoàn thành nhiệm vụ." in paragraphs
    signature = tables[-1][0][1]  # the foot's right column: the member signs
    assert "NGƯỜI TỰ KIỂM ĐIỂM" in signature and "Nguyễn Văn An" in signature


def test_form_shows_the_cells_proposal_once_submitted_and_proposed(client, tree, cast, people, campaign):
    review = fill(campaign.reviews.get(member=people["an"]), cast.member, form="2B")
    comments = "Gương mẫu, cần khắc phục chậm trễ"
    services.propose(
        campaign,
        tree.c1,
        [services.Proposal(review.pk, Grade.COMPLETED, comments=comments)],
        timezone.localdate(),
        cast.office,
    )
    client.force_login(cast.secretary)
    paragraphs, _tables = read(client.get(reverse("reviews:form", args=[review.pk])))
    assert paragraphs[0] == "Mẫu 2B"  # submitted: no draft mark
    assert "NHẬN XÉT, ĐÁNH GIÁ CỦA CHI BỘ" in paragraphs and comments in paragraphs
    assert any(p.startswith("Chi bộ đề xuất xếp loại: Hoàn thành nhiệm vụ") for p in paragraphs)


def test_review_form_denied_to_others(client, cast, people, campaign):
    url = reverse("reviews:form", args=[campaign.reviews.get(member=people["binh"]).pk])
    for user in (cast.member, cast.outsider):  # another member's review; another committee
        client.force_login(user)
        assert client.get(url).status_code == 404, user
    client.force_login(cast.office)
    assert client.get(url).status_code == 200


def test_minutes_list_the_proposals_with_their_vote(client, tree, cast, people, campaign):
    for key in ("an", "binh"):
        fill(campaign.reviews.get(member=people[key]), cast.member, form="2B")
    m = meetings.create_meeting(
        tree.c1, cast.secretary, kind=MeetingKind.REGULAR, starts_at=at(timezone.localdate(), 8), place="Hội trường"
    )
    meetings.open_meeting(m, cast.secretary)
    for key in ("an", "binh"):
        meetings.check_in(inv(m, people[key]), cast.secretary, at=m.starts_at)
    v = meetings.create_vote(
        m, cast.secretary, question="Đề xuất xếp loại", method=VoteMethod.COUNT, rule=VoteRule.MAJORITY_OF_MEMBERS
    )
    meetings.open_vote(v, cast.secretary)
    v = meetings.close_vote(v, cast.secretary, counts={"yes": 2, "no": 0, "abstain": 0})
    rows = [
        (services.Proposal(campaign.reviews.get(member=people[k]).pk, Grade.COMPLETED, comments="Đồng ý"), v)
        for k in ("an", "binh")
    ]
    m.refresh_from_db()
    services.propose_at_meeting(campaign, m, rows, cast.secretary)
    url = reverse("reviews:minutes", args=[campaign.pk, m.pk])
    client.force_login(cast.secretary)
    assert f'href="{url}"' in client.get(reverse("reviews:meeting", args=[campaign.pk, m.pk])).content.decode()
    paragraphs, tables = read(client.get(url))
    assert "BIÊN BẢN" in paragraphs and "Kiểm điểm, đánh giá, xếp loại đảng viên năm 2026" in paragraphs
    assert (
        "Chi bộ đề xuất xếp loại 2 đảng viên: Hoàn thành xuất sắc nhiệm vụ: 0; Hoàn thành tốt nhiệm vụ: 0; "
        "Hoàn thành nhiệm vụ: 2; Không hoàn thành nhiệm vụ: 0." in paragraphs
    )
    table = next(t for t in tables if t[0][:2] == ["STT", "Họ và tên"])
    assert [row[1] for row in table[1:]] == ["Nguyễn Văn An", "Trần Thị Bình"]
    assert table[1][2:] == [
        "2B",
        "91,5",
        "Hoàn thành nhiệm vụ",
        "Hoàn thành nhiệm vụ",
        "Đề xuất xếp loại: 2/2 tán thành, thông qua",
        "Đồng ý",
    ]
    assert "PHỤ LỤC" in paragraphs
    assert "Danh sách đảng viên, mức xếp loại chi bộ đề xuất và kết quả biểu quyết (năm 2026)" in paragraphs
    appendix = next(t for t in tables if t[0][:3] == ["STT", "Họ và tên", "Chi bộ đề xuất xếp loại"])
    assert appendix[0][3:] == [
        "Nội dung biểu quyết",
        "Số có quyền biểu quyết",
        "Tán thành",
        "Không tán thành",
        "Không biểu quyết",
        "Tỷ lệ tán thành",
        "Kết quả",
    ]
    vote = ["Hoàn thành nhiệm vụ", "Đề xuất xếp loại", "2", "2", "0", "0", "100%", "Thông qua"]
    assert appendix[1:] == [["1", "Nguyễn Văn An", *vote], ["2", "Trần Thị Bình", *vote]]
    for user, status in ((cast.outsider, 404), (cast.member, 404)):
        client.force_login(user)
        assert client.get(url).status_code == status, user
