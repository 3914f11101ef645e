"""The fee pages: the month's sheet, arrears, a member's page and the member's own, with both allowed and denied
for each role of the cast; forms refuse bad input beside the field and change nothing."""

import datetime as dt

import pytest

from dangvu.fees import services
from dangvu.fees.models import Due, FeeBasis, Payment, Relief
from dangvu.fees.tests.conftest import M

pytestmark = pytest.mark.django_db


def get(client, user, url):
    client.force_login(user)
    return client.get(url)


def test_sheet_allowed_and_denied(client, fee_data, tree, cast):
    services.run_month(tree.a, M(2026, 3, 1), actor=cast.office)
    url = f"/fees/orgs/{tree.c1.pk}/?month=03/2026"
    for name in ("secretary", "office", "leader", "inspector", "admin"):
        response = get(client, getattr(cast, name), url)
        assert response.status_code == 200, name
        assert "Nguyễn Văn An" in response.content.decode()
    assert get(client, cast.outsider, url).status_code == 404
    assert get(client, cast.member, url).status_code == 404
    assert get(client, cast.nobody, url).status_code == 404
    assert get(client, cast.secretary, f"/fees/orgs/{tree.c2.pk}/").status_code == 404
    body = get(client, cast.office, f"/fees/orgs/{tree.a.pk}/?month=03/2026").content.decode()
    assert "Lê Minh Đức" in body and "Phạm Thị Em" not in body


def test_draw_up_the_month(client, fee_data, tree, cast):
    client.force_login(cast.leader)
    assert client.post(f"/fees/orgs/{tree.c1.pk}/run/", {"month": "04/2026"}).status_code == 403
    client.force_login(cast.outsider)
    assert client.post(f"/fees/orgs/{tree.c1.pk}/run/", {"month": "04/2026"}).status_code == 404
    assert not Due.objects.exists()
    client.force_login(cast.secretary)
    response = client.post(f"/fees/orgs/{tree.c1.pk}/run/", {"month": "04/2026"})
    assert response.status_code == 302
    assert Due.objects.filter(month=M(2026, 4, 1)).count() == 2


def test_member_page_allowed_and_denied(client, fee_data, cast):
    an = fee_data["an"]
    url = f"/fees/members/{an.pk}/"
    for name in ("secretary", "office", "leader", "admin", "member"):
        assert get(client, getattr(cast, name), url).status_code == 200, name
    assert get(client, cast.outsider, url).status_code == 404
    assert get(client, cast.member, f"/fees/members/{fee_data['binh'].pk}/").status_code == 404
    body = get(client, cast.secretary, url).content.decode()
    assert 'id="payment-form"' in body
    assert 'id="payment-form"' not in get(client, cast.leader, url).content.decode()


def test_my_fee_page(client, fee_data, cast):
    services.record_payment(fee_data["an"], month=M(2026, 3, 1), amount=100_000, paid_on=dt.date(2026, 3, 5))
    response = get(client, cast.member, "/fees/me/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "100.000" in body and 'id="payment-form"' not in body
    assert get(client, cast.nobody, "/fees/me/").status_code == 403
    assert get(client, cast.member, "/fees/").status_code == 302


def test_record_a_payment(client, fee_data, cast):
    an = fee_data["an"]
    client.force_login(cast.secretary)
    data = {"month": "03/2026", "amount": "100.000", "paid_on": "05/03/2026", "method": "cash", "reference": ""}
    assert client.post(f"/fees/members/{an.pk}/pay/", data).status_code == 302
    assert Payment.objects.get().amount == 100_000
    client.force_login(cast.leader)
    assert client.post(f"/fees/members/{an.pk}/pay/", data).status_code == 403
    client.force_login(cast.secretary)
    assert client.post(f"/fees/members/{fee_data['duc'].pk}/pay/", data).status_code == 404
    assert Payment.objects.count() == 1


def test_bad_input_is_refused_beside_the_field(client, fee_data, cast):
    an = fee_data["an"]
    client.force_login(cast.secretary)
    data = {"month": "03/2026", "amount": "mười nghìn", "paid_on": "05/03/2026", "method": "cash"}
    response = client.post(f"/fees/members/{an.pk}/pay/", data, HTTP_ACCEPT_LANGUAGE="vi")
    assert response.status_code == 422
    assert "id_amount_error" in response.content.decode()
    data = {"kind": "reduction", "percent": "", "reason": "hardship", "first_month": "03/2026", "last_month": "05/2026"}
    response = client.post(f"/fees/members/{an.pk}/relief/", data)
    assert response.status_code == 422 and "id_percent_error" in response.content.decode()
    data = {"category": "insured", "base_amount": "", "from_month": "03/2026"}
    response = client.post(f"/fees/members/{an.pk}/basis/", data)
    assert response.status_code == 422 and "id_base_amount_error" in response.content.decode()
    assert not Payment.objects.exists() and not Relief.objects.exists()
    assert FeeBasis.objects.filter(member=an).count() == 1


def test_annul_asks_first(client, fee_data, cast):
    an = fee_data["an"]
    payment = services.record_payment(an, month=M(2026, 3, 1), amount=100_000, paid_on=dt.date(2026, 3, 5))
    client.force_login(cast.secretary)
    url = f"/fees/members/{an.pk}/payments/{payment.pk}/annul/"
    assert client.post(url, {"reason": "Ghi nhầm"}).status_code == 409
    payment.refresh_from_db()
    assert payment.annulled_at is None
    assert client.post(url, {"reason": "Ghi nhầm", "confirmed": "annul_fee_payment"}).status_code == 302
    payment.refresh_from_db()
    assert payment.annulled_at is not None


def test_arrears_page(client, fee_data, tree, cast):
    services.run_month(tree.a, M(2026, 3, 1), actor=cast.office)
    body = get(client, cast.secretary, f"/fees/orgs/{tree.c1.pk}/arrears/?year=2026").content.decode()
    assert "Nguyễn Văn An" in body and "100.000" in body
    assert get(client, cast.outsider, f"/fees/orgs/{tree.c1.pk}/arrears/").status_code == 404
