"""Who sees and acts on an admission file, before and after the ceremony (the file follows the member)."""

from __future__ import annotations

import datetime as dt

import pytest

from dangvu import testing
from dangvu.accounts.models import Role
from dangvu.admission.access import can_record, candidates_for, get_candidate_or_404
from dangvu.admission.models import Stage
from dangvu.admission.tests.test_pipeline import open_candidate, spaced, walk
from dangvu.members import services as member_services
from dangvu.members.models import EventKind

pytestmark = pytest.mark.django_db


def test_the_file_follows_a_member_transferred_during_probation(tree, cast):
    c = open_candidate(tree.c1, cast.secretary, date=dt.date(2023, 2, 1))
    c = walk(c, cast.office, spaced(dt.date(2023, 2, 1), Stage.CEREMONY))
    secretary_c3 = testing.user("bithu.c3", Role.CELL_SECRETARY, tree.c3)
    # Before the move: committee B's people neither see the file nor act on it.
    assert not candidates_for(cast.outsider).filter(pk=c.pk).exists()
    assert not can_record(secretary_c3, c, Stage.OFFICIAL_RESOLUTION)

    member_services.record_event(
        c.member, cast.admin, kind=EventKind.TRANSFER, date=dt.date(2023, 9, 1), organisation=tree.c3
    )
    c.refresh_from_db()
    # The receiving cell and its committee office now see the file and record the official steps.
    assert get_candidate_or_404(secretary_c3, c.pk) == c
    assert can_record(secretary_c3, c, Stage.OFFICIAL_RESOLUTION)
    assert can_record(cast.outsider, c, Stage.OFFICIAL_DECISION)
    # The proposing cell keeps the file in view but no longer acts on it.
    assert candidates_for(cast.secretary).filter(pk=c.pk).exists()
    assert not can_record(cast.secretary, c, Stage.OFFICIAL_RESOLUTION)
    # Someone with no role on either side sees nothing.
    assert not candidates_for(cast.member).exists()
