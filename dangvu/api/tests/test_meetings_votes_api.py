"""Meeting votes through the API: who may run them, named and secret ballots, show of hands — refusals
as 422 writing nothing, secret votes never revealing who chose what."""

import json

import pytest

from dangvu.api.tests.meeting_helpers import running, vote_flow
from dangvu.meetings.models import (
    AgendaItem,
    Ballot,
    SecretCount,
    SecretReceipt,
    Vote,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("old_meetings")]  # a history of meetings


def test_votes_denied_and_refused(api, cast, meetings, people, chair):
    meeting = running(meetings["c1"], people["an"], people["binh"])
    url = f"/meetings/{meeting.pk}/votes"
    data = {"question": "Thông qua", "method": "named", "rule": "majority_members"}
    for user in (cast.member, cast.inspector):
        assert api(user).post(url, data).status_code == 403
    assert api(cast.outsider).post(url, data).status_code == 404
    other_item = AgendaItem.objects.create(meeting=meetings["c2"], position=1, title="Khác")
    assert api(cast.secretary).post(url, {**data, "agenda_item_id": other_item.pk}).status_code == 404
    assert api(cast.secretary).post(url, {**data, "question": "  "}).status_code == 422
    assert api(cast.secretary).post(url, {**data, "method": "shout"}).status_code == 422
    assert not Vote.objects.exists()
    item = meeting.agenda.get()
    created = api(chair).post(url, {**data, "agenda_item_id": item.pk})
    assert created.status_code == 201 and created.json()["agenda_item_id"] == item.pk
    vote_id = created.json()["id"]
    for path in (f"/votes/{vote_id}/open", f"/votes/{vote_id}/close"):
        for user in (cast.member, cast.inspector):
            assert api(user).post(path).status_code == 403
        assert api(cast.outsider).post(path).status_code == 404
    assert api(cast.outsider).get(f"/votes/{vote_id}").status_code == 404
    assert api(cast.secretary).post(f"/votes/{vote_id}/close").status_code == 422  # not open
    # A ballot before the vote opens; by someone not invited.
    assert api(cast.member).post(f"/votes/{vote_id}/ballots", {"choice": "yes"}).status_code == 422
    assert api(cast.secretary).post(f"/votes/{vote_id}/ballots", {"choice": "yes"}).status_code == 403
    assert api(cast.outsider).post(f"/votes/{vote_id}/ballots", {"choice": "yes"}).status_code == 404
    assert not Ballot.objects.exists()


def test_named_vote_and_double_ballot(api, cast, meetings, people, chair):
    meeting = running(meetings["c1"], people["an"], people["binh"])
    vote = vote_flow(api, cast, meeting, "named")
    assert vote["eligible"] == 2 and vote["present"] == 2 and vote["quorate"] is True
    assert vote["ballots_cast"] == 0 and vote["has_voted"] is None  # the secretary has no vote
    ballots = f"/votes/{vote['id']}/ballots"
    member = api(cast.member)
    assert member.get(f"/votes/{vote['id']}").json()["has_voted"] is False
    response = member.post(ballots, {"choice": "yes"})
    assert response.status_code == 200
    assert response.json()["has_voted"] is True and response.json()["ballots_cast"] == 1
    assert response.json()["results"] is None and response.json()["ballots"] is None  # nothing shown while open
    again = member.post(ballots, {"choice": "no"})
    assert again.status_code == 422 and again.json()["detail"]
    assert Ballot.objects.filter(vote_id=vote["id"]).count() == 1
    assert Ballot.objects.get(vote_id=vote["id"]).choice == "yes"
    assert api(cast.secretary).get(f"/votes/{vote['id']}").json()["ballots_cast"] == 1
    assert member.post(ballots, {"choice": "maybe"}).status_code == 422
    assert api(chair).post(ballots, {"choice": "yes"}).status_code == 200

    closed = api(cast.secretary).post(f"/votes/{vote['id']}/close").json()
    assert closed["state"] == "closed" and closed["ballots_cast"] is None
    assert closed["results"] == {"yes": 2, "no": 0, "abstain": 0, "needed": 2, "passed": True}
    assert {(b["name"], b["choice"]) for b in closed["ballots"]} == {("Nguyễn Văn An", "yes"), ("Trần Thị Bình", "yes")}
    assert member.post(ballots, {"choice": "no"}).status_code == 422  # closed
    detail = api(cast.inspector).get(f"/meetings/{meeting.pk}").json()
    assert detail["votes"][0]["results"]["passed"] is True and len(detail["votes"][0]["ballots"]) == 2


def test_vote_by_show_of_hands(api, cast, meetings, people):
    meeting = running(meetings["c1"], people["an"], people["binh"])
    vote = vote_flow(api, cast, meeting, "count", rule="two_thirds_members")
    assert vote["ballots_cast"] is None
    close = f"/votes/{vote['id']}/close"
    assert api(cast.member).post(f"/votes/{vote['id']}/ballots", {"choice": "yes"}).status_code == 422
    assert api(cast.secretary).post(close).status_code == 422  # the numbers are needed
    assert api(cast.secretary).post(close, {"yes": 3}).status_code == 422  # more than present
    assert api(cast.secretary).post(close, {"yes": -1}).status_code == 422
    assert Vote.objects.get(pk=vote["id"]).state == "open"
    body = api(cast.secretary).post(close, {"yes": 1, "no": 1}).json()
    assert body["results"] == {"yes": 1, "no": 1, "abstain": 0, "needed": 2, "passed": False}
    assert body["ballots"] is None


def test_secret_ballots_never_reveal_voters(api, cast, meetings, people, chair):
    meeting = running(meetings["c1"], people["an"], people["binh"])
    vote = vote_flow(api, cast, meeting, "secret", runner=api(chair))
    vote_url, ballots = f"/votes/{vote['id']}", f"/votes/{vote['id']}/ballots"
    member, binh = api(cast.member), api(chair)
    responses = [member.post(ballots, {"choice": "yes"})]
    assert responses[0].status_code == 200
    assert responses[0].json()["has_voted"] is True and responses[0].json()["ballots_cast"] == 1
    double = member.post(ballots, {"choice": "no"})
    assert double.status_code == 422
    assert sum(SecretCount.objects.filter(vote_id=vote["id"]).values_list("n", flat=True)) == 1
    assert SecretReceipt.objects.filter(vote_id=vote["id"]).count() == 1
    assert api(cast.secretary).get(vote_url).json()["ballots_cast"] == 1
    responses.append(binh.post(ballots, {"choice": "no"}))
    responses += [api(u).get(vote_url) for u in (cast.secretary, cast.member, chair, cast.office)]
    responses += [api(u).get(f"/meetings/{meeting.pk}") for u in (cast.secretary, cast.member, chair)]
    responses += [api(u).get("/meetings") for u in (cast.secretary, cast.member)]
    closed = api(chair).post(f"{vote_url}/close")
    responses.append(closed)
    assert closed.json()["results"] == {"yes": 1, "no": 1, "abstain": 0, "needed": 2, "passed": False}
    responses += [api(u).get(vote_url) for u in (cast.secretary, cast.member, chair, cast.inspector)]
    details = [api(u).get(f"/meetings/{meeting.pk}") for u in (cast.secretary, cast.member, chair, cast.admin)]
    responses += details

    invitation_ids = {str(i) for i in meeting.invitations.values_list("pk", flat=True)}
    for response in responses:
        assert response.status_code == 200
        body = response.json()
        votes = body.get("votes", [body] if "question" in body else [])
        for v in votes:
            text = json.dumps(v, ensure_ascii=False)
            assert v["ballots"] is None and "choice" not in text, text
            assert "Nguyễn Văn An" not in text and "Trần Thị Bình" not in text
            assert not any(f'"invitation_id": {i}' in text for i in invitation_ids)
    # Both voters see the same vote: nothing in it tells them apart.
    an_view, binh_view = member.get(vote_url).json(), binh.get(vote_url).json()
    assert an_view == binh_view and an_view["has_voted"] is True
    staff_view = api(cast.secretary).get(vote_url).json()
    assert {**staff_view, "has_voted": True} == an_view and staff_view["has_voted"] is None
