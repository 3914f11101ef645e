"""Inspection and supervision API (read only): lists, one activity, coverage and remediation
for a year or a term; allowed and denied per role."""

from __future__ import annotations

import datetime as dt

import pytest

from dangvu.inspection import services
from dangvu.inspection.tests.conftest import inspect
from dangvu.orgs import services as org_services
from dangvu.orgs.models import OrgKind, Term

pytestmark = pytest.mark.django_db
SEE = {"admin", "office", "inspector", "leader"}


@pytest.fixture
def activity(tree, cast):
    activity = inspect(tree.a, [tree.a_base], dt.date(2024, 3, 1), cast.inspector, title="Kiểm tra dấu hiệu A1")
    services.add_remediation(
        activity,
        description="Khắc phục thu chi quỹ",
        owner="Đảng ủy A1",
        deadline=dt.date(2024, 6, 1),
        actor=cast.inspector,
    )
    return activity


def _item(activity, deadline, actor, closed_on=None):
    item = services.add_remediation(
        activity, description=f"Khắc phục {deadline}", owner="Đảng ủy", deadline=deadline, actor=actor
    )
    if closed_on:
        services.close_remediation(item, closed_on=closed_on, evidence="Báo cáo khắc phục", actor=actor)
    return item


def test_allowed_and_denied_per_role(api, cast, activity):
    for name, user in cast.all().items():
        client = api(user)
        listing = client.get("/inspection/activities")
        detail = client.get(f"/inspection/activities/{activity.pk}")
        if name in SEE:
            assert listing.status_code == 200, name
            assert [a["title"] for a in listing.json()["items"]] == ["Kiểm tra dấu hiệu A1"], name
            body = detail.json()
            assert detail.status_code == 200 and body["mode"] == "signs", name
            assert [s["organisation"]["code"] for s in body["subjects"]] == ["A1"]
            assert [(r["owner"], r["closed_on"]) for r in body["remediations"]] == [("Đảng ủy A1", None)]
        elif name == "outsider":  # office of B: the capability, not over A
            assert listing.status_code == 200 and listing.json()["items"] == []
            assert detail.status_code == 404
        else:
            assert (listing.status_code, detail.status_code) == (403, 403), name
    assert api().get("/inspection/activities").status_code == 401


def test_coverage(api, tree, cast, activity):
    body = api(cast.inspector).get("/inspection/coverage", organisation_id=tree.a.pk, year=2024).json()
    assert (body["combined"]["covered"], body["combined"]["grassroots"], body["combined"]["share"]) == (1, 2, 50.0)
    assert api(cast.inspector).get("/inspection/coverage", organisation_id=tree.b.pk, year=2024).status_code == 404
    assert api(cast.secretary).get("/inspection/coverage", organisation_id=tree.a.pk, year=2024).status_code == 403


def test_remediation_on_time(api, tree, cast, activity):
    item = activity.remediations.get()
    services.close_remediation(item, closed_on=dt.date(2024, 5, 20), evidence="Báo cáo", actor=cast.inspector)
    body = api(cast.leader).get("/inspection/remediation-on-time", organisation_id=tree.a.pk, year=2024).json()
    assert (body["combined"]["due"], body["combined"]["on_time"], body["combined"]["share"]) == (1, 1, 100.0)
    assert sum(p["due"] for p in body["parts"]) == 1
    assert (
        api(cast.inspector).get("/inspection/remediation-on-time", organisation_id=tree.b.pk, year=2024).status_code
        == 404
    )
    assert (
        api(cast.secretary).get("/inspection/remediation-on-time", organisation_id=tree.a.pk, year=2024).status_code
        == 403
    )


def test_a_term_across_a_merger_per_predecessor_and_combined(api, tree, cast):
    """A term, as on the page: coverage counts each grassroots organisation once over the term (not the sum
    of its years); remediation due in the term is the sum over its years, per predecessor and combined."""
    Term.objects.create(code="2024-2026", start=dt.date(2024, 1, 1), end=dt.date(2026, 12, 31))
    a = inspect(tree.a, [tree.a_base], dt.date(2024, 3, 1), cast.admin)
    b = inspect(tree.b, [tree.b_base], dt.date(2025, 4, 1), cast.admin)
    _item(a, dt.date(2024, 9, 30), cast.admin, dt.date(2024, 9, 1))
    _item(a, dt.date(2025, 6, 30), cast.admin, dt.date(2025, 6, 1))
    _item(b, dt.date(2025, 8, 31), cast.admin, dt.date(2025, 11, 1))  # late, closed after the merger
    s = org_services.merge(
        [tree.a, tree.b],
        dt.date(2025, 10, 1),
        org_services.Document("01-QĐ/TU"),
        None,
        new=org_services.OrgSpec("S", "Đảng bộ Hợp nhất", OrgKind.DIRECT),
        parent=tree.city,
    ).created[0]
    inspect(s, [tree.a_base], dt.date(2026, 2, 1), cast.admin)  # A1 again
    later = inspect(s, [tree.a_cell_base], dt.date(2026, 3, 1), cast.admin)
    _item(later, dt.date(2026, 5, 31), cast.admin, dt.date(2026, 5, 2))
    _item(later, dt.date(2026, 6, 30), cast.admin)  # open, deadline passed: overdue
    _item(later, dt.date(2027, 1, 31), cast.admin)  # after the term
    client = api(cast.admin)

    def get(path, **period):
        response = client.get(path, organisation_id=s.pk, **period)
        assert response.status_code == 200, response.content
        body = response.json()
        return body, {p["organisation"]["code"]: p for p in body["parts"]}

    body, parts = get("/inspection/coverage", term="2024-2026")
    assert (body["start"], body["end"]) == ("2024-01-01", "2026-12-31")
    assert {code: (p["covered"], p["grassroots"]) for code, p in parts.items()} == {
        "S": (1, 1),  # A2, first covered by S
        "A": (1, 1),  # A1, credited where first covered
        "B": (1, 1),
    }
    assert (body["combined"]["covered"], body["combined"]["grassroots"], body["combined"]["share"]) == (3, 3, 100.0)
    yearly = [get("/inspection/coverage", year=y)[0]["combined"]["covered"] for y in (2024, 2025, 2026)]
    assert yearly == [1, 1, 2]  # A1 in 2024 and 2026: once in the term

    fields = ("due", "on_time", "late", "overdue")
    body, parts = get("/inspection/remediation-on-time", term="2024-2026")
    assert {code: tuple(p[f] for f in fields) for code, p in parts.items()} == {
        "S": (2, 1, 0, 1),
        "A": (2, 2, 0, 0),
        "B": (1, 0, 1, 0),
    }
    assert tuple(body["combined"][f] for f in fields) == (5, 3, 1, 1)
    years = [get("/inspection/remediation-on-time", year=y) for y in (2024, 2025, 2026)]
    for f in fields:
        assert body["combined"][f] == sum(y["combined"][f] for y, _parts in years), f
        for code in ("S", "A", "B"):
            assert parts[code][f] == sum(y_parts[code][f] for _y, y_parts in years), (code, f)
    # The term wins over a year given with it, as on the page.
    assert get("/inspection/remediation-on-time", term="2024-2026", year=2024)[0]["combined"]["due"] == 5


def test_a_term_refused_and_denied(api, tree, cast, activity):
    Term.objects.create(code="2020-2025", start=dt.date(2020, 1, 1), end=dt.date(2025, 12, 31))
    for path in ("/inspection/coverage", "/inspection/remediation-on-time"):
        inspector = api(cast.inspector)
        assert inspector.get(path, organisation_id=tree.a.pk, term="2020-2025").status_code == 200, path
        assert inspector.get(path, organisation_id=tree.a.pk, term="1990-1995").status_code == 404, path
        missing = inspector.get(path, organisation_id=tree.a.pk)
        assert missing.status_code == 422 and missing.json()["detail"] == "Chọn năm hoặc nhiệm kỳ.", path
        assert inspector.get(path, organisation_id=tree.b.pk, term="2020-2025").status_code == 404, path
        assert api(cast.secretary).get(path, organisation_id=tree.a.pk, term="2020-2025").status_code == 403, path
        assert api().get(path, organisation_id=tree.a.pk, term="2020-2025").status_code == 401, path
