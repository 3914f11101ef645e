"""The library's pages: the search (whole page and HTMX fragment), a document with its text and the button to
save it for offline reading, the office's form; the file download within reach only; a query budget."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from dangvu.docregister import services as register
from dangvu.library.models import Entry

pytestmark = pytest.mark.django_db


def test_search_page_ranks_and_swaps_only_the_results(client, cast, library, django_assert_max_num_queries):
    client.force_login(cast.member)
    with django_assert_max_num_queries(12):
        page = client.get("/library/", {"q": "so tay dang vien dien tu"}).content.decode()
    assert page.index(library.digital.title) < page.index(library.cadre.title)
    fragment = client.get("/library/", {"q": "so tay"}, headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in fragment and 'id="library-results"' in fragment
    assert 'data-offline-url="/library/' in fragment  # marked saved by pwa.js when the page is in the cache


def test_bad_filters_are_told_beside_the_field_and_nothing_breaks(client, cast, library):
    client.force_login(cast.member)
    response = client.get("/library/", {"year": "1800"})
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()


def test_document_page_shows_the_text_and_the_offline_button(client, cast, library):
    client.force_login(cast.member)
    page = client.get(f"/library/{library.digital.pk}/").content.decode()
    assert "sinh hoạt chi bộ trực tuyến" in page
    assert 'id="save-offline"' in page and f'data-save-offline="/library/{library.digital.pk}/' in page
    assert 'id="edit-link"' not in page


def test_files_are_downloaded_within_reach_only(client, cast, library):
    upload = SimpleUploadedFile("nq.pdf", b"%PDF-1.4\n%test\n", "application/pdf")
    stored = register.add_file(library.digital, upload, cast.office)
    client.force_login(cast.member)
    page = client.get(f"/library/{library.digital.pk}/").content.decode()
    assert f"/library/files/{stored.pk}/" in page
    response = client.get(f"/library/files/{stored.pk}/")
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
    client.force_login(cast.outsider)
    assert client.get(f"/library/files/{stored.pk}/").status_code == 404
    assert not Entry.objects.get(pk=library.digital.pk).file_text  # a PDF's text is not read


def test_a_too_long_text_is_refused_beside_the_field(client, cast, library):
    client.force_login(cast.office)
    response = client.post(f"/library/{library.report.pk}/edit/", {"body_text": "x" * 500_001, "published": "on"})
    assert response.status_code == 200 and "errorlist" in response.content.decode()
    assert not Entry.objects.filter(pk=library.report.pk, published_at__isnull=False).exists()
