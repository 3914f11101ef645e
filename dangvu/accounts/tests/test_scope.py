"""Scope rules: each role sees its subtree (or its own record) and nothing else."""

import pytest
from django.http import Http404

from dangvu.accounts.models import RoleAssignment
from dangvu.accounts.scope import Scope, get_member_or_404, has_capability, members_for, organisations_for

pytestmark = pytest.mark.django_db


def names(qs):
    return sorted(qs.values_list("full_name", flat=True))


def test_members_visible_per_role(cast, people):
    a_members = ["Lê Minh Đức", "Nguyễn Văn An", "Trần Thị Bình"]
    assert names(members_for(cast.admin)) == sorted([*a_members, "Phạm Thị Em"])
    assert names(members_for(cast.office)) == a_members
    assert names(members_for(cast.inspector)) == a_members
    assert names(members_for(cast.leader)) == a_members
    assert names(members_for(cast.secretary)) == ["Nguyễn Văn An", "Trần Thị Bình"]
    assert names(members_for(cast.member)) == ["Nguyễn Văn An"]  # own record only
    assert names(members_for(cast.outsider)) == ["Phạm Thị Em"]
    assert names(members_for(cast.nobody)) == []


def test_capabilities_per_role(cast):
    assert has_capability(cast.office, "members.edit") and has_capability(cast.office, "members.import")
    assert not has_capability(cast.secretary, "members.edit")
    assert not has_capability(cast.inspector, "orgs.reorganise")
    assert has_capability(cast.inspector, "audit.view") and not has_capability(cast.secretary, "audit.view")
    assert not has_capability(cast.member, "members.export") and not has_capability(cast.nobody, "orgs.view")


def test_out_of_scope_is_404(cast, people, tree):
    assert get_member_or_404(cast.office, people["an"].pk) == people["an"]
    with pytest.raises(Http404):
        get_member_or_404(cast.outsider, people["an"].pk)
    with pytest.raises(Http404):
        get_member_or_404(cast.member, people["binh"].pk)
    assert not organisations_for(cast.outsider).filter(pk=tree.c1.pk).exists()
    assert organisations_for(cast.office).filter(pk=tree.c1.pk).exists()


def test_expired_role_grants_nothing(cast, people):
    import datetime as dt

    RoleAssignment.objects.filter(user=cast.office).update(valid_to=dt.date(2020, 1, 1))
    cast.office.__dict__.pop("_scope_cache", None)
    cast.office.__dict__.pop("_assignments", None)
    assert names(members_for(cast.office)) == []


def test_overlapping_roles_collapse_to_the_widest_prefix(cast, tree):
    RoleAssignment.objects.create(user=cast.office, role="office", organisation=tree.c1)
    cast.office.__dict__.pop("_scope_cache", None)
    cast.office.__dict__.pop("_assignments", None)
    assert Scope.of(cast.office, "members.view").prefixes == (tree.a.path,)


def test_the_whole_tree_survives_an_or_with_a_narrower_condition(cast, people):
    """Django drops an empty Q() from `|`: the administrator's scope must not collapse to the other side."""
    from django.db.models import Q

    from dangvu.accounts.scope import Scope
    from dangvu.members.models import Member

    scope = Scope.of(cast.admin, "members.view")
    assert scope.everything
    every = Member.objects.count()
    assert every >= 4
    assert Member.objects.filter(scope.q("organisation__path")).count() == every
    assert Member.objects.filter(scope.q("organisation__path") | Q(pk=-1)).count() == every
    assert Member.objects.filter(Q(pk=-1) | scope.q("organisation__path")).count() == every
    assert "WHERE" not in str(Member.objects.filter(scope.q("organisation__path")).query)
    narrow = Scope.of(cast.office, "members.view")
    assert Member.objects.filter(narrow.q("organisation__path") | Q(pk=people["em"].pk)).count() == 4
