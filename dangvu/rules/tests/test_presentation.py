"""Every declared rule key has a label, a help text and a formatter written for an office, and the rules
pages show them (never the key, a developer's note or a raw step code)."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from dangvu.rules import presentation, services
from dangvu.rules.forms import field_name
from dangvu.rules.registry import KEYS

pytestmark = pytest.mark.django_db


def test_every_declared_key_has_a_translated_label_help_and_formatter():
    missing = sorted(set(KEYS) - set(presentation.PRESENTATION))
    assert not missing, f"add these keys to dangvu/rules/presentation.py: {missing}"
    with translation.override("vi"):
        for name, key in KEYS.items():
            shown = presentation.PRESENTATION[name]
            label, help_text = str(shown.label), str(shown.help)
            assert label and help_text and name not in label and name not in help_text
            with translation.override("en"):
                assert str(shown.label) != label, f"{name}: label not translated"
                assert str(shown.help) != help_text, f"{name}: help not translated"
            value = presentation.show(name, key.default)
            assert value and name not in value


def test_values_are_written_as_people_read_them():
    with translation.override("vi"):
        assert presentation.show("admission.min_age", {"years": 18, "unit": "month"}) == "18 tuổi, tính theo tháng"
        assert presentation.show("admission.max_age", {"years": 60, "unit": "year"}) == "60 tuổi, tính theo năm tròn"
        assert presentation.show("admission.min_age", 18) == "18 tuổi, tính theo tháng"  # before the unit: months
        assert presentation.age(60, 1) == "60 tuổi 1 tháng"
        assert presentation.show("admission.probation_months", 12) == "12 tháng"
        assert presentation.show("admission.ceremony_working_days", 30) == "30 ngày làm việc"
        assert presentation.show("alerts.soon_days", 2459) == "2.459 ngày"
        assert presentation.show("meeting.majority", "0.5") == "1/2"
        assert presentation.show("meeting.quorum", "2/3") == "2/3"
        assert presentation.show("admission.exception_steps", ["source"]) == "Danh sách quần chúng ưu tú"
        assert presentation.show("calendar.extra_days_off", ["2026-01-02", "2026-04-27"]) == "02/01/2026, 27/04/2026"
        assert presentation.show("calendar.extra_days_off", []) == "không có"
        assert presentation.show("member.badge_years", [30, 40]) == "30, 40 năm tuổi đảng"
        assert presentation.show("admission.min_age", None) == "—"
        assert presentation.label("no.such_key") == "no.such_key"
    with translation.override("en"):
        assert presentation.show("alerts.soon_days", 2459) == "2,459 days"
        assert presentation.show("admission.min_age", 1) == "1 year, counted in months"
        assert presentation.age(17, 11) == "17 years 11 months"


def test_rules_pages_show_labels_and_readable_values(client, cast):
    future = timezone.localdate() + dt.timedelta(days=20)
    rule_set = services.create_rule_set(
        cast.admin, future, "Dự thảo", "QĐ 9", {"admission.max_age": 62, "admission.exception_steps": ["source"]}
    )
    client.force_login(cast.admin)
    pages = [
        client.get(reverse("rules:list")).content.decode(),
        client.get(reverse("rules:detail", args=[rule_set.pk])).content.decode(),
        client.get(reverse("rules:create")).content.decode(),
    ]
    for page in pages:
        assert "Tuổi tối đa khi kết nạp" in page
        for developer_note in ("seed 00", "ISO dates", "admission.max_age</code>", "`meeting."):
            assert developer_note not in page
    assert "60 tuổi" in pages[0] and "Danh sách quần chúng ưu tú" in pages[0]
    assert "62 tuổi" in pages[1] and "Danh sách quần chúng ưu tú" in pages[1]
    # The form ticks admission steps by name; they are stored as codes.
    assert 'type="checkbox" name="rule__admission__exception_steps" value="source"' in pages[2]
    assert "Đang áp dụng: 60 tuổi, tính theo tháng." in pages[2]


def test_waivable_steps_are_ticked_by_name(client, cast):
    client.force_login(cast.admin)
    day = timezone.localdate() + dt.timedelta(days=40)
    response = client.post(
        reverse("rules:create"),
        {
            "effective_from": f"{day:%d/%m/%Y}",
            "name": "Miễn bước",
            "source": "",
            field_name("admission.exception_steps"): ["source", "course"],
        },
    )
    assert response.status_code == 302
    from dangvu.rules.models import RuleSet

    assert RuleSet.objects.get(effective_from=day).values == {"admission.exception_steps": ["source", "course"]}
    edit = client.get(reverse("rules:edit", args=[RuleSet.objects.get(effective_from=day).pk])).content.decode()
    assert 'value="course" id="id_rule__admission__exception_steps_1" checked' in edit
    refused = client.post(
        reverse("rules:create"),
        {"effective_from": f"{day:%d/%m/%Y}", "name": "X", field_name("admission.exception_steps"): ["nope"]},
    )
    assert refused.status_code == 200 and refused.context["form"].errors[field_name("admission.exception_steps")]


def test_a_refused_value_names_the_rule_by_its_label(cast):
    from dangvu.lib.errors import DomainError

    with translation.override("vi"), pytest.raises(DomainError) as refused:
        services.create_rule_set(
            cast.admin, timezone.localdate() + dt.timedelta(days=3), "X", "", {"admission.exception_steps": ["x"]}
        )
    message = refused.value.error_dict["admission.exception_steps"][0].messages[0]
    assert message.startswith("Các bước kết nạp được phép miễn: Bước kết nạp không hợp lệ: x.")
    assert "Danh sách quần chúng ưu tú" in message and "source" not in message.split(":", 2)[2]
