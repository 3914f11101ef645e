"""The working-day calendar (issue 8 item 5): the government's day swaps the `holidays` package misses are
shipped as rule data with their letter (migration rules/0004), deadlines crossing early January 2026 come
out on the right day, every staff role reads a year's calendar with the source of each day, and the
administrator records or corrects a letter's days (audited; asked first when open due dates move).

Expected dates are counted by hand in the comments (December 2025 has no public holiday).
"""

from __future__ import annotations

import datetime as dt
import re

import holidays
import pytest
from django.urls import reverse
from django.utils import timezone

from dangvu.admission.models import Stage
from dangvu.admission.tests.test_pipeline import step
from dangvu.admission.tests.test_refusals import up_to
from dangvu.lib.workdays import Calendar, calendar_on
from dangvu.rules import services
from dangvu.rules.forms import field_name
from dangvu.rules.models import RuleSet
from dangvu.transfers import services as transfers
from dangvu.web import once

pytestmark = pytest.mark.django_db
D = dt.date
CALENDAR = reverse("rules:calendar")
NEW = reverse("rules:calendar_create")
OFF, WORKING = field_name("calendar.extra_days_off"), field_name("calendar.extra_working_days")
LETTER_12729 = "Công văn 12729/VPCP-KGVX ngày 25/12/2025 của Văn phòng Chính phủ"


def vn(day: dt.date) -> str:
    return f"{day:%d/%m/%Y}"


def test_the_package_misses_only_the_new_year_swap_of_2026():
    """What the shipped rule data is checked against (docs/decisions.md): the locked `holidays` release
    has the 2024 and 2025 swaps and 2026's Tết and 2/9 swap, not the 2026 New Year swap."""
    vn_days = holidays.country_holidays("VN", years=[2024, 2025, 2026])
    # 2024, Công văn 2450/VPCP-KGVX: Monday 29/04 off, Saturday 04/05 worked.
    assert D(2024, 4, 29) in vn_days and D(2024, 5, 4) in vn_days.weekend_workdays
    # 2025, Thông báo 6150/TB-LĐTBXH: Tết Monday 27 – Friday 31/01; Friday 02/05 off, Saturday 26/04 worked.
    assert all(D(2025, 1, d) in vn_days for d in range(27, 32))
    assert D(2025, 5, 2) in vn_days and D(2025, 4, 26) in vn_days.weekend_workdays
    # 2026: Tết Monday 16 – Friday 20/02; 2/9 with Monday 31/08 off for Saturday 22/08.
    assert all(D(2026, 2, d) in vn_days for d in range(16, 21))
    assert D(2026, 8, 31) in vn_days and D(2026, 8, 22) in vn_days.weekend_workdays
    # Missing: Friday 02/01/2026 off, Saturday 10/01/2026 worked (Công văn 12729/VPCP-KGVX).
    assert D(2026, 1, 2) not in vn_days and D(2026, 1, 10) not in vn_days.weekend_workdays
    plain = Calendar()
    assert plain.is_working_day(D(2026, 1, 2)) and not plain.is_working_day(D(2026, 1, 10))


def test_the_letter_is_shipped_as_rule_data_with_its_audit_row():
    letter = RuleSet.objects.get(source=LETTER_12729)
    assert letter.effective_from == D(2025, 12, 25)
    assert letter.values == {"calendar.extra_days_off": ["2026-01-02"], "calendar.extra_working_days": ["2026-01-10"]}
    record = letter.history.get()
    assert (record.history_type, record.history_user) == ("+", None)


def test_early_january_2026_day_by_day():
    calendar = calendar_on(D(2025, 12, 1))
    assert [calendar.is_working_day(D(2026, 1, d)) for d in range(1, 13)] == [
        False,  # Thu 01 New Year's Day
        False,  # Fri 02 off (12729/VPCP-KGVX)
        False,  # Sat 03
        False,  # Sun 04
        True,  # Mon 05
        True,
        True,
        True,
        True,  # Fri 09
        True,  # Sat 10 worked in exchange
        False,  # Sun 11
        True,  # Mon 12
    ]


@pytest.mark.parametrize(
    ("letter_date", "due", "without_the_swap"),
    [
        # Mon 24/11/2025 + 30: 25–28/11 (4), 1–5/12 (9), 8–12 (14), 15–19 (19), 22–26 (24), 29–31 (27);
        # 1 and 2/01 off; 5 (28), 6 (29), Wed 07/01 (30). Package alone: 2/01 (28), 5, Tue 06/01.
        (D(2025, 11, 24), D(2026, 1, 7), D(2026, 1, 6)),
        # Wed 26/11 + 30: 27, 28/11 (2), December (25 in all), 5–9/01 (30): Fri 09/01; alone Thu 08/01.
        (D(2025, 11, 26), D(2026, 1, 9), D(2026, 1, 8)),
        # Thu 27/11 + 30: 28/11 (1), December (24), 5–9/01 (29), Saturday 10/01 (30); alone Fri 09/01.
        (D(2025, 11, 27), D(2026, 1, 10), D(2026, 1, 9)),
        # Fri 28/11 + 30: December (23), 5–9/01 (28), Sat 10 (29), Mon 12/01 (30). Package alone: 2/01 (24),
        # 5–9 (29), Mon 12/01 (30): from here on the swap (one day off, one worked) changes nothing.
        (D(2025, 11, 28), D(2026, 1, 12), D(2026, 1, 12)),
    ],
)
def test_a_transfer_deadline_crossing_early_january_2026(tree, people, letter_date, due, without_the_swap):
    transfer = transfers.issue(
        people["an"], None, kind="official", letter_number="9-GT/ĐU", letter_date=letter_date, to_organisation=tree.c2
    )
    assert transfer.due_on == due
    assert Calendar().add_working_days(letter_date, 30) == without_the_swap


def test_an_admission_deadline_crossing_early_january_2026_on_the_board(client, tree, cast):
    # Decision Mon 24/11/2025: ceremony due 30 working days later, Wed 07/01/2026 (see above).
    candidate = up_to(tree.c1, cast.office, Stage.DECISION, start=D(2025, 7, 1))
    step(candidate, Stage.DECISION, cast.office, D(2025, 11, 24))
    candidate.refresh_from_db()
    assert (candidate.due_stage, candidate.due_on) == (Stage.CEREMONY, D(2026, 1, 7))
    client.force_login(cast.office)
    page = client.get(reverse("admission:board"), {"organisation": tree.c1.pk}).content.decode()
    card = page[page.index(f'data-candidate="{candidate.pk}"') :]
    assert "07/01/2026" in card[: card.index("</li>")]


def rows(response) -> dict[str, str]:
    """The calendar table's rows by ISO date: the row's HTML."""
    page = response.content.decode()
    found = {}
    for chunk in page.split('<tr data-day="')[1:]:
        found[chunk[:10]] = chunk[: chunk.index("</tr>")]
    return found


@pytest.mark.parametrize("who", ["admin", "office", "inspector", "leader", "secretary", "outsider"])
def test_staff_read_the_calendar_of_2026_with_its_sources(client, cast, who, django_assert_max_num_queries):
    client.force_login(getattr(cast, who))
    with django_assert_max_num_queries(10):
        response = client.get(CALENDAR, {"year": "2026"})
    assert response.status_code == 200
    days = rows(response)
    letter = RuleSet.objects.get(source=LETTER_12729)
    assert 'data-working="0"' in days["2026-01-01"] and "Tết Dương lịch" in days["2026-01-01"]
    assert "01/01/2026" in days["2026-01-01"] and "thư viện holidays" in days["2026-01-01"]
    assert 'data-working="0"' in days["2026-01-02"] and "02/01/2026" in days["2026-01-02"]
    assert LETTER_12729 in days["2026-01-02"] and f'data-rule-set="{letter.pk}"' in days["2026-01-02"]
    assert 'data-working="1"' in days["2026-01-10"] and "Thứ 7" in days["2026-01-10"]
    assert LETTER_12729 in days["2026-01-10"] and "Ngày làm bù" in days["2026-01-10"]
    assert 'data-working="0"' in days["2026-02-17"] and "Tết Nguyên Đán" in days["2026-02-17"]
    assert 'data-working="1"' in days["2026-08-22"] and 'data-working="0"' in days["2026-08-31"]
    assert "2026-01-05" not in days  # an ordinary Monday is not listed
    edit = reverse("rules:calendar_edit", args=[letter.pk])
    assert (edit in response.content.decode()) == (who == "admin")
    assert (NEW in response.content.decode()) == (who == "admin")


def test_other_years_and_a_bad_year(client, cast):
    client.force_login(cast.office)
    days = rows(client.get(CALENDAR, {"year": "2025"}))
    assert 'data-working="1"' in days["2025-04-26"] and 'data-working="0"' in days["2025-05-02"]
    assert "2026-01-02" not in days
    today = timezone.localdate()
    assert client.get(CALENDAR).context["year"] == today.year
    for bad in ("abc", "3000", "1900"):
        response = client.get(CALENDAR, {"year": bad})
        assert response.status_code == 200 and response.context["form"].errors
        assert response.context["year"] == today.year


def test_members_and_strangers_cannot_read_or_record(client, cast):
    for who in (cast.member, cast.nobody):
        client.force_login(who)
        assert client.get(CALENDAR).status_code == 403
        assert client.get(NEW).status_code == 403
    for who in (cast.office, cast.secretary, cast.outsider):
        client.force_login(who)
        assert client.get(NEW).status_code == 403
        assert client.post(NEW, {"source": "CV 1", "effective_from": vn(timezone.localdate())}).status_code == 403
    client.logout()
    assert "/accounts/login/" in client.get(CALENDAR)["Location"]


def next_years_swap() -> tuple[int, dt.date, dt.date]:
    """Next year's first Friday from 2 January, and the Saturday of the week after it."""
    year = timezone.localdate().year + 1
    friday = D(year, 1, 2) + dt.timedelta(days=(4 - D(year, 1, 2).weekday()) % 7)
    return year, friday, friday + dt.timedelta(days=8)


def test_the_administrator_records_next_years_swap(client, cast):
    year, friday, saturday = next_years_swap()
    client.force_login(cast.admin)
    form = client.get(NEW)
    assert form.status_code == 200
    token = re.search(rf'name="{once.FIELD}" value="([^"]+)"', form.content.decode()).group(1)
    data = {
        once.FIELD: token,  # a double click records the letter once
        "source": f"Công văn 99/VPCP-KGVX (thử) năm {year - 1}",
        "effective_from": vn(timezone.localdate()),
        "name": "",
        OFF: vn(friday),
        WORKING: saturday.isoformat(),
    }
    response = client.post(NEW, data)
    assert response.status_code == 302 and response["Location"] == f"{CALENDAR}?year={year}"
    assert client.post(NEW, data)["Location"] == response["Location"]  # the same form posted twice
    letter = RuleSet.objects.get(source=data["source"])
    assert letter.values == {
        "calendar.extra_days_off": [friday.isoformat()],
        "calendar.extra_working_days": [saturday.isoformat()],
    }
    assert letter.effective_from == timezone.localdate() and data["source"] in letter.name
    assert letter.history.get().history_user == cast.admin
    assert not calendar_on().is_working_day(friday) and calendar_on().is_working_day(saturday)
    days = rows(client.get(response["Location"]))
    assert 'data-working="0"' in days[friday.isoformat()] and data["source"] in days[friday.isoformat()]
    assert 'data-working="1"' in days[saturday.isoformat()] and vn(saturday) in days[saturday.isoformat()]


def test_refused_input_shows_beside_the_field_and_writes_nothing(client, cast):
    year, friday, saturday = next_years_swap()
    today = timezone.localdate()
    client.force_login(cast.admin)
    count = RuleSet.objects.count()
    good = {"source": "Công văn thử", "effective_from": vn(today), "name": "", OFF: vn(friday), WORKING: ""}
    cases = [
        ({**good, "source": ""}, "source"),
        ({**good, "effective_from": vn(today + dt.timedelta(days=1))}, "effective_from"),  # a letter not yet written
        ({**good, OFF: ""}, "__all__"),  # no day
        ({**good, WORKING: vn(friday)}, WORKING),  # both a day off and a working day
        ({**good, OFF: vn(D(year + 2, 1, 2))}, OFF),  # three years after the letter
        ({**good, OFF: "32/01/2027"}, OFF),
    ]
    for data, field in cases:
        response = client.post(NEW, data)
        assert response.status_code == 200, data
        assert field in response.context["form"].errors, (data, response.context["form"].errors)
        assert 'class="errorlist' in response.content.decode()
    assert RuleSet.objects.count() == count


def test_correcting_a_letter_asks_first_when_a_due_date_moves(client, tree, people, cast):
    # A transfer letter dated Mon 13/10/2025 is due 30 working days later: 14–17/10 (4), 20–24 (9),
    # 27–31 (14), 3–7/11 (19), 10–14 (24), 17–21 (29), Mon 24/11/2025 (30).
    transfer = transfers.issue(
        people["an"],
        None,
        kind="official",
        letter_number="7-GT/ĐU",
        letter_date=D(2025, 10, 13),
        to_organisation=tree.c2,
    )
    assert transfer.due_on == D(2025, 11, 24)
    # A letter gives Friday 10/10/2025 off: before the transfer's letter, it moves nothing.
    letter = services.record_calendar(cast.admin, D(2025, 10, 1), "", "Công văn thử 5", ["2025-10-10"], [])
    assert letter.moved_dues == []
    client.force_login(cast.admin)
    assert client.get(reverse("rules:edit", args=[letter.pk]))["Location"] == reverse("rules:detail", args=[letter.pk])
    detail = client.get(reverse("rules:detail", args=[letter.pk])).content.decode()
    edit = reverse("rules:calendar_edit", args=[letter.pk])
    assert edit in detail
    page = client.get(edit)
    assert page.context["form"].initial[OFF] == "10/10/2025"
    # The day was Friday 17/10 (a typing mistake): now the transfer's deadline crosses it, one day later.
    data = {"source": "Công văn thử 5", "effective_from": "01/10/2025", "name": letter.name, OFF: "17/10/2025"}
    asked = client.post(edit, data)
    assert asked.status_code == 409 and "24/11/2025 → 25/11/2025" in asked.content.decode()
    transfer.refresh_from_db()
    letter.refresh_from_db()
    assert transfer.due_on == D(2025, 11, 24) and letter.values["calendar.extra_days_off"] == ["2025-10-10"]
    done = client.post(edit, {**data, "confirmed": "rule_set_moves_dues"})
    assert done.status_code == 302 and done["Location"] == f"{CALENDAR}?year=2025"
    transfer.refresh_from_db()
    letter.refresh_from_db()
    assert transfer.due_on == D(2025, 11, 25) and letter.values == {"calendar.extra_days_off": ["2025-10-17"]}
    assert [r.history_user for r in letter.history.order_by("history_id")] == [cast.admin, cast.admin]
    assert transfer.history.first().history_user == cast.admin


def test_a_rule_set_with_other_rules_is_not_corrected_as_a_letter(client, cast):
    first = RuleSet.objects.get(effective_from=D(2000, 1, 1))
    client.force_login(cast.admin)
    edit = reverse("rules:calendar_edit", args=[first.pk])
    assert client.get(edit)["Location"] == reverse("rules:detail", args=[first.pk])
    response = client.post(edit, {"source": "x", "effective_from": "01/10/2025", OFF: "10/10/2025"})
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.values["calendar.extra_days_off"] == []


def test_the_list_shows_letters_apart_from_the_rules_in_force(client, cast):
    client.force_login(cast.office)
    page = client.get(reverse("rules:list")).content.decode()
    letter = RuleSet.objects.get(source=LETTER_12729)
    first = RuleSet.objects.get(effective_from=D(2000, 1, 1))
    assert f'data-rule-set="{letter.pk}" data-state="calendar"' in page
    # the rules in force are one rule set, never the letter (later rule sets, e.g. the party-fee rules of
    # 01/02/2026, may have followed the first one)
    current = re.findall(r'data-rule-set="(\d+)" data-state="current"', page)
    assert len(current) == 1 and int(current[0]) != letter.pk
    assert RuleSet.objects.get(pk=current[0]).effective_from >= first.effective_from
    assert CALENDAR in page
