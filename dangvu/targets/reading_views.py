"""The page that reads a resolution's targets from its text (issue 13 item 9): the office pastes the targets
section, dangvu.targets.parser proposes the targets with what it could not read said beside each, the
person corrects them and confirms; the confirmed ones are added together through
dangvu.targets.services.add_targets (all or none). Acting `targets.manage` over the resolution (else 403;
out of scope 404)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Max
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from dangvu.orgs.queries import subtree
from dangvu.targets import parser, services
from dangvu.targets.access import can_manage, get_resolution_or_404
from dangvu.targets.forms import TargetForm
from dangvu.web import once
from dangvu.web.forms import Form as BaseForm

FIELDS = ["position", "text", "kind", "threshold", "strict", "period", "subject", "scope", "source", "indicator"]


class TextForm(BaseForm):
    text = forms.CharField(
        label=gettext_lazy("The targets section as written"),
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=gettext_lazy("Paste the section '2. Chỉ tiêu cụ thể' of the resolution, items (1), (2), …"),
    )


class ProposalForm(TargetForm):
    include = forms.BooleanField(label=gettext_lazy("Add this target"), required=False, initial=True)
    sections = [(gettext_lazy("Target"), ["include", *FIELDS])]


ProposalFormSet = forms.formset_factory(ProposalForm, extra=0, max_num=200, validate_max=True)


def _resolution(request: HttpRequest, pk: int):
    resolution = get_resolution_or_404(request.user, pk)
    if not can_manage(request.user, resolution):
        raise PermissionDenied
    return resolution


def _formset(resolution, data=None, initial=None):
    organisations = subtree(resolution.organisation).order_by("path")
    return ProposalFormSet(data, initial=initial, prefix="p", form_kwargs={"organisations": organisations})


def _render(request, resolution, text_form, formset=None, reading=None, error="") -> HttpResponse:
    notes = [p.notes for p in reading.proposals] if reading else []
    rows = list(zip(formset.forms, notes or [[]] * len(formset.forms), strict=False)) if formset else []
    return render(
        request,
        "targets/read.html",
        {
            "resolution": resolution,
            "text_form": text_form,
            "formset": formset,
            "rows": rows,
            "reading": reading,
            "error": error,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def read(request: HttpRequest, pk: int) -> HttpResponse:
    resolution = _resolution(request, pk)
    text_form = TextForm(request.POST or None)
    if request.method == "GET" or not text_form.is_valid():
        return _render(request, resolution, text_form)
    first = (resolution.targets.aggregate(n=Max("position"))["n"] or 0) + 1
    reading = parser.read(text_form.cleaned_data["text"], first=first)
    initial = [
        {
            "include": True,
            "position": p.position,
            "text": p.text,
            "kind": p.kind,
            "threshold": p.threshold,
            "strict": p.strict,
            "period": p.period,
            "subject": p.subject,
            "source": p.source,
            "indicator": p.indicator,
        }
        for p in reading.proposals
    ]
    return _render(request, resolution, text_form, _formset(resolution, initial=initial), reading)


@login_required
@require_POST
@once.creating
def confirm(request: HttpRequest, pk: int) -> HttpResponse:
    resolution = _resolution(request, pk)
    formset = _formset(resolution, request.POST)
    text_form = TextForm(request.POST)
    error = ""
    if formset.is_valid():
        chosen = [(form, form.cleaned_data) for form in formset.forms if form.cleaned_data.get("include")]
        specs = [services.TargetSpec(**{key: d[key] for key in FIELDS}) for _form, d in chosen]
        if not specs:
            error = _("Choose at least one target to add.")
        else:
            try:
                created = services.add_targets(resolution, specs, request.user)
            except services.TargetsRefused as refused:
                for index, error in refused.by_index.items():
                    chosen[index][0].add_error(None, error)
            else:
                messages.success(request, _("%(n)d targets were added.") % {"n": len(created)})
                return redirect("targets:resolution", pk=resolution.pk)
    return _render(request, resolution, text_form, formset, error=error)
