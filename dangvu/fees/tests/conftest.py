import datetime as dt

import pytest

from dangvu.fees import services

M = dt.date  # months are the first days of months
JANUARY = dt.date(2026, 1, 1)


def basis(member, category="insured", amount=10_000_000, month=JANUARY, actor=None):
    return services.set_basis(member, category=category, base_amount=amount, from_month=month, actor=actor)


@pytest.fixture
def fee_data(people, cast):
    """An (C1) on an insured salary of 10,000,000 đ, Bình (C1) a student, Đức (C2) pensioner, Em (C3, committee
    B) on a salary of 8,000,000 đ — all from 01/2026."""
    basis(people["an"], actor=cast.secretary)
    basis(people["binh"], "student", 0, actor=cast.secretary)
    basis(people["duc"], "pension", 7_000_000, actor=cast.office)
    basis(people["em"], "insured", 8_000_000, actor=cast.outsider)
    return people
