"""The letters API: scope per role, intake and the steps with refusals as 422 and nothing written, the senders
for the handling committee's inspection role only (logged), the log for the head of inspection, and the
statistics with lineage that add up."""

from __future__ import annotations

import pytest

from dangvu.api.tests.conftest import ApiClient
from dangvu.letters import services
from dangvu.letters.models import Letter, SenderView
from dangvu.letters.tests.conftest import ADDRESS, NAME, RECEIVED, handled, receive

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(client):
    return lambda user: ApiClient(client, user)


def test_list_and_detail_per_role(api, tree, people, cast, inspectors):
    letter = receive(tree.a, cast.inspector, about=people["duc"])
    for name in ("inspector", "leader", "admin"):
        response = api(getattr(cast, name)).get("/letters")
        assert response.status_code == 200 and [r["id"] for r in response.json()["items"]] == [letter.pk], name
        body = api(getattr(cast, name)).get(f"/letters/{letter.pk}")
        assert body.status_code == 200 and NAME not in body.content.decode() and body.json()["signatory_count"] == 1
    for name in ("office", "secretary", "member"):
        assert api(getattr(cast, name)).get("/letters").status_code == 403, name
        assert api(getattr(cast, name)).get(f"/letters/{letter.pk}").status_code == 404, name
    for who in inspectors.values():
        assert api(who).get("/letters").json()["items"] == []
        assert api(who).get(f"/letters/{letter.pk}").status_code == 404


def test_intake_and_steps(api, tree, people, cast):
    client = api(cast.inspector)
    payload = {
        "committee_id": tree.a.pk,
        "number": "21/ĐT",
        "received_on": "2026-03-02",
        "channel": "email",
        "kind": "denunciation",
        "signed": "named",
        "senders": [],
        "about_member_id": people["duc"].pk,
        "content": "Tố cáo.",
    }
    response = client.post("/letters", payload)
    assert response.status_code == 422 and not Letter.objects.exists()
    response = client.post("/letters", {**payload, "senders": [{"name": NAME, "address": ADDRESS}]})
    assert response.status_code == 201 and NAME not in response.content.decode()
    letter_id = response.json()["id"]
    assert api(cast.leader).post("/letters", payload).status_code == 403
    assert client.post(f"/letters/{letter_id}/screening", {"screened_on": "2026-03-02"}).json()["state"] == "accepted"
    refused = client.post(
        f"/letters/{letter_id}/route",
        {"route": "handle", "routed_on": "2026-03-02", "handler_ids": [people["duc"].pk]},
    )
    assert refused.status_code == 422 and Letter.objects.get().state == "accepted"
    routed = client.post(
        f"/letters/{letter_id}/route",
        {"route": "handle", "routed_on": "2026-03-02", "handler_ids": [people["binh"].pk]},
    )
    assert routed.status_code == 200 and routed.json()["due_on"]
    extended = client.post(
        f"/letters/{letter_id}/extension", {"days": 10, "reason": "Xác minh", "notice_on": "2026-03-03"}
    )
    assert extended.status_code == 200 and extended.json()["extension_days"] == 10
    done = client.post(
        f"/letters/{letter_id}/outcome",
        {"outcome": "unfounded", "concluded_on": "2026-03-05", "conclusion": "Không có cơ sở"},
    )
    assert done.status_code == 200 and done.json()["state"] == "concluded"


def test_sender_endpoint_and_its_log(api, tree, people, cast, inspectors):
    letter = receive(tree.a, cast.inspector, about=people["duc"])
    for user in (cast.leader, cast.admin):
        response = api(user).get(f"/letters/{letter.pk}/sender")
        assert response.status_code == 403 and NAME not in response.content.decode()
    for user in (cast.office, *inspectors.values()):
        assert api(user).get(f"/letters/{letter.pk}/sender").status_code == 404
    assert not SenderView.objects.exists()
    response = api(cast.inspector).get(f"/letters/{letter.pk}/sender")
    assert response.status_code == 200 and response.json() == [
        {"name": NAME, "address": ADDRESS, "contact": "0999-321-777"}
    ]
    assert SenderView.objects.get().surface == "api"
    assert api(cast.inspector).get(f"/letters/{letter.pk}/sender-views").status_code == 404
    services.designate_head(tree.a, cast.leader, valid_from=RECEIVED, actor=cast.admin)
    log = api(cast.leader).get(f"/letters/{letter.pk}/sender-views")
    assert log.status_code == 200 and [v["surface"] for v in log.json()] == ["api"]


def test_statistics_add_up(api, tree, people, cast):
    one = handled(tree.a, cast.inspector, people["duc"], [people["binh"]])
    services.conclude(one, outcome="lessons", concluded_on=RECEIVED, conclusion="Rút kinh nghiệm", actor=cast.inspector)
    receive(tree.a_base, cast.inspector, about=people["an"], number="2/ĐT")
    body = api(cast.leader).get("/letters/statistics", organisation_id=tree.a.pk, year=2026).json()
    combined = body["combined"]
    assert combined["total"] == 2 and combined["kinds"]["denunciation"] == 2
    assert combined["routes"]["handle"] == 1 and combined["routes"]["awaiting"] == 1
    assert combined["outcomes"]["lessons"] == 1 and combined["on_time"] == 1
    assert sum(p["total"] for p in body["parts"]) == combined["total"]
    assert api(cast.office).get("/letters/statistics", organisation_id=tree.a.pk, year=2026).status_code == 403
