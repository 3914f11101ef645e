"""The fees API: scope per role (allowed and denied), a payment recorded with refusals as 422 and nothing
written, the member's own fees, remittance totals."""

import pytest

from dangvu.api.tests.conftest import ApiClient
from dangvu.fees import services
from dangvu.fees.models import Payment
from dangvu.fees.tests.conftest import M

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(client):
    return lambda user: ApiClient(client, user)


def test_sheet_per_role(api, fee_data, tree, cast):
    services.run_month(tree.a, M(2026, 3, 1), actor=cast.office)
    for name in ("secretary", "office", "leader", "admin"):
        response = api(getattr(cast, name)).get(f"/fees/orgs/{tree.c1.pk}/sheet", month="2026-03")
        assert response.status_code == 200, name
        assert response.json()["due"] == 105_000
    for name in ("outsider", "member", "nobody"):
        assert api(getattr(cast, name)).get(f"/fees/orgs/{tree.c1.pk}/sheet").status_code in (401, 404), name
    assert api(cast.secretary).get(f"/fees/orgs/{tree.c2.pk}/sheet").status_code == 404


def test_record_a_payment(api, fee_data, cast):
    an = fee_data["an"]
    payload = {"month": "2026-03", "amount": 100_000, "paid_on": "2026-03-05", "method": "cash"}
    response = api(cast.secretary).post(f"/fees/members/{an.pk}/payments", payload)
    assert response.status_code == 201 and response.json()["amount"] == 100_000
    assert api(cast.secretary).post(f"/fees/members/{an.pk}/payments", {**payload, "amount": 0}).status_code == 422
    assert api(cast.leader).post(f"/fees/members/{an.pk}/payments", payload).status_code == 403
    assert api(cast.outsider).post(f"/fees/members/{an.pk}/payments", payload).status_code == 404
    assert Payment.objects.count() == 1


def test_own_fees(api, fee_data, cast):
    an = fee_data["an"]
    services.record_payment(an, month=M(2026, 3, 1), amount=40_000, paid_on=M(2026, 3, 5))
    body = api(cast.member).get(f"/fees/members/{an.pk}", year=2026).json()
    assert body["months"] == [{"month": "2026-03-01", "due": 100_000, "paid": 40_000, "owed": 60_000}]
    assert api(cast.member).get(f"/fees/members/{fee_data['binh'].pk}").status_code == 404


def test_remittance(api, fee_data, tree, cast):
    services.record_payment(fee_data["an"], month=M(2026, 3, 1), amount=100_000, paid_on=M(2026, 3, 5))
    body = api(cast.office).get(f"/fees/orgs/{tree.a.pk}/remittance", month="2026-03").json()
    total = body["total"]
    assert total["collected"] == 100_000 and total["kept"] + total["sent_up"] == 100_000
    assert api(cast.outsider).get(f"/fees/orgs/{tree.a.pk}/remittance").status_code == 404
