"""Forms that change member records: correcting identity fields, recording and annulling events, and
creating a record. Each is allowed for the office of the member's committee only; refusals by the
domain rules are shown on the form and write nothing."""

import datetime as dt

import pytest
from django.urls import reverse

from dangvu.members.models import EventKind, Member, MemberEvent, Status

pytestmark = pytest.mark.django_db


def edit_url(m):
    return reverse("members:edit", args=[m.pk])


def event_url(m):
    return reverse("members:record_event", args=[m.pk])


def annul_url(m, e):
    return reverse("members:annul_event", args=[m.pk, e.pk])


CREATE = reverse("members:create")

# secretary, inspector, leader and the plain member may read records but not change them: 403.
# The outsider holds the capability for committee B only: members of A are 404 for it.
ACCESS = [
    ("admin", 200),
    ("office", 200),
    ("inspector", 403),
    ("leader", 403),
    ("secretary", 403),
    ("member", 403),
    ("nobody", 403),
    ("outsider", 404),
]


@pytest.mark.parametrize(("role", "status"), ACCESS)
def test_edit_and_event_forms_access_per_role(client, cast, people, role, status):
    an = people["an"]
    client.force_login(getattr(cast, role))
    assert client.get(edit_url(an)).status_code == status
    assert client.get(event_url(an)).status_code == status
    first = an.events.first()
    assert client.get(annul_url(an, first)).status_code == status
    # POSTs are refused the same way and change nothing.
    before = MemberEvent.objects.count()
    response = client.post(event_url(an), {"kind": EventKind.EXEMPTION, "date": "05/01/2024"})
    assert response.status_code == (302 if status == 200 else status)
    assert MemberEvent.objects.count() == before + (1 if status == 200 else 0)


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("admin", 200),
        ("office", 200),
        ("outsider", 200),  # B's office creates records in B's cells
        ("inspector", 403),
        ("leader", 403),
        ("secretary", 403),
        ("member", 403),
        ("nobody", 403),
    ],
)
def test_create_form_access_per_role(client, cast, role, status):
    client.force_login(getattr(cast, role))
    assert client.get(CREATE).status_code == status


def test_secretary_can_view_but_not_edit(client, cast, people):
    client.force_login(cast.secretary)
    assert client.get(reverse("members:detail", args=[people["an"].pk])).status_code == 200
    response = client.post(edit_url(people["an"]), {"full_name": "Nguyễn Văn Ân", "reason": "x"})
    assert response.status_code == 403
    assert Member.objects.get(pk=people["an"].pk).full_name == "Nguyễn Văn An"


def test_valid_event_is_recorded_with_audit_entry(client, cast, people):
    duc = people["duc"]
    client.force_login(cast.office)
    response = client.post(
        event_url(duc),
        {
            "kind": EventKind.EXEMPTION,
            "date": "15/03/2024",
            "document_number": "77-QĐ/ĐU",
            "document_date": "2024-03-10",  # ISO is accepted too
            "issuer": "Đảng ủy Sở Một",
            "note": "Tuổi cao",
        },
    )
    assert response.status_code == 302 and response["Location"] == reverse("members:detail", args=[duc.pk])
    event = duc.events.get(kind=EventKind.EXEMPTION)
    assert event.date == dt.date(2024, 3, 15) and event.document_date == dt.date(2024, 3, 10)
    assert event.recorded_by == cast.office
    assert event.history.get().history_user == cast.office
    duc.refresh_from_db()
    assert duc.is_exempt
    assert duc.history.latest().history_user == cast.office


def test_invalid_event_is_refused_with_the_message_and_nothing_written(client, cast, people):
    an = people["an"]  # already official since 01/03/2017
    client.force_login(cast.office)
    events, histories = MemberEvent.objects.count(), an.history.count()
    response = client.post(event_url(an), {"kind": EventKind.OFFICIAL, "date": "01/06/2024"})
    assert response.status_code == 200
    errors = response.context["form"].non_field_errors()
    assert len(errors) == 1 and "01/06/2024" in errors[0]  # the message names the refused event's date
    assert errors[0] in response.content.decode()
    assert MemberEvent.objects.count() == events and an.history.count() == histories
    an.refresh_from_db()
    assert an.status == Status.OFFICIAL


def test_malformed_date_is_a_field_error(client, cast, people):
    client.force_login(cast.office)
    response = client.post(event_url(people["an"]), {"kind": EventKind.EXEMPTION, "date": "31/02/2024"})
    assert response.status_code == 200 and "date" in response.context["form"].errors


def test_event_cells_are_limited_to_the_editing_scope(client, cast, people, tree):
    client.force_login(cast.office)
    offered = set(client.get(event_url(people["an"])).context["form"].fields["organisation"].queryset)
    assert offered == {tree.c1, tree.c2, tree.a_cell_base}  # cells of committee A, not C3 nor committees
    before = MemberEvent.objects.count()
    response = client.post(
        event_url(people["an"]), {"kind": EventKind.TRANSFER, "date": "01/02/2024", "organisation": tree.c3.pk}
    )
    assert response.status_code == 200 and "organisation" in response.context["form"].errors
    assert MemberEvent.objects.count() == before


def test_transfer_between_cells(client, cast, people, tree):
    client.force_login(cast.office)
    response = client.post(
        event_url(people["binh"]), {"kind": EventKind.TRANSFER, "date": "01/02/2024", "organisation": tree.c2.pk}
    )
    assert response.status_code == 302
    people["binh"].refresh_from_db()
    assert people["binh"].organisation == tree.c2


def test_annul_event_needs_a_reason_and_then_voids_it(client, cast, people):
    binh = people["binh"]
    client.force_login(cast.office)
    client.post(event_url(binh), {"kind": EventKind.SUSPENSION, "date": "01/02/2024"})
    suspension = binh.events.get(kind=EventKind.SUSPENSION)
    binh.refresh_from_db()
    assert binh.is_suspended
    response = client.post(annul_url(binh, suspension), {"reason": ""})
    assert response.status_code == 200 and "reason" in response.context["form"].errors
    assert not MemberEvent.objects.filter(annuls=suspension).exists()
    response = client.post(annul_url(binh, suspension), {"reason": "Ghi nhầm người", "document_number": "3-CV"})
    assert response.status_code == 302
    annulment = MemberEvent.objects.get(annuls=suspension)
    assert annulment.note == "Ghi nhầm người" and annulment.history.get().history_user == cast.office
    binh.refresh_from_db()
    assert not binh.is_suspended
    # An annulled entry cannot be annulled twice: the message is shown and nothing is written.
    response = client.post(annul_url(binh, suspension), {"reason": "again"})
    assert response.status_code == 200 and response.context["form"].non_field_errors()
    assert MemberEvent.objects.filter(kind=EventKind.ANNULMENT).count() == 1


def test_annul_an_event_of_another_member_is_404(client, cast, people):
    client.force_login(cast.office)
    other = people["binh"].events.first()
    assert client.get(annul_url(people["an"], other)).status_code == 404


def test_edit_identity_with_reason_is_audited(client, cast, people):
    an = people["an"]
    client.force_login(cast.office)
    form = client.get(edit_url(an)).context["form"]
    data = {name: ("" if value is None else value) for name, value in form.initial.items()}
    data["birth_date"] = an.birth_date.strftime("%d/%m/%Y")
    data.update(residence="Phường Ninh Kiều, Cần Thơ", reason="Theo đơn đề nghị ngày 02/01/2025")
    response = client.post(edit_url(an), data)
    assert response.status_code == 302
    an.refresh_from_db()
    assert an.residence == "Phường Ninh Kiều, Cần Thơ"
    record = an.history.latest()
    assert record.history_user == cast.office and record.history_change_reason == data["reason"]
    assert [c.field for c in record.diff_against(record.prev_record).changes] == ["residence"]


def test_edit_refused_by_the_rules_changes_nothing(client, cast, people):
    an, binh = people["an"], people["binh"]
    client.force_login(cast.office)
    form = client.get(edit_url(an)).context["form"]
    data = {name: ("" if value is None else value) for name, value in form.initial.items()}
    # Bình's ID with Bình's sex and year of birth (a layout that agrees), so the refusal is the duplicate.
    data.update(sex=binh.sex, birth_date=binh.birth_date.strftime("%d/%m/%Y"), citizen_id=binh.citizen_id, reason="x")
    histories = an.history.count()
    response = client.post(edit_url(an), data)
    assert response.status_code == 200
    assert binh.citizen_id in response.context["form"].errors["citizen_id"][0]  # "already used", beside the ID
    an.refresh_from_db()
    assert an.citizen_id != binh.citizen_id and an.history.count() == histories


def _create_data(tree, **extra):
    data = {
        "full_name": "Huỳnh Thị Mới",
        "sex": "F",
        "birth_date": "12/09/1995",
        "ethnicity": "Kinh",
        "citizen_id": "092195000123",
        "admission_date": "03/02/2023",
        "admission_document_number": "88-QĐ/ĐU",
        "official_date": "05/02/2024",
        "cell": tree.c2.pk,
    }
    data.update(extra)
    return data


def test_create_member_with_admission(client, cast, tree):
    client.force_login(cast.office)
    # Recognised after the end of probation: the derived date is confirmed (test_official_date_confirm.py).
    response = client.post(CREATE, _create_data(tree, official_date_derived="03/02/2024", official_date_confirmed="on"))
    created = Member.objects.get(citizen_id="092195000123")
    assert response.status_code == 302 and response["Location"] == reverse("members:detail", args=[created.pk])
    assert created.status == Status.OFFICIAL and created.organisation == tree.c2
    assert created.admission_date == dt.date(2023, 2, 3) and created.official_date == dt.date(2024, 2, 3)
    assert created.history.earliest().history_user == cast.office
    assert [e.kind for e in created.events.all()] == [EventKind.ADMISSION, EventKind.OFFICIAL]


def test_create_member_admitted_elsewhere_and_transferred_in(client, cast, tree):
    client.force_login(cast.office)
    data = _create_data(
        tree,
        admitted_elsewhere="on",
        admission_external="Đảng bộ tỉnh Hậu Giang",
        transfer_in_date="10/10/2024",
        official_date="03/02/2024",
    )
    assert client.post(CREATE, data).status_code == 302
    created = Member.objects.get(citizen_id="092195000123")
    assert created.organisation == tree.c2 and created.status == Status.OFFICIAL
    kinds = [(e.kind, e.organisation_id, e.external_organisation) for e in created.events.all()]
    assert kinds[0] == (EventKind.ADMISSION, None, "Đảng bộ tỉnh Hậu Giang")
    assert kinds[-1] == (EventKind.TRANSFER_IN, tree.c2.pk, "Đảng bộ tỉnh Hậu Giang")


def test_create_member_refused_by_rules_writes_nothing(client, cast, tree):
    client.force_login(cast.office)
    before = (Member.objects.count(), MemberEvent.objects.count())
    # Official before the 12 months of probation are over.
    response = client.post(CREATE, _create_data(tree, official_date="01/06/2023"))
    assert response.status_code == 200 and response.context["form"].non_field_errors()
    assert (Member.objects.count(), MemberEvent.objects.count()) == before
    # Admitted elsewhere without naming the organisation: a form error.
    response = client.post(CREATE, _create_data(tree, admitted_elsewhere="on"))
    assert response.status_code == 200 and "admission_external" in response.context["form"].errors
    assert (Member.objects.count(), MemberEvent.objects.count()) == before


def test_create_member_in_a_cell_outside_scope_is_refused(client, cast, tree):
    client.force_login(cast.office)
    response = client.post(CREATE, _create_data(tree, cell=tree.c3.pk))
    assert response.status_code == 200 and "cell" in response.context["form"].errors
    assert not Member.objects.filter(citizen_id="092195000123").exists()
