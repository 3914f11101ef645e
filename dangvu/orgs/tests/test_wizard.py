"""The reorganisation wizard: form -> preview (nothing written) -> confirm (applied through orgs.services)."""

import datetime as dt

import pytest
from django.urls import reverse

from dangvu.members.models import EventKind, Member
from dangvu.orgs.models import Organisation, OrgKind, Reorganisation, ReorgKind

pytestmark = pytest.mark.django_db
DOC = {
    "effective_date": "01/07/2025",
    "document_number": "12-QĐ/ĐU",
    "document_date": "20/06/2025",
    "issuer": "Ban Thường vụ Đảng ủy",
    "note": "",
}


@pytest.fixture(autouse=True)
def _no_two_factor(settings):
    settings.TWO_FACTOR_REQUIRED = False


def as_user(client, user):
    client.force_login(user)
    return client


def url(kind, query=""):
    return reverse("orgs:reorganise_kind", args=[kind]) + query


def fresh(org):
    return Organisation.objects.get(pk=org.pk)


def post(client, kind, data, step, query=""):
    return client.post(url(kind, query), {**DOC, **data, "step": step})


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("admin", 200),
        ("office", 200),
        ("outsider", 200),
        ("inspector", 403),
        ("leader", 403),
        ("secretary", 403),
        ("member", 403),
        ("nobody", 403),
    ],
)
def test_start_page_needs_the_reorganise_capability(client, cast, who, status):
    c = as_user(client, getattr(cast, who))
    assert c.get(reverse("orgs:reorganise")).status_code == status
    assert c.get(url("move")).status_code == status
    assert c.post(url("move"), {**DOC, "step": "preview"}).status_code == status


def test_wizard_needs_login(client, tree):
    for target in (reverse("orgs:reorganise"), url("merge")):
        response = client.get(target)
        assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))


def test_unknown_kind_is_404(client, cast):
    assert as_user(client, cast.office).get(url("explode")).status_code == 404


def test_start_page_for_an_organisation_links_every_kind(client, cast, tree):
    c = as_user(client, cast.office)
    page = c.get(reverse("orgs:reorganise"), {"org": tree.c1.pk})
    body = page.content.decode()
    for kind in ("merge", "split", "move", "rename", "dissolve", "establish"):
        assert f"{url(kind)}?org={tree.c1.pk}" in body
    assert c.get(reverse("orgs:reorganise"), {"org": tree.c3.pk}).status_code == 404
    form = c.get(url("merge", f"?org={tree.c2.pk}")).context["form"]
    assert form["predecessors"].value() == [tree.c2.pk]
    # Choices are limited to the user's scope.
    choices = {o.code for o in form.fields["into"].queryset}
    assert "A1-C1" in choices and "B1-C3" not in choices


MERGE = {"successor": "existing"}


def test_merge_preview_changes_nothing_then_confirm_applies_it(client, cast, tree, people):
    c = as_user(client, cast.office)
    data = {**MERGE, "predecessors": [tree.c2.pk], "into": tree.c1.pk}
    preview = post(c, "merge", data, "preview")
    assert preview.status_code == 200
    assert [t.name for t in preview.templates][0] == "orgs/wizard_preview.html"
    effects = preview.context["effects"]
    assert effects.members_moved == 1 and [o.code for o in effects.dissolved] == ["A1-C2"]
    body = preview.content.decode()
    assert [value for _label, value in preview.context["form"].summary()][-1] == tree.c1.name  # the successor
    assert 'type="hidden" name="predecessors"' in body and 'name="document_number" value="12-QĐ/ĐU"' in body
    # Nothing changed.
    assert Member.objects.get(pk=people["duc"].pk).organisation_id == tree.c2.pk
    assert fresh(tree.c2).valid_to is None
    assert not Reorganisation.objects.filter(document_number="12-QĐ/ĐU").exists()
    # Back to the form keeps what was typed.
    edit = post(c, "merge", data, "edit")
    assert [t.name for t in edit.templates][0] == "orgs/wizard_form.html"
    assert edit.context["form"]["document_number"].value() == "12-QĐ/ĐU"
    # Confirm.
    done = post(c, "merge", data, "confirm")
    assert done.status_code == 302 and done.url == reverse("orgs:detail", args=[tree.c1.pk])
    reorg = Reorganisation.objects.get(document_number="12-QĐ/ĐU")
    assert reorg.kind == ReorgKind.MERGE and reorg.date == dt.date(2025, 7, 1)
    assert reorg.issuer == "Ban Thường vụ Đảng ủy" and reorg.recorded_by == cast.office
    assert fresh(tree.c2).valid_to == dt.date(2025, 7, 1)
    duc = Member.objects.get(pk=people["duc"].pk)
    assert duc.organisation_id == tree.c1.pk
    assert duc.events.filter(kind=EventKind.REORGANISATION, reorganisation=reorg).exists()


def test_merge_into_a_new_organisation_under_the_default_superior(client, cast, tree, people):
    c = as_user(client, cast.office)
    data = {
        "successor": "new",
        "predecessors": [tree.c1.pk, tree.c2.pk],
        "new_code": "A1-C12",
        "new_name": "Chi bộ Phòng Một Hai",
        "new_kind": OrgKind.CELL,
    }
    preview = post(c, "merge", data, "preview")
    assert [o.code for o in preview.context["effects"].created] == ["A1-C12"]
    assert not Organisation.objects.filter(code="A1-C12").exists()
    done = post(c, "merge", data, "confirm")
    new = Organisation.objects.get(code="A1-C12")
    assert done.url == reverse("orgs:detail", args=[new.pk])
    assert new.path.startswith(fresh(tree.a_base).path) and new.depth == tree.a_base.depth + 1
    assert Member.objects.filter(organisation=new).count() == 3


def test_merge_form_validation_messages(client, cast, tree):
    c = as_user(client, cast.office)
    response = post(
        c, "merge", {"successor": "existing", "predecessors": [tree.c2.pk], "document_number": ""}, "preview"
    )
    form = response.context["form"]
    assert set(form.errors) >= {"into", "document_number"}
    response = post(c, "merge", {"successor": "new", "predecessors": [tree.c2.pk]}, "preview")
    assert set(response.context["form"].errors) >= {"new_code", "new_name", "new_kind"}
    response = post(
        c,
        "merge",
        {**MERGE, "predecessors": [tree.c2.pk], "into": tree.c1.pk, "effective_date": "2025-13-01"},
        "preview",
    )
    assert "effective_date" in response.context["form"].errors
    assert not Reorganisation.objects.filter(document_number="12-QĐ/ĐU").exists()


def test_merge_with_an_out_of_scope_organisation_is_404(client, cast, tree, people):
    c = as_user(client, cast.office)
    for data in (
        {**MERGE, "predecessors": [tree.c2.pk, tree.c3.pk], "into": tree.c1.pk},  # predecessor of B
        {**MERGE, "predecessors": [tree.c2.pk], "into": tree.c3.pk},  # target of B
        {
            "successor": "new",
            "predecessors": [tree.c1.pk, tree.c2.pk],
            "new_code": "X",
            "new_name": "X",
            "new_kind": OrgKind.CELL,
            "parent": tree.b_base.pk,
        },  # new superior in B
    ):
        for step in ("preview", "confirm"):
            assert post(c, "merge", data, step).status_code == 404
    assert fresh(tree.c2).valid_to is None and fresh(tree.c3).valid_to is None
    assert Reorganisation.objects.filter(document_number="12-QĐ/ĐU").count() == 0


def test_merge_refused_when_the_new_organisation_would_leave_the_scope(client, cast, tree):
    """Merging A itself into a new committee would create it under the city, outside the office's scope."""
    c = as_user(client, cast.office)
    data = {
        "successor": "new",
        "predecessors": [tree.a.pk],
        "new_code": "AN",
        "new_name": "Mới",
        "new_kind": OrgKind.DIRECT,
    }
    response = post(c, "merge", data, "confirm")
    assert response.status_code == 200 and "parent" in response.context["form"].errors
    assert not Organisation.objects.filter(code="AN").exists()


def test_office_of_b_cannot_reorganise_a(client, cast, tree):
    c = as_user(client, cast.outsider)
    assert c.get(url("move", f"?org={tree.a_base.pk}")).status_code == 404
    assert c.get(url("split", f"?org={tree.c1.pk}")).status_code == 404
    for step in ("preview", "confirm"):
        response = post(c, "move", {"organisation": tree.a_base.pk, "new_parent": tree.b.pk}, step)
        assert response.status_code == 404
        response = post(c, "rename", {"organisation": tree.a.pk, "new_name": "Khác"}, step)
        assert response.status_code == 404
    assert fresh(tree.a_base).path.startswith(tree.a.path) and fresh(tree.a).name == tree.a.name
    assert not Reorganisation.objects.filter(document_number="12-QĐ/ĐU").exists()
    # ... while the admin, whose scope covers both, can.
    done = post(
        as_user(client, cast.admin), "move", {"organisation": tree.a_base.pk, "new_parent": tree.b.pk}, "confirm"
    )
    assert done.status_code == 302 and fresh(tree.a_base).path.startswith(tree.b.path)


def test_refused_move_shows_the_domain_error_and_changes_nothing(client, cast, tree):
    c = as_user(client, cast.office)
    path = fresh(tree.a_base).path
    for step in ("preview", "confirm"):
        response = post(c, "move", {"organisation": tree.a_base.pk, "new_parent": tree.c1.pk}, step)
        assert response.status_code == 200
        errors = response.context["form"].non_field_errors()
        assert len(errors) == 1 and "errorlist" in response.content.decode()
        assert str(errors[0]) in response.content.decode()
    assert fresh(tree.a_base).path == path
    assert not Reorganisation.objects.filter(kind=ReorgKind.MOVE).exists()


def test_split_of_a_cell_assigns_each_member(client, cast, tree, people):
    c = as_user(client, cast.office)
    start = c.get(url("split"))
    assert [t.name for t in start.templates][0] == "orgs/split_start.html"
    query = f"?org={tree.c1.pk}&n=2"
    form = c.get(url("split", query)).context["form"]
    assert {f"member_{people['an'].pk}", f"member_{people['binh'].pk}"} <= set(form.fields)
    data = {
        "s1_code": "C1a",
        "s1_name": "Chi bộ 1a",
        "s1_kind": OrgKind.CELL,
        "s2_code": "C1b",
        "s2_name": "Chi bộ 1b",
        "s2_kind": OrgKind.CELL,
        f"member_{people['an'].pk}": "1",
        f"member_{people['binh'].pk}": "2",
    }
    preview = post(c, "split", data, "preview", query)
    effects = preview.context["effects"]
    assert [o.code for o in effects.created] == ["C1a", "C1b"] and effects.members_moved == 2
    assert not Organisation.objects.filter(code__in=["C1a", "C1b"]).exists()
    assert f'name="member_{people["binh"].pk}" value="2"' in preview.content.decode()
    done = post(c, "split", data, "confirm", query)
    c1a, c1b = Organisation.objects.get(code="C1a"), Organisation.objects.get(code="C1b")
    assert done.status_code == 302 and done.url == reverse("orgs:detail", args=[c1a.pk])
    assert Member.objects.get(pk=people["an"].pk).organisation == c1a
    assert Member.objects.get(pk=people["binh"].pk).organisation == c1b
    assert fresh(tree.c1).valid_to == dt.date(2025, 7, 1)
    assert Reorganisation.objects.get(document_number="12-QĐ/ĐU").kind == ReorgKind.SPLIT


def test_split_of_a_committee_assigns_each_child(client, cast, tree, people):
    c = as_user(client, cast.office)
    query = f"?org={tree.a_base.pk}&n=3"
    form = c.get(url("split", query)).context["form"]
    assert {f"child_{tree.c1.pk}", f"child_{tree.c2.pk}"} <= set(form.fields) and not form.members
    data = {f"child_{tree.c1.pk}": "1", f"child_{tree.c2.pk}": "3"}
    for i in (1, 2, 3):
        data |= {
            f"s{i}_code": f"A1-{i}",
            f"s{i}_name": f"Đảng bộ Sở Một {i}",
            f"s{i}_kind": OrgKind.GRASSROOTS_COMMITTEE,
        }
    bad = post(c, "split", {**data, "s3_code": "A1-1"}, "preview", query)
    assert bad.context["form"].non_field_errors()  # two successors with one code
    assert post(c, "split", data, "confirm", query).status_code == 302
    s1, s3 = Organisation.objects.get(code="A1-1"), Organisation.objects.get(code="A1-3")
    assert fresh(tree.c1).path.startswith(s1.path) and fresh(tree.c2).path.startswith(s3.path)
    assert Member.objects.get(pk=people["duc"].pk).organisation_id == tree.c2.pk  # members stay in their cell


def test_split_refused_when_successors_would_leave_the_scope(client, cast, tree):
    c = as_user(client, cast.office)
    query = f"?org={tree.a.pk}&n=2"
    data = {f"child_{tree.a_base.pk}": "1", f"child_{tree.a_cell_base.pk}": "2"}
    for i in (1, 2):
        data |= {f"s{i}_code": f"AS{i}", f"s{i}_name": f"A {i}", f"s{i}_kind": OrgKind.DIRECT}
    response = post(c, "split", data, "confirm", query)
    assert response.status_code == 200 and response.context["form"].non_field_errors()
    assert not Organisation.objects.filter(code__startswith="AS").exists()


def test_split_out_of_scope_or_bad_count(client, cast, tree):
    c = as_user(client, cast.office)
    assert c.get(url("split", f"?org={tree.c3.pk}&n=2")).status_code == 404
    response = c.get(url("split", f"?org={tree.c1.pk}&n=1"))
    assert [t.name for t in response.templates][0] == "orgs/split_start.html" and response.context["form"].errors


def test_rename_establish_and_dissolve(client, cast, tree):
    c = as_user(client, cast.office)
    done = post(
        c, "rename", {"organisation": tree.c2.pk, "new_name": "Chi bộ Phòng Hai mới", "new_code": ""}, "confirm"
    )
    assert done.status_code == 302 and fresh(tree.c2).name == "Chi bộ Phòng Hai mới"
    assert fresh(tree.c2).code == "A1-C2"
    done = post(
        c,
        "establish",
        {
            "parent": tree.a_base.pk,
            "code": "A1-C9",
            "name": "Chi bộ Chín",
            "org_kind": OrgKind.CELL,
            "document_number": "13-QĐ/ĐU",
        },
        "confirm",
    )
    new = Organisation.objects.get(code="A1-C9")
    assert done.url == reverse("orgs:detail", args=[new.pk]) and new.path.startswith(fresh(tree.a_base).path)
    preview = post(c, "dissolve", {"organisation": tree.a_cell_base.pk, "document_number": "14-QĐ/ĐU"}, "preview")
    assert [o.code for o in preview.context["effects"].dissolved] == ["A2"] and fresh(tree.a_cell_base).is_active
    post(c, "dissolve", {"organisation": tree.a_cell_base.pk, "document_number": "14-QĐ/ĐU"}, "confirm")
    assert fresh(tree.a_cell_base).valid_to == dt.date(2025, 7, 1)
    # A dissolved organisation can no longer be chosen.
    response = post(c, "rename", {"organisation": tree.a_cell_base.pk, "new_name": "X"}, "preview")
    assert "organisation" in response.context["form"].errors
    # Dissolving a cell that still has members is refused by the domain rule.
    response = post(c, "dissolve", {"organisation": tree.c1.pk}, "confirm")
    assert response.context["form"].non_field_errors() and fresh(tree.c1).is_active


def test_future_effective_date_is_refused(client, cast, tree):
    tomorrow = (dt.date.today() + dt.timedelta(days=2)).strftime("%d/%m/%Y")
    response = post(
        as_user(client, cast.office),
        "rename",
        {"organisation": tree.c2.pk, "new_name": "X", "effective_date": tomorrow},
        "confirm",
    )
    assert "effective_date" in response.context["form"].errors and fresh(tree.c2).name == tree.c2.name
