"""Downloading the admission forms: who may, what comes back, and what is refused."""

from __future__ import annotations

import pytest
from django.urls import reverse

from dangvu.admission import services
from dangvu.admission.models import Stage
from dangvu.documents.tests.conftest import body_text, open_docx, walk
from dangvu.documents.views import DOCX

pytestmark = pytest.mark.django_db


def url(step) -> str:
    return reverse("documents:admission_step", args=[step.pk])


def test_url_shape(walked):
    step = walked.step(Stage.DECISION)
    assert url(step) == f"/documents/admission/{step.pk}.docx"


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("admin", 200),
        ("office", 200),  # office of committee A
        ("secretary", 200),  # secretary of the candidate's cell C1
        ("leader", 200),
        ("outsider", 404),  # office of committee B: the file is outside its scope
        ("member", 404),  # plain member: no admission.view
        ("nobody", 404),
    ],
)
def test_access_per_role(client, cast, walked, role, status):
    client.force_login(getattr(cast, role))
    assert client.get(url(walked.step(Stage.CELL_RESOLUTION))).status_code == status


def test_download_is_the_generated_docx(client, cast, walked):
    client.force_login(cast.secretary)
    step = walked.step(Stage.CELL_RESOLUTION)
    response = client.get(url(step))
    assert response.status_code == 200
    assert response["Content-Type"] == DOCX
    assert response["Content-Disposition"] == (f'attachment; filename="nghi-quyet-chi-bo-{walked.candidate.pk}.docx"')
    assert "no-store" in response["Cache-Control"]
    doc = open_docx(response.content)
    assert doc.tables[0].cell(0, 0).paragraphs[-1].text == "Số 12-NQ/CB"
    assert "Võ Thị Hồng Nhung" in body_text(doc)


def test_office_downloads_the_decision(client, cast, walked):
    client.force_login(cast.office)
    response = client.get(url(walked.step(Stage.OFFICIAL_DECISION)))
    assert response.status_code == 200
    assert f'filename="quyet-dinh-cong-nhan-chinh-thuc-{walked.candidate.pk}.docx"' in response["Content-Disposition"]
    assert "là đảng viên chính thức kể từ ngày 20/05/2025." in body_text(open_docx(response.content))


def test_anonymous_is_sent_to_login(client, walked):
    response = client.get(url(walked.step(Stage.CELL_RESOLUTION)))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_stage_without_a_form_is_404(client, cast, walked):
    client.force_login(cast.office)
    assert client.get(url(walked.step(Stage.CEREMONY))).status_code == 404
    assert client.get(url(walked.step(Stage.APPLICATION))).status_code == 404


def test_unknown_step_is_404(client, cast):
    client.force_login(cast.admin)
    assert client.get(reverse("documents:admission_step", args=[999999])).status_code == 404


def test_annulled_step_is_404(client, cast, tree, people, c1_officials):
    result = walk(tree.c1, [people["an"], people["binh"]], cast.office, until=Stage.CELL_RESOLUTION)
    step = result.step(Stage.CELL_RESOLUTION)
    client.force_login(cast.office)
    assert client.get(url(step)).status_code == 200
    services.annul_step(step, cast.office, "Sai số phiếu")
    assert client.get(url(step)).status_code == 404


def test_only_get(client, cast, walked):
    client.force_login(cast.office)
    assert client.post(url(walked.step(Stage.DECISION))).status_code == 405
