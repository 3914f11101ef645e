"""The library's API (issue 14 items 2 and 9): search ranked without diacritics, a document, the caller's
lists; conditional requests (ETag / If-None-Match → 304) so a phone downloads only what changed; scope."""

from __future__ import annotations

import pytest

from dangvu.api.tests.conftest import PREFIX
from dangvu.library import services
from dangvu.library.tests.conftest import library, terms  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db


def get(client, key, path, etag=None, **params):
    headers = {"Authorization": f"Bearer {key}"}
    if etag:
        headers["If-None-Match"] = etag
    return client.get(PREFIX + path, params, headers=headers)


def test_search_ranks_without_diacritics_and_keeps_to_scope(api, cast, library):  # noqa: F811
    response = api(cast.member).get("/library/documents", q="so tay dang vien dien tu")
    assert response.status_code == 200
    items = response.json()["items"]
    assert [i["id"] for i in items] == [library.digital.pk, library.cadre.pk]
    assert items[0]["rank"] > items[1]["rank"]
    everything = [i["id"] for i in api(cast.member).get("/library/documents").json()["items"]]
    assert set(everything) == {library.digital.pk, library.cadre.pk, library.city.pk}
    assert api(cast.nobody).get("/library/documents").json()["count"] == 0


def test_detail_and_404_out_of_reach(api, cast, library):  # noqa: F811
    data = api(cast.member).get(f"/library/documents/{library.digital.pk}").json()
    assert data["number"] == library.digital.number and "trực tuyến" in data["body_text"] and data["published"]
    assert data["shelves"] == [] and data["files"] == []
    for hidden in (library.report, library.other_branch):
        assert api(cast.member).get(f"/library/documents/{hidden.pk}").status_code == 404
        assert (
            api(cast.member)
            .client.put(f"{PREFIX}/library/documents/{hidden.pk}/shelves/bookmark", headers=api(cast.member).headers)
            .status_code
            == 404
        )


def test_etag_and_304_until_something_changes(client, api, cast, library):  # noqa: F811
    caller = api(cast.member)
    first = get(client, caller.key, f"/library/documents/{library.digital.pk}")
    tag = first["ETag"]
    assert first.status_code == 200 and tag.startswith('"')
    assert "private" in first["Cache-Control"] and "Authorization" in first["Vary"]
    again = get(client, caller.key, f"/library/documents/{library.digital.pk}", etag=tag)
    assert again.status_code == 304 and again.content == b""
    assert get(client, caller.key, f"/library/documents/{library.digital.pk}", etag='"other"').status_code == 200

    # the caller bookmarks it: what they see changed, so the tag does
    put = client.put(f"{PREFIX}/library/documents/{library.digital.pk}/shelves/bookmark", headers=caller.headers)
    assert put.status_code == 200 and put.json()["shelves"] == ["bookmark"]
    changed = get(client, caller.key, f"/library/documents/{library.digital.pk}", etag=tag)
    assert changed.status_code == 200 and changed["ETag"] != tag

    # the office changes the text: a new tag too
    tag = changed["ETag"]
    services.edit(library.digital, cast.office, body_text="Văn bản đã sửa.", published=True)
    assert get(client, caller.key, f"/library/documents/{library.digital.pk}", etag=tag).status_code == 200


def test_list_answers_304_and_a_new_document_changes_it(client, api, cast, library):  # noqa: F811
    caller = api(cast.member)
    first = get(client, caller.key, "/library/documents", q="nghi quyet")
    assert get(client, caller.key, "/library/documents", etag=first["ETag"], q="nghi quyet").status_code == 304
    services.edit(library.report, cast.office, body_text="Nghị quyết được thực hiện tốt.", published=True)
    assert get(client, caller.key, "/library/documents", etag=first["ETag"], q="nghi quyet").status_code == 200
    # another caller with other documents never shares a tag
    other = get(client, api(cast.outsider).key, "/library/documents", q="nghi quyet")
    assert other["ETag"] != first["ETag"]


def test_errors_get_no_etag(client, api, cast, library):  # noqa: F811
    missing = get(client, api(cast.member).key, "/library/documents/987654")
    assert missing.status_code == 404 and not missing.has_header("ETag")


def test_lists_through_the_api(client, api, cast, library):  # noqa: F811
    caller = api(cast.member)
    url = f"{PREFIX}/library/documents/{library.cadre.pk}/shelves/later"
    assert client.put(url, headers=caller.headers).json()["shelves"] == ["later"]
    assert client.put(url, headers=caller.headers).json()["shelves"] == ["later"]  # repeating changes nothing
    assert [i["id"] for i in caller.get("/library/documents", shelf="later").json()["items"]] == [library.cadre.pk]
    assert client.delete(url, headers=caller.headers).json()["shelves"] == []
    assert caller.get("/library/documents", shelf="later").json()["count"] == 0
    assert (
        client.put(f"{PREFIX}/library/documents/{library.cadre.pk}/shelves/other", headers=caller.headers).status_code
        == 422
    )
