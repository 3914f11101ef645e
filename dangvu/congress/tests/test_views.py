"""The congress pages (issue 15 item 3) for the cast: the office of committee A runs A1's congress; the leader
of A sees it and may not change it (403); a member of a counting team enters that team's tally and nothing
else; the office of committee B, a cell secretary of C1, a plain member and a user without a role get a 404 (the
congress's existence does not leak). Bad input is shown beside the field and changes nothing; announcing asks
once; the minutes download as a DOCX."""

from __future__ import annotations

import pytest

from dangvu import testing
from dangvu.accounts.models import Role
from dangvu.congress import services
from dangvu.congress.models import Candidate, ElectionKind, Round, RoundState, Tally
from dangvu.congress.tests.test_documents import text_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def voting(congress, voters, team, cast):
    election = services.create_election(congress, ElectionKind.COMMITTEE, 3, cast.office)
    for member in voters[:3]:
        services.propose(election, member, cast.office)
    return services.open_first_round(election, cast.office)


@pytest.fixture
def counter(voters):
    """A member of the counting team (voters[1]) with a plain member's account."""
    return testing.user("kiemphieu", Role.MEMBER, voters[1].organisation, member_record=voters[1])


def pages(congress, round_, team) -> list[str]:
    return [
        "/congress/",
        f"/congress/{congress.pk}/",
        f"/congress/{congress.pk}/delegates/",
        f"/congress/elections/{round_.election_id}/",
        f"/congress/rounds/{round_.pk}/",
        f"/congress/rounds/{round_.pk}/teams/{team.pk}/",
    ]


def test_pages_for_the_cast(client, congress, voting, team, cast):
    for name in ("office", "admin"):
        client.force_login(getattr(cast, name))
        for url in pages(congress, voting, team):
            response = client.get(url)
            assert response.status_code == 200, (name, url)
    client.force_login(cast.office)
    body = client.get(f"/congress/{congress.pk}/").content.decode()
    assert "Đảng bộ Sở Một" in body and "20" in body
    client.force_login(cast.leader)
    for url in pages(congress, voting, team)[:5]:
        assert client.get(url).status_code == 200, url
    assert client.get(pages(congress, voting, team)[5]).status_code == 403  # not on the team
    assert client.post(f"/congress/rounds/{voting.pk}/announce/", {"confirmed": "announce_round"}).status_code == 403
    for name in ("outsider", "secretary", "member", "nobody"):
        client.force_login(getattr(cast, name))
        for url in pages(congress, voting, team)[1:]:
            assert client.get(url).status_code == 404, (name, url)
        assert "Đảng bộ Sở Một" not in client.get("/congress/").content.decode()


def test_counting_team_member_enters_the_tally_only(client, congress, voting, team, counter, voters):
    team.members.add(voters[1])
    client.force_login(counter)
    assert client.get(f"/congress/{congress.pk}/").status_code == 200
    candidates = list(voting.candidates.order_by("position"))
    data = {"totals": "1", "issued": "20", "valid": "19", "invalid_marked": "1"}
    data.update({f"votes_{c.pk}": str(n) for c, n in zip(candidates, (18, 15, 4), strict=True)})
    assert client.post(f"/congress/rounds/{voting.pk}/teams/{team.pk}/", data).status_code == 302
    assert Tally.objects.get(round=voting).votes == {
        str(candidates[0].pk): 18,
        str(candidates[1].pk): 15,
        str(candidates[2].pk): 4,
    }
    assert client.post(f"/congress/rounds/{voting.pk}/announce/", {"confirmed": "announce_round"}).status_code == 403
    assert client.post(f"/congress/{congress.pk}/elections/", {"kind": "standing", "seats": "3"}).status_code == 403


def test_bad_tally_shown_beside_the_field(client, voting, team, cast):
    client.force_login(cast.office)
    candidates = list(voting.candidates.order_by("position"))
    data = {"totals": "1", "issued": "5", "valid": "5", "invalid_marked": "1", f"votes_{candidates[0].pk}": "3"}
    response = client.post(f"/congress/rounds/{voting.pk}/teams/{team.pk}/", data)
    assert response.status_code == 422
    assert 'id="id_issued_error"' in response.content.decode()
    assert not Tally.objects.exists()


def test_announce_asks_once_then_minutes_download(client, voting, team, cast):
    client.force_login(cast.office)
    candidates = list(voting.candidates.order_by("position"))
    data = {"totals": "1", "issued": "20", "valid": "20"}
    data.update({f"votes_{c.pk}": str(n) for c, n in zip(candidates, (18, 15, 4), strict=True)})
    client.post(f"/congress/rounds/{voting.pk}/teams/{team.pk}/", data)
    asked = client.post(f"/congress/rounds/{voting.pk}/announce/")
    assert asked.status_code == 409 and Round.objects.get(pk=voting.pk).state == RoundState.COUNTING
    done = client.post(f"/congress/rounds/{voting.pk}/announce/", {"confirmed": "announce_round"})
    assert done.status_code == 302 and Round.objects.get(pk=voting.pk).state == RoundState.ANNOUNCED
    response = client.get(f"/congress/rounds/{voting.pk}/minutes.docx")
    assert response.status_code == 200 and response["Content-Type"].endswith("wordprocessingml.document")
    text = text_of(response.content)
    assert "Số 01-BB/ĐH" in text and "Cơ sở tính kết quả bầu cử: 20." in text
    client.force_login(cast.outsider)
    assert client.get(f"/congress/rounds/{voting.pk}/minutes.docx").status_code == 404


def test_floor_nomination_from_the_page(client, congress, voters, cast):
    election = services.create_election(congress, ElectionKind.COMMITTEE, 5, cast.office)
    client.force_login(cast.office)
    url = f"/congress/elections/{election.pk}/"
    post = {"nominate": "1", "member": voters[4].pk, "source": "floor", "consent": "6", "present": "20"}
    assert client.post(url, post).status_code == 302
    assert not Candidate.objects.get(member=voters[4]).on_list  # exactly 30%
    post.update(member=voters[5].pk, consent="7")
    assert client.post(url, post).status_code == 302
    assert Candidate.objects.get(member=voters[5]).on_list
    body = client.get(url).content.decode()
    assert "Nguyễn" in body or voters[5].full_name in body
