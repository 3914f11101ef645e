"""A small library over the test tree: resolutions of committee A, Sở Một and the city (published with their
texts), an unpublished report of Sở Một, and a published resolution of committee B (another branch)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from dangvu.docregister import services as register
from dangvu.docregister.models import Document
from dangvu.docregister.tests.conftest import entry, terms  # noqa: F401  (fixture)
from dangvu.library import services

DIGITAL_BODY = (
    "Đẩy mạnh chuyển đổi số trong sinh hoạt chi bộ: mỗi đảng viên dùng sổ tay đảng viên điện tử để đọc "
    "nghị quyết, chuẩn bị sinh hoạt chi bộ trực tuyến và gửi ý kiến tới cấp ủy. Sổ tay đảng viên điện tử "
    "được cập nhật hằng tháng."
)
CADRE_BODY = "Về công tác cán bộ; khuyến khích dùng sổ tay đảng viên điện tử khi có điều kiện."


@dataclass
class Library:
    digital: Document  # committee A, NQ, 2026, published: the best match for "so tay dang vien dien tu"
    cadre: Document  # Sở Một, NQ, 2025, published: the words in its body only once
    city: Document  # the city, CT, 2026, published
    report: Document  # Sở Một, BC, unpublished
    other_branch: Document  # committee B, NQ, published


@pytest.fixture
def library(tree, cast, terms):  # noqa: F811
    def make(org, actor, title, doc_type="NQ", date=dt.date(2026, 3, 2), body="", published=True):
        document = register.register(entry(org, doc_type=doc_type, date=date, title=title), actor)
        if body or published:
            services.edit(document, actor, body_text=body, published=published)
        return document

    return Library(
        digital=make(tree.a, cast.office, "Nghị quyết về xây dựng sổ tay đảng viên điện tử", body=DIGITAL_BODY),
        cadre=make(
            tree.a_base, cast.office, "Nghị quyết về công tác cán bộ", date=dt.date(2025, 11, 4), body=CADRE_BODY
        ),
        city=make(tree.city, cast.admin, "Chỉ thị về học tập nghị quyết", doc_type="CT", body="Học tập nghị quyết."),
        report=make(
            tree.a_base, cast.office, "Báo cáo sơ kết sổ tay đảng viên điện tử", doc_type="BC", published=False
        ),
        other_branch=make(
            tree.b, cast.outsider, "Nghị quyết về sổ tay đảng viên điện tử của khối B", body=DIGITAL_BODY
        ),
    )
