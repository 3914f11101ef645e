"""The demo world (`dangvu seed_demo`): seed-003 shape, lineage, consistency and the demo log-ins.

The world is built once for the module (inside a transaction rolled back at the end) because building it
through the services takes tens of seconds."""

import datetime as dt
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.http import Http404
from django.test import Client, override_settings
from django.urls import reverse

from dangvu.accounts.models import Role, User
from dangvu.accounts.scope import get_member_or_404, members_for, organisations_for
from dangvu.demo import world
from dangvu.members.models import Member, MemberPeriod, Status
from dangvu.members.services import rederive
from dangvu.orgs import queries
from dangvu.orgs.models import Committee, LeadershipAssignment, Organisation, OrgKind, Position, ReorgKind


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    # The same fast hasher as conftest's function-scoped fixture, which has not run yet at module scope.
    hashers = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with django_db_blocker.unblock(), transaction.atomic(), override_settings(PASSWORD_HASHERS=hashers):
        out = StringIO()
        call_command("seed_demo", "--json", stdout=out)
        yield json.loads(out.getvalue())
        transaction.set_rollback(True)


pytestmark = pytest.mark.django_db


def _logs_in(username: str, password: str) -> bool:
    client = Client()
    client.post(reverse("accounts:login"), {"username": username, "password": password})
    return "_auth_user_id" in client.session


def _active(org, kinds):
    return Organisation.objects.filter(path__startswith=org.path, valid_to__isnull=True, kind__in=kinds)


def test_shape_of_the_merged_committee(demo):
    merged = Organisation.objects.get(code=world.MERGED_CODE)
    assert merged.name == world.MERGED_NAME and merged.valid_from == world.MERGE_DAY
    assert _active(merged, OrgKind.grassroots()).count() == 13
    assert _active(merged, [OrgKind.SUB_COMMITTEE]).count() == 5
    assert _active(merged, OrgKind.member_holding()).count() == 103
    in_party = Member.objects.filter(organisation__path__startswith=merged.path, status__in=Status.in_party())
    assert 2300 <= in_party.count() <= 2500
    # Every in-party member sits in an active cell of the merged committee.
    assert not in_party.filter(organisation__valid_to__isnull=False).exists()
    assert queries.member_count_on(merged, dt.date(2025, 12, 31)) == in_party.count()


def test_lineage_and_counts_before_the_merger(demo):
    merged = Organisation.objects.get(code=world.MERGED_CODE)
    khoi = {p.code for p in world.PREDECESSORS}
    assert {o.code for o in queries.predecessors(merged)} == khoi
    assert all(o.valid_to == world.MERGE_DAY for o in Organisation.objects.filter(code__in=khoi))
    day = dt.date(2025, 1, 1)
    per_predecessor = [queries.member_count_on(Organisation.objects.get(code=c), day) for c in khoi]
    assert all(n > 300 for n in per_predecessor)
    assert queries.member_count_on(merged, day) == 0
    assert queries.member_count_on(merged, day, lineage=True) == sum(per_predecessor)
    # Grassroots lineage: a hợp nhất of two đảng bộ cơ sở and a sáp nhập of two chi bộ cơ sở.
    (pair, (new_code, _name)) = world.PAIR_NEW
    assert {o.code for o in queries.predecessors(Organisation.objects.get(code=new_code))} == set(pair)
    sources, into = world.PAIR_INTO
    target = Organisation.objects.get(code=into)
    assert {o.code for o in queries.predecessors(target)} == set(sources)
    moved = Member.objects.filter(events__kind="reorganisation", events__reorganisation__kind=ReorgKind.MERGE)
    assert moved.exists() and set(moved.values_list("organisation_id", flat=True)) == {target.pk}


def test_stored_state_equals_the_replay_of_the_events(demo):
    sample = list(Member.objects.order_by("?")[:60]) + list(Member.objects.exclude(status__in=Status.in_party()))
    assert len({m.status for m in sample}) >= 4  # transferred out, removed, expelled, deceased, ...
    for member in sample:
        stored = (member.status, member.organisation_id, member.admission_date, member.official_date, member.is_exempt)
        periods = list(
            MemberPeriod.objects.filter(member=member)
            .order_by("valid_from")
            .values_list("organisation_id", "status", "valid_from", "valid_to")
        )
        state = rederive(member, list(member.events.all()), save_member=False)
        assert stored == (
            member.status,
            member.organisation_id,
            member.admission_date,
            member.official_date,
            member.is_exempt,
        )
        assert periods == [(p.organisation_id, p.status, p.valid_from, p.valid_to) for p in state.periods]
    assert Member.history.count() >= Member.objects.count()  # written through the services, audited


def test_committees_and_leadership(demo):
    merged = Organisation.objects.get(code=world.MERGED_CODE)
    committee = Committee.objects.get(organisation=merged, term__code="2025-2030")
    seats = list(committee.seats.all())
    assert [s.position for s in seats].count(Position.SECRETARY) == 1
    standing = [s for s in seats if s.position != Position.COMMITTEE_MEMBER]
    per_seat = [LeadershipAssignment.objects.filter(seat=s).count() for s in standing]
    assert all(1 <= n <= 2 for n in per_seat)
    in_charge = LeadershipAssignment.objects.filter(seat__committee=committee).values_list("organisation_id", flat=True)
    assert sorted(in_charge) == sorted(_active(merged, OrgKind.grassroots()).values_list("id", flat=True))
    assert Committee.objects.filter(term__code="2020-2025", organisation__code__in=["CT-KDCD", "ST-KCQDN"]).count() == 2
    cell = Organisation.objects.get(code="CT-KDCD-01-C01")
    assert Committee.objects.filter(organisation=cell).count() == 2


def test_json_lists_every_role(demo):
    assert {row["role"] for row in demo} == set(Role.values)
    assert all(row["password"] == world.DEMO_PASSWORD for row in demo)
    assert {row["username"] for row in demo} == {u for u, _r in world.DEMO_USERS}


def test_each_demo_user_logs_in_and_sees_only_its_subtree(demo):
    everything = Member.objects.count()
    refused = 0
    for row in demo:
        user = User.objects.get(username=row["username"])
        assert _logs_in(row["username"], row["password"])
        visible = members_for(user)
        if row["role"] == Role.ADMIN:
            assert visible.count() == everything
            continue
        if row["role"] == Role.MEMBER:
            assert list(visible) == [user.member]
            assert user.member.organisation.code == row["organisation_code"]
            assert not organisations_for(user).exists()
            continue
        org = Organisation.objects.get(code=row["organisation_code"])
        assert visible.count() == Member.objects.filter(organisation__path__startswith=org.path).count() > 0
        assert not organisations_for(user).exclude(path__startswith=org.path).exists()
        outside = Member.objects.exclude(organisation__path__startswith=org.path).first()
        if outside is not None:  # the merged committee and the city hold every member of the demo
            with pytest.raises(Http404):
                get_member_or_404(user, outside.pk)
            refused += 1
    assert refused == 2  # the grassroots office and the cell secretary
    assert not _logs_in("vanphong", "wrong-password")


def test_if_empty_is_idempotent_and_a_second_run_is_refused(demo):
    counts = (Organisation.objects.count(), Member.objects.count(), User.objects.count())
    out = StringIO()
    call_command("seed_demo", "--if-empty", "--json", stdout=out)
    assert json.loads(out.getvalue()) == demo
    text = StringIO()
    call_command("seed_demo", "--if-empty", stdout=text)
    assert "vanphong.coso" in text.getvalue() and world.DEMO_PASSWORD in text.getvalue()
    with pytest.raises(CommandError):
        call_command("seed_demo", stdout=StringIO())
    assert (Organisation.objects.count(), Member.objects.count(), User.objects.count()) == counts
