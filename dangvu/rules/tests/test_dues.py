"""Stored due dates follow a rule change (issue 8 item 6): saving a rule set recomputes, in the same
transaction, the due dates stored on open admission files and on transfers awaiting acknowledgment, so the
admission board and the deadlines page agree with the calendar; closed ones keep theirs; the administrator
sees the due dates that move and confirms before they do.

The files and letters are dated in October 2025 (no public holiday in October or November 2025); a rule
set for a future date announces Friday 10/10/2025 as a day off (days off are dated facts: they count
whatever the rule set's effective date). Expected dates are counted by hand in the comments.
"""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from dangvu.accounts.models import ApiToken
from dangvu.admission.models import Candidate, Stage
from dangvu.admission.tests.test_pipeline import step
from dangvu.admission.tests.test_refusals import up_to
from dangvu.alerts.sources import Kind, due_items
from dangvu.lib.workdays import calendar_on
from dangvu.rules import services
from dangvu.rules.apps import recompute_after_migrate
from dangvu.rules.forms import field_name
from dangvu.rules.models import RuleSet
from dangvu.testing import keep_alert_sources
from dangvu.transfers import services as transfers
from dangvu.transfers.models import Transfer

pytestmark = pytest.mark.django_db
D = dt.date
DAY_OFF = D(2025, 10, 10)  # a Friday
CREATE = reverse("rules:create")


@pytest.fixture(autouse=True)
def _admission_and_transfer_alerts_only(monkeypatch):
    keep_alert_sources(monkeypatch, "dangvu.alerts.sources")


def future(days: int = 30) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=days)


def letter(member, to, day: dt.date, number: str) -> Transfer:
    return transfers.issue(member, None, kind="official", letter_number=number, letter_date=day, to_organisation=to)


@pytest.fixture
def open_items(tree, people, cast):
    """An admission decision on Wed 01/10/2025 (ceremony due 30 working days later) and three letters:
    dated Thu 09/10 (crosses 10/10), Fri 10/10 (starts on it: not crossing) and Wed 01/10 but already
    acknowledged (closed)."""
    candidate = up_to(tree.c1, cast.office, Stage.DECISION, start=D(2025, 6, 1))
    step(candidate, Stage.DECISION, cast.office, D(2025, 10, 1))
    closed = letter(people["duc"], tree.c1, D(2025, 10, 1), "1-GT/ĐU")
    transfers.acknowledge(closed, cast.office, date=D(2025, 10, 20))
    return {
        "candidate": Candidate.objects.get(pk=candidate.pk),
        "before": letter(people["an"], tree.c2, D(2025, 10, 9), "2-GT/ĐU"),
        "on": letter(people["binh"], tree.c2, D(2025, 10, 10), "3-GT/ĐU"),
        "closed": Transfer.objects.get(pk=closed.pk),
    }


def dues(items) -> dict[str, dt.date]:
    return {name: type(obj).objects.get(pk=obj.pk).due_on for name, obj in items.items()}


# Before the day off: 30 working days after Wed 01/10/2025: 2, 3/10 (2), 6–10 (7), 13–17 (12), 20–24 (17),
# 27–31 (22), 3–7/11 (27), 10, 11, 12/11 (30): Wed 12/11/2025. After Thu 09/10: 10/10 (1), 13–17 (6), …,
# 17–20/11 (30): Thu 20/11/2025. After Fri 10/10: 13–17 (5), …, 17–21/11 (30): Fri 21/11/2025.
BEFORE = {"candidate": D(2025, 11, 12), "before": D(2025, 11, 20), "on": D(2025, 11, 21), "closed": D(2025, 11, 12)}
# With 10/10 off: the decision's and the 09/10 letter's deadlines are one working day later (Thu 13/11 and
# Fri 21/11); the letter dated 10/10 does not count its own day, so it stays; the acknowledged one stays.
AFTER = {"candidate": D(2025, 11, 13), "before": D(2025, 11, 21), "on": D(2025, 11, 21), "closed": D(2025, 11, 12)}


def board_due(client, candidate: Candidate, tree) -> str:
    page = client.get(reverse("admission:board"), {"organisation": tree.c1.pk}).content.decode()
    card = page[page.index(f'data-candidate="{candidate.pk}"') :]
    return card[: card.index("</li>")]


def alerts_due(user) -> dict[tuple[str, int], dt.date]:
    return {(a.kind, a.object_id): a.due for a in due_items(user)}


def test_a_day_off_added_through_the_rules_page_moves_the_board_and_the_alerts(client, tree, cast, open_items):
    assert dues(open_items) == BEFORE
    candidate, moved_letter = open_items["candidate"], open_items["before"]
    client.force_login(cast.office)
    assert "12/11/2025" in board_due(client, candidate, tree)
    seen = alerts_due(cast.office)
    assert seen[(Kind.ADMISSION_STEP, candidate.pk)] == D(2025, 11, 12)
    assert seen[(Kind.TRANSFER_UNACKNOWLEDGED, moved_letter.pk)] == D(2025, 11, 20)

    client.force_login(cast.admin)
    data = {
        "effective_from": f"{future():%d/%m/%Y}",
        "name": "Nghỉ bù tháng 10/2025",
        "source": "Công văn thử 1/VPCP",
        field_name("calendar.extra_days_off"): "10/10/2025",
    }
    asked = client.post(CREATE, data)
    assert asked.status_code == 409  # the due dates that move are listed first; nothing is saved yet
    page = asked.content.decode()
    assert 'data-action="rule_set_moves_dues"' in page
    assert "12/11/2025 → 13/11/2025" in page and "20/11/2025 → 21/11/2025" in page
    listed = page[page.index('id="confirm-details"') :]
    assert listed[: listed.index("</ul>")].count("<li>") == 2  # not the letter dated 10/10 nor the closed one
    assert not RuleSet.objects.filter(effective_from=future()).exists()
    assert dues(open_items) == BEFORE

    saved = client.post(CREATE, {**data, "confirmed": "rule_set_moves_dues"}, follow=True)
    assert saved.status_code == 200
    assert "Đã tính lại 2 hạn của hồ sơ kết nạp" in saved.content.decode()
    assert dues(open_items) == AFTER
    history = Candidate.objects.get(pk=candidate.pk).history.first()
    assert history.history_user == cast.admin and "Nghỉ bù tháng 10/2025" in history.history_change_reason
    assert Transfer.objects.get(pk=moved_letter.pk).history.first().history_user == cast.admin

    # The page a clerk uses and the deadlines agree with the calendar.
    client.force_login(cast.office)
    card = board_due(client, candidate, tree)
    assert "13/11/2025" in card and "12/11/2025" not in card
    seen = alerts_due(cast.office)
    assert seen[(Kind.ADMISSION_STEP, candidate.pk)] == D(2025, 11, 13)
    assert seen[(Kind.TRANSFER_UNACKNOWLEDGED, moved_letter.pk)] == D(2025, 11, 21)
    assert seen[(Kind.TRANSFER_UNACKNOWLEDGED, open_items["on"].pk)] == D(2025, 11, 21)
    alerts_page = client.get(reverse("alerts:list")).content.decode()
    row = alerts_page[alerts_page.index(f'data-kind="{Kind.ADMISSION_STEP}" data-object="{candidate.pk}"') :]
    assert "13/11/2025" in row[: row.index("</tr>")]
    # The API reads the same stored date.
    _token, key = ApiToken.issue(cast.office)
    api = client.get(f"/api/v1/candidates/{candidate.pk}", headers={"Authorization": f"Bearer {key}"})
    assert api.status_code == 200 and api.json()["due_on"] == "2025-11-13"


def test_correcting_the_rule_set_moves_them_back(tree, cast, open_items):
    rule_set = services.create_rule_set(
        cast.admin, future(), "Nghỉ bù", "Công văn thử", {"calendar.extra_days_off": [DAY_OFF.isoformat()]}
    )
    assert len(rule_set.moved_dues) == 2 and dues(open_items) == AFTER
    # The announcement was a mistake: the correction takes the day off away again.
    corrected = services.update_rule_set(rule_set, cast.admin, future(), "Nghỉ bù", "", {"admission.max_age": 60})
    assert len(corrected.moved_dues) == 2 and dues(open_items) == BEFORE


def test_the_correction_page_lists_what_moves_back(client, tree, cast, open_items):
    rule_set = services.create_rule_set(
        cast.admin, future(), "Nghỉ bù", "Công văn thử", {"calendar.extra_days_off": [DAY_OFF.isoformat()]}
    )
    client.force_login(cast.admin)
    edit = reverse("rules:edit", args=[rule_set.pk])
    data = {
        "effective_from": f"{future():%d/%m/%Y}",
        "name": "Nghỉ bù",
        "source": "",
        field_name("admission.max_age"): "60",
    }
    asked = client.post(edit, data)
    assert asked.status_code == 409 and "13/11/2025 → 12/11/2025" in asked.content.decode()
    assert dues(open_items) == AFTER
    assert client.post(edit, {**data, "confirmed": "rule_set_moves_dues"}).status_code == 302
    assert dues(open_items) == BEFORE


def test_a_rule_set_that_moves_nothing_asks_nothing(client, tree, cast, open_items):
    client.force_login(cast.admin)
    data = {
        "effective_from": f"{future():%d/%m/%Y}",
        "name": "Nghỉ bù đã qua",
        "source": "",
        field_name("calendar.extra_days_off"): "28/11/2025",  # a Friday after every deadline above
    }
    response = client.post(CREATE, data)
    assert response.status_code == 302
    assert dues(open_items) == BEFORE


def test_a_deadline_rule_in_force_today_moves_only_the_deadlines_starting_today(tree, people, cast):
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    today = timezone.localdate()
    old = letter(people["an"], tree.c2, yesterday, "4-GT/ĐU")
    new = letter(people["binh"], tree.c2, today, "5-GT/ĐU")
    calendar = calendar_on(today)
    assert (old.due_on, new.due_on) == (calendar.add_working_days(yesterday, 30), calendar.add_working_days(today, 30))
    rule_set = services.create_rule_set(cast.admin, today, "Hạn mới", "", {"transfer.present_working_days": 40})
    assert [(m.what, m.object_id) for m in rule_set.moved_dues] == [("transfer", new.pk)]
    old.refresh_from_db()
    new.refresh_from_db()
    assert old.due_on == calendar.add_working_days(yesterday, 30)  # the rule in force on its letter's date
    assert new.due_on == calendar.add_working_days(today, 40)


def test_the_command_and_migrate_bring_dues_in_line_after_a_data_change(tree, cast, open_items):
    # A rule set written without the services (as a data migration does) leaves the stored dates behind…
    RuleSet.objects.create(
        effective_from=future(), name="Nghỉ bù (dữ liệu)", values={"calendar.extra_days_off": [DAY_OFF.isoformat()]}
    )
    assert dues(open_items) == BEFORE
    recompute_after_migrate(None, plan=[])  # nothing migrated: nothing done
    assert dues(open_items) == BEFORE
    recompute_after_migrate(None, plan=[("a migration", False)])  # after migrate applied migrations
    assert dues(open_items) == AFTER
    RuleSet.objects.filter(effective_from=future()).update(values={})
    out = io.StringIO()
    call_command("recompute_dues", stdout=out)  # …and the command, after a package upgrade
    assert dues(open_items) == BEFORE
    assert out.getvalue().strip().endswith("due dates moved: 2")
    assert Candidate.objects.get(pk=open_items["candidate"].pk).history.first().history_user is None
