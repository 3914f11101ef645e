"""Numbers in the Party format, from 01 per type per term of the issuing body; a congress one series;
numbers never collide, also when two documents are registered at the same moment (PostgreSQL: threads)."""

import datetime as dt

import pytest

from dangvu.docregister import services
from dangvu.docregister.models import Document
from dangvu.docregister.tests.conftest import entry
from dangvu.lib.errors import DomainError
from dangvu.meetings.tests.test_concurrency import run_at_once
from dangvu.orgs.models import Committee

pytestmark = pytest.mark.django_db


def test_numbers_run_from_01_per_type_and_per_term(tree, cast, terms):
    first = services.register(entry(tree.a), cast.office)
    second = services.register(entry(tree.a), cast.office)
    plan = services.register(entry(tree.a, "KH", title="Kế hoạch kiểm tra"), cast.office)
    old = services.register(entry(tree.a, date=dt.date(2024, 5, 6)), cast.office)
    assert [first.number, second.number, plan.number, old.number] == ["01-NQ/ĐU", "02-NQ/ĐU", "01-KH/ĐU", "01-NQ/ĐU"]
    assert (first.term, old.term) == (terms["2025"], terms["2020"])
    # Another organisation has its own series; a cell's symbol is CB.
    assert services.register(entry(tree.c1), cast.office).number == "01-NQ/CB"
    assert services.register(entry(tree.a_base), cast.office).number == "01-NQ/ĐU"


def test_the_inspection_committee_and_the_congress_have_their_own_series(tree, cast, terms):
    services.register(entry(tree.a, "QĐ"), cast.office)
    inspection = services.register(entry(tree.a, "QĐ", body="inspection"), cast.office)
    assert inspection.number == "01-QĐ/UBKTĐU"
    congress = [
        services.register(
            entry(tree.a, kind, body="congress", date=dt.date(2025, 8, 20), term=terms["2025"]), cast.office
        )
        for kind in ("NQ", "BB", "NQ")
    ]
    # One series for the congress whatever the type.
    assert [d.number for d in congress] == ["01-NQ/ĐH", "02-BB/ĐH", "03-NQ/ĐH"]
    assert all(d.term == terms["2025"] for d in congress)


def test_the_term_follows_the_committee_in_office(tree, cast, terms):
    # The 2025–2030 committee elected early (22/09/2025): its documents of 25/09 are in the new series.
    Committee.objects.create(organisation=tree.a, term=terms["2025"], elected_on=dt.date(2025, 9, 22))
    document = services.register(entry(tree.a, date=dt.date(2025, 9, 25)), cast.office)
    assert document.term == terms["2025"]


def test_a_document_issued_before_registration_keeps_its_number_and_the_series_follows(tree, cast, terms):
    kept = services.register(entry(tree.a, serial=120, symbol="ĐUK"), cast.office)
    assert kept.number == "120-NQ/ĐUK"
    assert services.register(entry(tree.a), cast.office).serial == 121
    with pytest.raises(DomainError) as refused:
        services.register(entry(tree.a, serial=120), cast.office)
    assert "serial" in refused.value.message_dict
    assert Document.objects.count() == 2


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"title": "  "}, "title"),
        ({"date": dt.date(2099, 1, 1)}, "date"),
        ({"date": dt.date(2001, 1, 1)}, "date"),  # before the organisation existed
        ({"doc_type": "XX"}, "doc_type"),
        ({"symbol": "đu 1"}, "symbol"),
        ({"date": dt.date(2021, 1, 4), "term_key": "2025"}, "term"),
    ],
)
def test_bad_input_is_refused_beside_its_field_and_writes_nothing(tree, cast, terms, changes, field):
    term_key = changes.pop("term_key", None)
    if term_key:
        changes["term"] = terms[term_key]
    with pytest.raises(DomainError) as refused:
        services.register(entry(tree.a, **changes), cast.office)
    assert field in refused.value.message_dict
    assert not Document.objects.exists()


def test_no_term_covering_the_date_is_refused(tree, cast):
    with pytest.raises(DomainError) as refused:
        services.register(entry(tree.a), cast.office)
    assert "term" in refused.value.message_dict


def test_the_register_is_audited(tree, cast, terms):
    document = services.register(entry(tree.a), cast.office)
    record = document.history.get()
    assert (record.history_user, record.history_change_reason) == (cast.office, "register")


@pytest.mark.django_db(transaction=True)
def test_two_documents_registered_at_once_get_different_numbers(tree, cast, terms):
    results = run_at_once([lambda: services.register(entry(tree.a), cast.office) for _ in range(2)])
    assert all(isinstance(r, Document) for r in results), results
    assert sorted(r.number for r in results) == ["01-NQ/ĐU", "02-NQ/ĐU"]
    # Also when the series already exists (the row lock rather than the first insert decides).
    results = run_at_once([lambda: services.register(entry(tree.a), cast.office) for _ in range(3)])
    assert all(isinstance(r, Document) for r in results), results
    assert sorted(r.number for r in results) == ["03-NQ/ĐU", "04-NQ/ĐU", "05-NQ/ĐU"]
