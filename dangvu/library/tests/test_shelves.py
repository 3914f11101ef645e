"""Bookmarks and "read later" (dangvu.library.services.shelve): per user, on documents the user may read,
shown in the library and filtered by list; taking a document off a list keeps the trace in its history."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from dangvu.library import services
from dangvu.library.models import Shelf

pytestmark = pytest.mark.django_db


def test_bookmark_and_read_later_from_the_document_page(client, cast, library):
    client.force_login(cast.member)
    url = f"/library/{library.cadre.pk}/"
    assert client.post(f"{url}shelf/", {"kind": "bookmark", "on": "1"}).status_code == 302
    assert client.post(f"{url}shelf/", {"kind": "later", "on": "1"}).status_code == 302
    assert client.post(f"{url}shelf/", {"kind": "bookmark", "on": "1"}).status_code == 302  # twice: once
    assert set(Shelf.objects.filter(user=cast.member).values_list("kind", flat=True)) == {"bookmark", "later"}
    page = client.get(url).content.decode()
    assert 'id="bookmark" aria-pressed="true"' in page and 'id="read-later" aria-pressed="true"' in page

    listed = client.get("/library/", {"shelf": "bookmark"}).content.decode()
    assert library.cadre.title in listed and library.digital.title not in listed

    assert client.post(f"{url}shelf/", {"kind": "bookmark", "on": "0"}).status_code == 302
    assert list(Shelf.objects.filter(user=cast.member).values_list("kind", flat=True)) == ["later"]
    assert Shelf.history.filter(history_type="-", history_user=cast.member).count() == 1  # audited removal


def test_lists_are_per_user(client, cast, library):
    services.shelve(cast.member, library.digital, "bookmark", True)
    client.force_login(cast.secretary)
    listed = client.get("/library/", {"shelf": "bookmark"}).content.decode()
    assert library.digital.title not in listed
    assert 'id="library-empty"' in listed


def test_an_unknown_list_or_a_document_out_of_reach_is_refused(client, cast, library):
    with pytest.raises(PermissionDenied):
        services.shelve(cast.member, library.report, "bookmark", True)
    client.force_login(cast.member)
    assert client.post(f"/library/{library.cadre.pk}/shelf/", {"kind": "favourite", "on": "1"}).status_code == 404
    assert not Shelf.objects.exists()
