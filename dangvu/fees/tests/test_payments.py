"""Payments recorded by the cell, the month's dues, arrears and the "3 months unpaid in a year" alert."""

import datetime as dt

import pytest

from dangvu.alerts import sources
from dangvu.fees import alerts, services, stats
from dangvu.fees.models import Due, Method, Payment
from dangvu.fees.tests.conftest import M
from dangvu.lib.errors import DomainError
from dangvu.members.models import Status

pytestmark = pytest.mark.django_db
NOVEMBER = dt.date(2026, 11, 15)  # "today" of the alert tests: January to October 2026 have ended


def pay(member, month, amount, actor, day=dt.date(2026, 10, 20), **kw):
    return services.record_payment(member, month=month, amount=amount, paid_on=day, actor=actor, **kw)


def test_run_month_stores_the_dues_of_the_subtree(fee_data, tree, cast):
    run = services.run_month(tree.a, M(2026, 3, 1), actor=cast.office)
    assert run.members == 3  # An, Bình (C1), Đức (C2); Em is in committee B
    assert run.total == 100_000 + 5_000 + 35_000
    assert Due.objects.filter(month=M(2026, 3, 1)).count() == 3
    again = services.run_month(tree.a, M(2026, 3, 1), actor=cast.office)
    assert (again.created, again.updated) == (0, 0)
    dues = {d.member_id: d for d in Due.objects.filter(month=M(2026, 3, 1))}
    assert dues[fee_data["an"].pk].organisation == tree.c1
    assert dues[fee_data["duc"].pk].organisation == tree.c2


def test_partial_payments_make_up_a_month(fee_data, cast):
    an = fee_data["an"]
    pay(an, M(2026, 3, 1), 60_000, cast.secretary)
    status = stats.member_status(an, 2026)
    assert [(m.due, m.paid, m.owed) for m in status.months] == [(100_000, 60_000, 40_000)]
    pay(an, "03/2026", 40_000, cast.secretary, method=Method.PORTAL, reference="DVC-1")
    status = stats.member_status(an, 2026)
    assert status.months[0].owed == 0
    assert Payment.objects.get(reference="DVC-1").history.first().history_user == cast.secretary


def test_payment_refusals_change_nothing(fee_data, cast):
    an = fee_data["an"]
    for kwargs, field in [
        ({"month": M(2026, 3, 1), "amount": 0}, "amount"),
        ({"month": M(2026, 3, 1), "amount": -5}, "amount"),
        ({"month": "13/2026", "amount": 5}, "month"),
        ({"month": M(2026, 3, 1), "amount": 5, "paid_on": dt.date(2999, 1, 1)}, "paid_on"),
    ]:
        with pytest.raises(DomainError) as refused:
            services.record_payment(
                an, paid_on=kwargs.pop("paid_on", dt.date(2026, 3, 5)), actor=cast.secretary, **kwargs
            )
        assert field in refused.value.message_dict
    pay(an, M(2026, 3, 1), 100_000, cast.secretary, method=Method.PORTAL, reference="DVC-9")
    with pytest.raises(DomainError) as refused:
        pay(an, M(2026, 4, 1), 100_000, cast.secretary, method=Method.PORTAL, reference="DVC-9")
    assert "reference" in refused.value.message_dict
    assert Payment.objects.count() == 1


def test_payment_for_a_month_outside_the_party_is_refused(tree, cast):
    from dangvu import testing

    late = testing.member(tree.c1, "Hồ Văn Muộn", admitted=dt.date(2026, 5, 10), official=False)
    services.set_basis(late, category="student", base_amount=0, from_month=M(2026, 5, 1))
    with pytest.raises(DomainError) as refused:
        pay(late, M(2026, 4, 1), 5_000, cast.secretary)
    assert "month" in refused.value.message_dict
    pay(late, M(2026, 5, 1), 5_000, cast.secretary)  # the month of admission is due
    assert Due.objects.get(member=late).amount == 5_000


def test_annulled_payment_no_longer_counts(fee_data, cast):
    an = fee_data["an"]
    payment = pay(an, M(2026, 3, 1), 100_000, cast.secretary)
    with pytest.raises(DomainError):
        services.annul_payment(payment, reason=" ", actor=cast.secretary)
    services.annul_payment(payment, reason="Ghi nhầm tháng", actor=cast.secretary)
    assert stats.member_status(an, 2026).months[0].paid == 0
    assert Payment.objects.filter(pk=payment.pk).exists()  # kept


def _unpaid_year(fee_data, tree, cast, paid_months):
    """An pays the months in `paid_months` of Jan–Oct 2026; the others are due and unpaid."""
    for n in range(1, 11):
        services.run_month(tree.a, M(2026, n, 1), actor=cast.office)
    for n in paid_months:
        pay(fee_data["an"], M(2026, n, 1), 100_000, cast.secretary)
    for n in range(1, 11):  # Bình pays everything
        pay(fee_data["binh"], M(2026, n, 1), 5_000, cast.secretary)
        pay(fee_data["duc"], M(2026, n, 1), 35_000, cast.office)


def test_arrears_and_the_alert_at_three_months(fee_data, tree, cast):
    _unpaid_year(fee_data, tree, cast, paid_months=[1, 2, 3, 4, 5, 6, 7])  # Aug, Sep, Oct unpaid
    dues = Due.objects.all()
    rows = stats.arrears(dues, 2026, before=M(2026, 11, 1))
    assert [(r.name, r.owed, r.months, r.unpaid_months) for r in rows] == [("Nguyễn Văn An", 300_000, 3, 3)]
    found = alerts.fees_unpaid(cast.secretary, NOVEMBER, NOVEMBER)
    assert [(a.subject, a.kind, a.due, a.overdue) for a in found] == [
        ("Nguyễn Văn An", alerts.FEE_UNPAID, dt.date(2026, 10, 31), True)
    ]
    assert "3" in found[0].detail
    assert [a.subject for a in sources.due_items(cast.office, NOVEMBER) if a.kind == alerts.FEE_UNPAID] == [
        "Nguyễn Văn An"
    ]
    # Denied: committee B's office, the leader (does not record fees), a plain member.
    assert alerts.fees_unpaid(cast.outsider, NOVEMBER, NOVEMBER) == []
    assert alerts.fees_unpaid(cast.leader, NOVEMBER, NOVEMBER) == []
    assert alerts.fees_unpaid(cast.member, NOVEMBER, NOVEMBER) == []


def test_two_months_unpaid_is_no_alert(fee_data, tree, cast):
    _unpaid_year(fee_data, tree, cast, paid_months=[1, 2, 3, 4, 5, 6, 7, 8])  # Sep, Oct unpaid
    assert alerts.fees_unpaid(cast.secretary, NOVEMBER, NOVEMBER) == []
    assert stats.arrears(Due.objects.all(), 2026, before=M(2026, 11, 1))[0].owed == 200_000


def test_a_partly_paid_month_is_owed_but_not_unpaid(fee_data, tree, cast):
    _unpaid_year(fee_data, tree, cast, paid_months=[1, 2, 3, 4, 5, 6, 7, 8])
    pay(fee_data["an"], M(2026, 10, 1), 1_000, cast.secretary)
    pay(fee_data["an"], M(2026, 8, 1), 1_000, cast.secretary)  # overpaid August does not pay October
    row = stats.arrears(Due.objects.all(), 2026, before=M(2026, 11, 1))[0]
    assert (row.owed, row.months, row.unpaid_months) == (199_000, 2, 1)
    assert alerts.fees_unpaid(cast.secretary, NOVEMBER, NOVEMBER) == []


def test_a_removed_member_is_not_alerted(fee_data, tree, cast):
    _unpaid_year(fee_data, tree, cast, paid_months=[1, 2, 3, 4, 5, 6, 7])
    an = fee_data["an"]
    type(an).objects.filter(pk=an.pk).update(status=Status.REMOVED)  # the alert: members still in the Party only
    assert alerts.fees_unpaid(cast.secretary, NOVEMBER, NOVEMBER) == []
