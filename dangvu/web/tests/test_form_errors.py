"""Every form shows each error beside its field, its own errors and a linked summary on top, and long forms
in sections (issue 9 item 9; dangvu.web.forms.Renderer and web/forms/*.html). A bad submit changes nothing."""

from __future__ import annotations

import pytest
from django.urls import reverse
from lxml import html

from dangvu.admission.models import Candidate
from dangvu.members.models import Member
from dangvu.rules.models import RuleSet
from dangvu.transfers.models import Transfer

pytestmark = pytest.mark.django_db


def page(response) -> html.HtmlElement:
    assert response.status_code == 200
    return html.fromstring(response.content.decode())


def error_beside(doc: html.HtmlElement, field_id: str) -> str:
    """The text of the field's error, after checking that it is shown right after the widget, in the same
    field block, named by the widget's aria-describedby, the widget marked invalid, and linked from the
    summary on top of the form."""
    widget = doc.get_element_by_id(field_id)
    error = doc.get_element_by_id(f"{field_id}_error")
    assert widget.get("aria-invalid") == "true"
    assert f"{field_id}_error" in widget.get("aria-describedby", "").split()
    block = next(a for a in widget.iterancestors() if "field" in a.classes)
    assert "has-error" in block.classes and error in block.iterdescendants()
    order = list(doc.iter())
    assert order.index(widget) < order.index(error)  # after the widget, not above the form
    summary = doc.get_element_by_id("form-errors")
    assert summary.get("role") == "alert"
    assert summary.xpath(f".//a[@href='#{field_id}']"), f"the summary does not link to {field_id}"
    assert order.index(summary) < order.index(widget)
    return error.text_content().strip()


def by_class(doc: html.HtmlElement, tag: str, name: str) -> list[html.HtmlElement]:
    return doc.xpath(f"//{tag}[contains(concat(' ', normalize-space(@class), ' '), ' {name} ')]")


def sections(doc: html.HtmlElement) -> dict[str, list[str]]:
    """{legend: [names of the fields in that fieldset]} of the page's form sections."""
    return {
        (fieldset.findtext("legend") or "").strip(): [el.get("name") for el in fieldset.xpath(".//*[@name]")]
        for fieldset in by_class(doc, "fieldset", "form-section")
    }


def test_member_form_bad_submit_shows_each_error_beside_its_field_in_sections(client, cast, tree):
    client.force_login(cast.office)
    before = Member.objects.count()
    response = client.post(
        reverse("members:create"),
        {"full_name": "", "sex": "M", "birth_date": "31/02/1990", "citizen_id": "12", "cell": tree.c1.pk},
    )
    doc = page(response)
    assert error_beside(doc, "id_full_name") == "Trường này là bắt buộc."
    assert error_beside(doc, "id_birth_date") == "Không có ngày này: tháng 2/1990 chỉ có 28 ngày."
    assert "12 chữ số" in error_beside(doc, "id_citizen_id")
    assert error_beside(doc, "id_admission_date") == "Trường này là bắt buộc."
    groups = sections(doc)
    assert list(groups) == ["Thông tin nhân thân", "Trình độ", "Thông tin về Đảng", "Chuyển sinh hoạt đến"]
    assert {"full_name", "birth_date", "citizen_id"} <= set(groups["Thông tin nhân thân"])
    assert {"general_education", "political_theory"} <= set(groups["Trình độ"])
    assert {"cell", "admission_date", "card_number"} <= set(groups["Thông tin về Đảng"])
    assert Member.objects.count() == before


def test_member_correction_form_puts_its_own_errors_on_top(client, cast, people):
    an = people["an"]
    client.force_login(cast.office)
    form = client.get(reverse("members:edit", args=[an.pk])).context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    data["birth_date"] = an.birth_date.strftime("%d/%m/%Y")
    data["reason"] = "Quyết định 12"
    doc = page(client.post(reverse("members:edit", args=[an.pk]), data))  # nothing changed: the form's own error
    summary = doc.get_element_by_id("form-errors")
    assert "Không có thay đổi nào." in summary.text_content()
    first_field = by_class(doc, "div", "field")[0]
    order = list(doc.iter())
    assert order.index(summary) < order.index(first_field)
    assert by_class(doc, "div", "has-error") == []  # no field is blamed
    assert list(sections(doc))[:3] == ["Thông tin nhân thân", "Trình độ", "Thông tin về Đảng"]

    data["reason"] = ""
    data["full_name"] = "Nguyễn Văn Ân"
    doc = page(client.post(reverse("members:edit", args=[an.pk]), data))
    assert error_beside(doc, "id_reason") == "Trường này là bắt buộc."
    an.refresh_from_db()
    assert an.full_name == "Nguyễn Văn An"


def test_admission_candidate_form(client, cast, tree):
    client.force_login(cast.office)
    response = client.post(
        reverse("admission:create"),
        {"full_name": "Lê Văn Cường", "sex": "M", "birth_date": "1/1/2000", "cell": tree.c1.pk, "date": "99/99"},
    )
    doc = page(response)
    assert error_beside(doc, "id_date") == "Ghi ngày theo dạng dd/mm/yyyy."
    assert list(sections(doc)) == ["Thông tin nhân thân", "Trình độ", "Danh sách quần chúng ưu tú"]
    assert Candidate.objects.count() == 0


def test_transfer_letter_form(client, cast, people):
    client.force_login(cast.office)
    response = client.post(
        reverse("transfers:issue", args=[people["an"].pk]),
        {"kind": "official", "to_external": "Đảng bộ xã X", "letter_date": "01/02/2024"},
    )
    doc = page(response)
    assert error_beside(doc, "id_letter_number") == "Trường này là bắt buộc."
    groups = sections(doc)
    assert list(groups) == ["Giấy giới thiệu", "Nơi tiếp nhận", "Lý do"]
    assert "to_external" in groups["Nơi tiếp nhận"] and "letter_number" in groups["Giấy giới thiệu"]
    assert Transfer.objects.count() == 0


def test_rule_set_form(client, cast):
    client.force_login(cast.admin)
    before = RuleSet.objects.count()
    response = client.post(
        reverse("rules:create"),
        {"effective_from": "01/01/2090", "name": "Dự thảo", "rule__meeting__quorum": "hai phần ba"},
    )
    doc = page(response)
    assert "2/3" in error_beside(doc, "id_rule__meeting__quorum")
    groups = sections(doc)
    assert list(groups)[:3] == ["Văn bản quy định", "Phát triển đảng viên", "Chuyển sinh hoạt đảng"]
    assert "rule__meeting__quorum" in groups["Cuộc họp"]
    assert "Quy định khác" not in groups  # every area of the registry has its legend
    assert RuleSet.objects.count() == before


def test_forms_without_sections_get_the_same_errors_beside_their_fields(client, cast, people):
    """A short form (an event of a member record) is not split, but its errors are placed the same way."""
    client.force_login(cast.office)
    doc = page(client.post(reverse("members:record_event", args=[people["an"].pk]), {"kind": "exemption"}))
    assert error_beside(doc, "id_date") == "Trường này là bắt buộc."
    assert sections(doc) == {}
