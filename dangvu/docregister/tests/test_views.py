"""The register's pages: who sees and who registers (allowed and denied), registering through the page with
its number, errors beside their fields with nothing written, search, files and links."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from dangvu.docregister import services
from dangvu.docregister.models import Document, DocumentLink
from dangvu.docregister.tests.conftest import entry

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def resolution(tree, cast, terms):
    return services.register(entry(tree.a, title="Nghị quyết Đại hội về chuyển đổi số"), cast.office)


def get(client, user, url, **params):
    client.force_login(user)
    return client.get(url, params)


def test_index_and_detail_per_role(client, cast, tree, resolution, django_assert_max_num_queries):
    index, detail = reverse("docregister:index"), reverse("docregister:detail", args=[resolution.pk])
    for name in ("office", "inspector", "leader", "admin"):
        assert resolution.number in get(client, getattr(cast, name), index).content.decode(), name
        assert get(client, getattr(cast, name), detail).status_code == 200, name
    # The cell's secretary sees the documents of the cell's subtree only; the outsider those of B.
    for name in ("secretary", "outsider"):
        assert resolution.number not in get(client, getattr(cast, name), index).content.decode(), name
        assert get(client, getattr(cast, name), detail).status_code == 404, name
    for name in ("member", "nobody"):
        assert get(client, getattr(cast, name), index).status_code == 403, name
        assert get(client, getattr(cast, name), detail).status_code == 404, name
    for _ in range(5):
        services.register(entry(tree.a), cast.office)
    client.force_login(cast.office)
    with django_assert_max_num_queries(8):
        assert client.get(index).status_code == 200


def test_search_by_number_title_without_diacritics_type_and_year(client, cast, tree, resolution):
    plan = services.register(entry(tree.a, "KH", title="Kế hoạch kiểm tra năm 2026"), cast.office)
    url = reverse("docregister:index")
    page = get(client, cast.office, url, q="chuyen doi so").content.decode()
    assert resolution.number in page and plan.number not in page
    page = get(client, cast.office, url, q="01-KH").content.decode()
    assert plan.number in page and resolution.number not in page
    page = get(client, cast.office, url, doc_type="KH", year=2026).content.decode()
    assert plan.number in page and resolution.number not in page


def test_register_through_the_page(client, cast, tree, terms, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    url = reverse("docregister:create")
    for name in ("leader", "inspector", "secretary", "member", "nobody"):
        assert get(client, getattr(cast, name), url).status_code == 403, name
    client.force_login(cast.office)
    data = {"organisation": tree.a.pk, "body": "committee", "doc_type": "NQ", "date": "02/03/2026"}
    page = client.post(url, {**data, "title": " "})
    assert page.status_code == 200 and not Document.objects.exists()
    response = client.post(
        url, {**data, "title": "Nghị quyết về công tác kiểm tra", "file": SimpleUploadedFile("nq.pdf", PDF)}
    )
    document = Document.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("docregister:detail", args=[document.pk])
    assert document.number == "01-NQ/ĐU" and document.files.get().filename == "nq.pdf"
    # A forged file is refused beside its field, and the document is not registered either.
    page = client.post(url, {**data, "title": "Nghị quyết khác", "file": SimpleUploadedFile("x.pdf", b"<html>")})
    assert page.status_code == 200 and Document.objects.count() == 1
    # Outside the office's subtree: not offered, refused.
    page = client.post(url, {**data, "organisation": tree.b.pk, "title": "Nghị quyết"})
    assert page.status_code == 200 and Document.objects.count() == 1


def test_files_and_links_on_the_detail_page(client, cast, tree, resolution, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    plan = services.register(entry(tree.a_base, "KH", title="Kế hoạch thực hiện"), cast.office)
    client.force_login(cast.office)
    response = client.post(
        reverse("docregister:add_link", args=[plan.pk]), {"kind": "implements", "target": resolution.pk}
    )
    assert response.status_code == 302
    response = client.post(
        reverse("docregister:add_link", args=[plan.pk]),
        {"kind": "implements", "external_number": "57-NQ/TW", "external_title": "Nghị quyết 57-NQ/TW"},
    )
    assert response.status_code == 302
    page = client.post(reverse("docregister:add_link", args=[plan.pk]), {"kind": "implements"})
    assert page.status_code == 200 and DocumentLink.objects.count() == 2
    page = client.get(reverse("docregister:detail", args=[plan.pk])).content.decode()
    assert resolution.number in page and "57-NQ/TW" in page
    assert plan.number in client.get(reverse("docregister:detail", args=[resolution.pk])).content.decode()
    client.post(reverse("docregister:add_file", args=[plan.pk]), {"file": SimpleUploadedFile("kh.pdf", PDF)})
    stored = plan.files.get()
    assert b"".join(client.get(reverse("docregister:file", args=[stored.pk])).streaming_content) == PDF
    # Denied: the leader sees but does not act; the outsider does not see.
    client.force_login(cast.leader)
    assert client.post(reverse("docregister:add_link", args=[plan.pk]), {"kind": "replaces"}).status_code == 403
    assert client.get(reverse("docregister:file", args=[stored.pk])).status_code == 200
    client.force_login(cast.outsider)
    assert client.get(reverse("docregister:file", args=[stored.pk])).status_code == 404
    assert client.post(reverse("docregister:add_file", args=[plan.pk])).status_code == 404


def test_a_date_outside_the_term_is_shown_beside_the_term(client, cast, tree, terms):
    client.force_login(cast.office)
    page = client.post(
        reverse("docregister:create"),
        {
            "organisation": tree.a.pk,
            "body": "committee",
            "doc_type": "NQ",
            "date": dt.date(2021, 1, 4).strftime("%d/%m/%Y"),
            "term": terms["2025"].pk,
            "title": "Nghị quyết",
        },
    )
    assert page.status_code == 200 and page.context["form"].errors["term"]
