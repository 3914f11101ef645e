"""The bulk scale path: treebeard paths, ancestry and derived member state equal what the services give."""

import random
from io import StringIO

import pytest
from django.core.management import call_command

from dangvu.accounts.models import User
from dangvu.demo import bulk
from dangvu.members.models import Member, MemberEvent, MemberPeriod, Status
from dangvu.members.services import limits_for, rederive
from dangvu.orgs.models import OrgAncestry, Organisation, OrgKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_world():
    out = StringIO()
    call_command("seed_demo", "--members", "3000", "--seed", "7", stdout=out)
    return out.getvalue()


def test_tree_is_a_valid_treebeard_tree_with_its_ancestry(small_world):
    assert Member.objects.count() >= 3000
    assert all(problem == [] for problem in Organisation.objects.find_problems())
    org_count = Organisation.objects.count()
    assert OrgAncestry.objects.filter(depth=0).count() == org_count
    for org in random.Random(1).sample(list(Organisation.objects.all()), 40):
        ancestors = set(OrgAncestry.objects.filter(descendant=org).values_list("ancestor__path", flat=True))
        assert ancestors == {org.path[: i * Organisation.steplen] for i in range(1, org.depth + 1)}
    # treebeard itself can add under a bulk-written node (paths and numchild are right).
    committee = Organisation.objects.filter(kind=OrgKind.DIRECT).first()
    new = Organisation(code="NEW", name="Chi bộ mới", kind=OrgKind.GRASSROOTS_CELL, valid_from=committee.valid_from)
    child = Organisation.objects.add_child(committee, instance=new)
    committee.refresh_from_db()
    assert child.path.startswith(committee.path) and child.depth == committee.depth + 1
    assert (
        committee.numchild
        == Organisation.objects.filter(path__startswith=committee.path, depth=committee.depth + 1).count()
    )
    assert "vanphong.thanhuy" in small_world


def test_bulk_members_equal_a_replay_through_the_services(small_world):
    members = list(Member.objects.order_by("id"))
    assert len({m.citizen_id for m in members}) == len(members)
    assert not MemberEvent.objects.exclude(source="seed").exists()
    statuses = {m.status for m in members}
    assert {Status.OFFICIAL, Status.PROBATIONARY, Status.TRANSFERRED_OUT} <= statuses
    from dangvu.members.paths import drift

    assert not drift().exists()  # Member.org_path written by the bulk path as Member.save() would
    sample = random.Random(2).sample(members, 150) + [m for m in members if m.status not in Status.in_party()][:50]
    for member in sample:
        stored = (
            member.status,
            member.organisation_id,
            member.admission_date,
            member.official_date,
            member.is_exempt,
            member.is_away,
        )
        periods = list(
            MemberPeriod.objects.filter(member=member)
            .order_by("valid_from")
            .values_list("organisation_id", "status", "valid_from", "valid_to", "is_exempt", "is_away")
        )
        state = rederive(member, list(member.events.all()), save_member=False)
        replayed = (
            member.status,
            member.organisation_id,
            member.admission_date,
            member.official_date,
            member.is_exempt,
            member.is_away,
        )
        assert stored == replayed
        assert periods == [
            (p.organisation_id, p.status, p.valid_from, p.valid_to, p.is_exempt, p.is_away) for p in state.periods
        ]


def test_rule_table_matches_the_services(db):
    import datetime as dt

    table = bulk.RuleTable()
    for day in (dt.date(1990, 1, 1), dt.date(2020, 5, 5), dt.date(2026, 1, 1)):
        assert table(day) == limits_for(day)


def test_demo_users_of_the_bulk_world_log_in(small_world):
    from django.test import Client
    from django.urls import reverse

    user = User.objects.get(username="vanphong.thanhuy")
    assert user.roles.get().organisation.depth == 1
    client = Client()
    client.post(reverse("accounts:login"), {"username": "vanphong", "password": "Demo-dangvu-2025"})
    assert "_auth_user_id" in client.session
