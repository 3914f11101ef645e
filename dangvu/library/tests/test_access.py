"""Who reads what in the library (dangvu.library.access): documents published to one's own organisations and
the ones above them; staff also their register's documents, published or not. Everything else is a 404."""

from __future__ import annotations

import pytest

from dangvu import testing
from dangvu.accounts.models import Role
from dangvu.library import services
from dangvu.library.access import documents_for

pytestmark = pytest.mark.django_db


def visible(user) -> set[int]:
    return set(documents_for(user).values_list("pk", flat=True))


def test_a_member_reads_what_is_published_to_their_cell_and_above(cast, library):
    assert visible(cast.member) == {library.digital.pk, library.cadre.pk, library.city.pk}


def test_a_member_of_another_branch_reads_its_own_and_the_city(tree, people, library):
    em = testing.user("em", Role.MEMBER, tree.c3, member_record=people["em"])
    assert visible(em) == {library.other_branch.pk, library.city.pk}


def test_a_member_of_another_cell_of_committee_a_reads_a_and_the_city(tree, people, library):
    # Chi bộ Ban Hai is under committee A but not under Sở Một
    duc_elsewhere = testing.member(tree.a_cell_base, "Hoàng Văn Giáp")
    giap = testing.user("giap", Role.MEMBER, tree.a_cell_base, member_record=duc_elsewhere)
    assert visible(giap) == {library.digital.pk, library.city.pk}


def test_staff_read_their_register_unpublished_too(cast, library):
    assert visible(cast.office) == {library.digital.pk, library.cadre.pk, library.report.pk, library.city.pk}
    assert visible(cast.outsider) == {library.other_branch.pk, library.city.pk}
    assert visible(cast.admin) == {
        library.digital.pk,
        library.cadre.pk,
        library.report.pk,
        library.city.pk,
        library.other_branch.pk,
    }
    # the cell secretary has register.view over the cell only: what is published above
    assert visible(cast.secretary) == {library.digital.pk, library.cadre.pk, library.city.pk}
    assert visible(cast.nobody) == set()


def test_withdrawing_hides_it_from_members_again(cast, library):
    services.edit(library.cadre, cast.office, body_text="", published=False)
    assert library.cadre.pk not in visible(cast.member)
    assert library.cadre.pk in visible(cast.office)


def test_pages_answer_404_out_of_reach(client, cast, library):
    client.force_login(cast.member)
    assert client.get(f"/library/{library.digital.pk}/").status_code == 200
    for hidden in (library.report, library.other_branch):
        assert client.get(f"/library/{hidden.pk}/").status_code == 404
        assert client.post(f"/library/{hidden.pk}/shelf/", {"kind": "bookmark", "on": "1"}).status_code == 404
    body = client.get("/library/").content.decode()
    assert library.digital.title in body and library.report.title not in body
    assert library.other_branch.title not in body


def test_only_the_register_managers_of_the_issuer_publish(client, cast, library):
    client.force_login(cast.member)
    assert client.get(f"/library/{library.digital.pk}/edit/").status_code == 403
    client.force_login(cast.secretary)
    assert client.get(f"/library/{library.digital.pk}/edit/").status_code == 403
    client.force_login(cast.office)
    assert client.get(f"/library/{library.digital.pk}/edit/").status_code == 200
    assert client.get(f"/library/{library.city.pk}/edit/").status_code == 403  # the city's: not A's office
    response = client.post(f"/library/{library.report.pk}/edit/", {"body_text": "Kết quả sơ kết.", "published": "on"})
    assert response.status_code == 302
    assert library.report.pk in visible(cast.member)
    assert library.report.library_entry.history.first().history_user == cast.office  # audited
