"""The documents register's API: list, detail, registering (with its number) and links, allowed and denied."""

from __future__ import annotations

import pytest

from dangvu.docregister import services
from dangvu.docregister.models import Document
from dangvu.docregister.tests.conftest import entry, terms  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db


def test_list_and_detail_are_scoped(api, cast, tree, terms):  # noqa: F811
    document = services.register(entry(tree.a), cast.office)
    services.register(entry(tree.b), cast.outsider)
    listed = api(cast.leader).get("/register/documents").json()
    assert [d["number"] for d in listed["items"]] == ["01-NQ/ĐU"] and listed["items"][0]["term"] == "2025-2030"
    assert api(cast.leader).get(f"/register/documents/{document.pk}").json()["organisation"]["id"] == tree.a.pk
    assert api(cast.outsider).get(f"/register/documents/{document.pk}").status_code == 404
    assert api(cast.member).get("/register/documents").status_code == 403
    assert api(cast.leader).get("/register/documents", q="xay dung dang").json()["count"] == 1
    assert api(cast.leader).get("/register/documents", doc_type="KH").json()["count"] == 0


def test_register_and_link(api, cast, tree, terms):  # noqa: F811
    body = {"organisation_id": tree.a.pk, "doc_type": "KH", "date": "2026-03-02", "title": "Kế hoạch thực hiện"}
    created = api(cast.office).post("/register/documents", body)
    assert created.status_code == 201 and created.json()["number"] == "01-KH/ĐU"
    assert api(cast.office).post("/register/documents", body).json()["number"] == "02-KH/ĐU"
    refused = api(cast.office).post("/register/documents", {**body, "title": " "})
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "title"
    assert api(cast.leader).post("/register/documents", body).status_code == 403
    assert api(cast.outsider).post("/register/documents", body).status_code == 404
    assert Document.objects.count() == 2
    pk = created.json()["id"]
    linked = api(cast.office).post(
        f"/register/documents/{pk}/links",
        {"kind": "implements", "external_number": "57-NQ/TW", "external_title": "NQ 57"},
    )
    assert linked.status_code == 200 and linked.json()["links"] == [
        {"kind": "implements", "target_id": None, "number": "57-NQ/TW", "title": "NQ 57"}
    ]
    assert api(cast.leader).post(f"/register/documents/{pk}/links", {"kind": "replaces"}).status_code == 403
    assert api(cast.outsider).post(f"/register/documents/{pk}/links", {"kind": "replaces"}).status_code == 404
