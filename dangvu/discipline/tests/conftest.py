import datetime as dt

import pytest

from dangvu.discipline import services
from dangvu.discipline.models import Form, Organ
from dangvu.orgs import committees
from dangvu.orgs.models import Position, Term

VIOLATION = dt.date(2025, 3, 10)
OPENED = dt.date(2026, 6, 1)
DECIDED = dt.date(2026, 7, 1)


def open_member_case(
    member, actor, form=Form.REPRIMAND, *, violation=VIOLATION, opened=OPENED, category="party_duties"
):
    return services.open_case(
        member=member,
        category=category,
        facts="Không tham gia sinh hoạt chi bộ ba tháng liền không có lý do.",
        violation_date=violation,
        proposed_form=form,
        opened_on=opened,
        actor=actor,
    )


def decision(form, decided_by, organ=Organ.COMMITTEE, day=DECIDED, **kw) -> services.Decision:
    return services.Decision(
        form=form,
        decided_by=decided_by,
        organ=organ,
        document_number=kw.pop("number", "12-QĐ/ĐU"),
        document_date=day,
        issuer=kw.pop("issuer", "Nguyễn Văn Ký"),
        effective_date=kw.pop("effective", day),
        **kw,
    )


@pytest.fixture
def seat(tree, people, cast):
    """Đức (C2) sits on the committee of the grassroots organisation A1 for 2025–2030."""
    term = Term.objects.create(code="2025-2030", start=dt.date(2025, 7, 1), end=dt.date(2030, 6, 30))
    committee = committees.elect_committee(tree.a_base, term, dt.date(2025, 8, 1), cast.office)
    return committees.add_seat(committee, people["duc"], Position.COMMITTEE_MEMBER, dt.date(2025, 8, 1), cast.office)
