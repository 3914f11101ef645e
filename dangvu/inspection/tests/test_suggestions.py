"""Review suggestions (issue 12 item 5): sent to a subordinate collective or member, each issue followed to
remediation with evidence; refusals write nothing; only the inspection committee (and admin) records."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from dangvu import testing
from dangvu.inspection import suggestions
from dangvu.inspection.models import Suggestion, SuggestionIssue
from dangvu.lib.errors import DomainError

pytestmark = pytest.mark.django_db
SENT = dt.date(2024, 11, 20)


def _send(tree, actor, **kw):
    args = {
        "sender": tree.a,
        "year": 2024,
        "sent_on": SENT,
        "issues": [
            ("Chậm khắc phục hạn chế năm trước", dt.date(2025, 1, 31)),
            ("Sinh hoạt chưa đều", dt.date(2025, 3, 1)),
        ],
        "document_number": "15-CV/ĐU",
        "actor": actor,
    }
    if "member" not in kw:
        args["organisation"] = tree.a_base
    args.update(kw)
    return suggestions.send(**args)


def _nothing_written():
    return not Suggestion.objects.exists() and not SuggestionIssue.objects.exists()


def test_sent_to_a_collective_and_a_member_and_remedied_with_evidence(tree, cast):
    to_org = _send(tree, cast.inspector)
    member = testing.member(tree.c2, "Lê Văn Gợi")
    to_member = _send(tree, cast.inspector, member=member, issues=[("Tác phong", dt.date(2025, 2, 1))])
    assert to_member.organisation == tree.c2 and to_member.member == member
    first = to_org.issues.first()
    with pytest.raises(DomainError) as err:
        suggestions.close_issue(first, closed_on=dt.date(2025, 1, 10), evidence="", actor=cast.inspector)
    assert "evidence" in err.value.message_dict
    first.refresh_from_db()
    assert first.closed_on is None
    suggestions.close_issue(first, closed_on=dt.date(2025, 1, 10), evidence="Biên bản kiểm điểm", actor=cast.inspector)
    assert [i.closed_on for i in to_org.issues.all()] == [dt.date(2025, 1, 10), None]
    assert [h.history_change_reason for h in first.history.order_by("history_id")] == ["issue", "remedied"]


def test_refusals_write_nothing(tree, cast):
    cases = [
        ({"organisation": tree.b_base}, "organisation"),  # not under A
        ({"member": testing.member(tree.c3)}, "organisation"),  # a member under B
        ({"issues": []}, "issues"),
        ({"issues": [("x", dt.date(2024, 1, 1))]}, "issues"),  # deadline before the sending
        ({"issues": [("  ", dt.date(2025, 1, 1))]}, "issues"),
        ({"sent_on": None}, "sent_on"),
    ]
    for kw, field in cases:
        with pytest.raises(DomainError) as err:
            _send(tree, cast.inspector, **kw)
        assert field in err.value.message_dict, (kw, err.value.message_dict)
        assert _nothing_written()


@pytest.mark.parametrize("who", ["office", "leader", "secretary", "member", "outsider", "nobody"])
def test_only_the_inspection_committee_records(tree, cast, who):
    with pytest.raises(PermissionDenied):
        _send(tree, getattr(cast, who))
    assert _nothing_written()
    assert _send(tree, cast.admin).pk
