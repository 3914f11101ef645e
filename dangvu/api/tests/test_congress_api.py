"""The congress API (issue 15 item 3): a congress and a round are read within the caller's scope (another one is
a 404), a counting team's totals are entered by the office or the team (else 403), refused input is a 422 that
writes nothing, and an announced round answers its stored result."""

from __future__ import annotations

import pytest

from dangvu.congress import services, tallies
from dangvu.congress.models import ElectionKind, Tally
from dangvu.congress.tests.conftest import congress, team, term, voters  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db


@pytest.fixture
def voting(congress, voters, team, cast):  # noqa: F811
    election = services.create_election(congress, ElectionKind.COMMITTEE, 3, cast.office)
    for member in voters[:3]:
        services.propose(election, member, cast.office)
    return services.open_first_round(election, cast.office)


def test_read_within_scope(api, cast, congress, voting):  # noqa: F811
    office = api(cast.office)
    body = office.get(f"/congresses/{congress.pk}").json()
    assert (body["convened"], body["base"], body["elections"][0]["rounds"]) == (20, 20, [voting.pk])
    assert [c["id"] for c in office.get("/congresses").json()] == [congress.pk]
    assert office.get(f"/election-rounds/{voting.pk}").json()["needed"] == 11
    for name in ("outsider", "secretary", "member"):
        assert api(getattr(cast, name)).get(f"/congresses/{congress.pk}").status_code == 404
        assert api(getattr(cast, name)).get(f"/election-rounds/{voting.pk}").status_code == 404
    assert api(cast.member).get("/congresses").status_code == 403


def test_enter_tally(api, cast, voting, team):  # noqa: F811
    c = list(voting.candidates.order_by("position"))
    payload = {
        "team_id": team.pk,
        "issued": 20,
        "valid": 19,
        "invalid": [{"reason": "marked", "ballots": 1}],
        "votes": [{"candidate_id": c[0].pk, "votes": 15}, {"candidate_id": c[1].pk, "votes": 12}],
    }
    assert api(cast.leader).post(f"/election-rounds/{voting.pk}/tallies", payload).status_code == 403
    bad = api(cast.office).post(f"/election-rounds/{voting.pk}/tallies", {**payload, "valid": 20})
    assert bad.status_code == 422 and not Tally.objects.exists()
    done = api(cast.office).post(f"/election-rounds/{voting.pk}/tallies", payload)
    assert done.status_code == 200 and done.json()["elected"] == [c[0].pk, c[1].pk]
    tallies.announce(voting, cast.office)
    stored = api(cast.leader).get(f"/election-rounds/{voting.pk}").json()
    assert stored["state"] == "announced" and stored["minutes_number"] == "01-BB/ĐH"
    assert stored["invalid"] == {"marked": 1}
