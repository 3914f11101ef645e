"""Downloads of generated Party documents.

Access: the candidate comes through dangvu.admission.access (admission.view, the user's subtree); a step
of a candidate outside the scope, an annulled or waived step and a stage without a form are all 404.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.views.decorators.http import require_GET

from dangvu.admission.access import get_candidate_or_404
from dangvu.admission.models import CandidateStep
from dangvu.documents import admission

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def docx_response(filename: str, content: bytes) -> HttpResponse:
    """A DOCX download; `filename` must be ASCII (callers build it from slugs and ids)."""
    response = HttpResponse(content, content_type=DOCX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"  # party records: never kept by shared caches
    return response


@login_required
@require_GET
def admission_step(request, pk: int):
    candidate_id = CandidateStep.objects.filter(pk=pk).values_list("candidate_id", flat=True).first()
    if candidate_id is None:
        raise Http404
    candidate = get_candidate_or_404(request.user, candidate_id)
    step = candidate.steps.filter(pk=pk).first()
    if step is None or not admission.has_form(step):
        raise Http404
    step.candidate = candidate  # already loaded with its organisation and member record
    generated = admission.document_for(step)
    return docx_response(generated.filename, generated.content)
