"""Organisation pages (tree, organisation page) and the reorganisation wizard.

Views only read through the scope helpers and `dangvu.orgs.queries`, and write only through
`dangvu.orgs.services` (via the wizard forms' `action()`). Query counts are constant in the number of
organisations and members shown: counts are one aggregate per tree level, related rows are prefetched.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.humanize.templatetags.humanize import intcomma
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from dangvu.accounts.scope import Scope, get_organisation_or_404, has_capability, home_organisations
from dangvu.lib.dates import fmt
from dangvu.lib.errors import DomainError
from dangvu.lib.urls import per_pk
from dangvu.orgs import lineage, queries, services
from dangvu.orgs.forms import REORGANISE, WIZARD_FORMS, MembersOnForm, SplitForm, SplitStartForm
from dangvu.orgs.models import (
    Committee,
    CommitteeSeat,
    LeadershipAssignment,
    Organisation,
    OrgKind,
    Position,
    Reorganisation,
    ReorgKind,
    Term,
)
from dangvu.web import once

VIEW = "orgs.view"


@dataclass
class Node:
    """One row of the tree: the organisation, its current members (whole subtree) and, if it is no
    longer in force, why and since when."""

    org: Organisation
    members: int
    ended: str
    expandable: bool = False
    # The row's texts and links, made once in Python for a level of the tree (_nodes), not per row by the
    # template's url tags, choice lookups and plural blocks (issue 10 item 5).
    kind_text: str = ""
    members_text: str = ""
    detail_url: str = ""
    children_url: str = ""


def _require(user, capability: str) -> None:
    if not has_capability(user, capability):
        raise PermissionDenied


def _nodes(orgs: list[Organisation], former: bool = False) -> list[Node]:
    """Rows for one level (or a few levels) of the tree: a constant number of queries whatever the number
    of rows."""
    counts = queries.member_counts(orgs)
    ended = lineage.ended_labels(orgs)
    opens = lineage.expandable(orgs, former)
    kinds = {value: str(label) for value, label in OrgKind.choices}
    detail_url, children_url = per_pk("orgs:detail"), per_pk("orgs:children")
    nodes = []
    for o in orgs:
        n = counts.get(o.pk, 0)
        nodes.append(
            Node(
                o,
                n,
                ended.get(o.pk, ""),
                o.pk in opens,
                kind_text=kinds.get(o.kind, o.kind),
                members_text=ngettext("%(shown)s member", "%(shown)s members", n) % {"shown": intcomma(n)},
                detail_url=detail_url(o.pk),
                children_url=children_url(o.pk),
            )
        )
    return nodes


def _former(request: HttpRequest) -> bool:
    return request.GET.get("former") == "1"


@login_required
@require_GET
def tree(request: HttpRequest) -> HttpResponse:
    """The tree of the user's scope: the home organisations open on their first level; deeper levels
    load on demand (orgs:children)."""
    _require(request.user, VIEW)
    former = _former(request)
    roots = home_organisations(request.user)
    children = lineage.children(roots, former)
    nodes = {n.org.pk: n for n in _nodes(roots + children, former)}
    sections = [(nodes[root.pk], [nodes[c.pk] for c in children if c.listed_under == root.pk]) for root in roots]
    return render(request, "orgs/tree.html", {"sections": sections, "former": former})


@login_required
@require_GET
def children(request: HttpRequest, pk: int) -> HttpResponse:
    """HTMX partial: the subordinate organisations of one node."""
    org = get_organisation_or_404(request.user, pk)
    former = _former(request)
    nodes = _nodes(lineage.children([org], former), former)
    return render(request, "orgs/_nodes.html", {"nodes": nodes, "former": former, "parent": org})


def _committees(org: Organisation) -> list[Committee]:
    """The organisation's committee for each term, newest first, with seats (in position order) and
    what each seat holder is in charge of: three queries."""
    assignments = LeadershipAssignment.objects.select_related("organisation").order_by("valid_from", "id")
    seats = CommitteeSeat.objects.select_related("member").prefetch_related(
        Prefetch("assignments", queryset=assignments)
    )
    committees = list(
        Committee.objects.filter(organisation=org)
        .select_related("term")
        .prefetch_related(Prefetch("seats", queryset=seats))
        .order_by("-term__start")
    )
    rank = {value: i for i, value in enumerate(Position.values)}
    for committee in committees:
        committee.ordered_seats = sorted(
            committee.seats.all(), key=lambda s: (s.valid_to is not None, rank.get(s.position, 99), s.valid_from)
        )
    return committees


def _reorg_summary(reorg: Reorganisation) -> tuple[str, str]:
    """(before, after) for the history table, from the recorded details and lineage links."""
    details = reorg.details or {}
    links = list(reorg.links.all())
    if reorg.kind == ReorgKind.RENAME:
        before, after = details.get("before", ""), details.get("after", "")
        if details.get("code_before") != details.get("code_after"):
            before, after = f"{before} ({details.get('code_before')})", f"{after} ({details.get('code_after')})"
        return before, after
    if reorg.kind == ReorgKind.MOVE:
        before = _("under %(code)s") % {"code": details.get("from_parent") or "—"}
        if getattr(reorg, "concerns_child", False):
            before = f"{', '.join(sorted({link.predecessor.name for link in links}))}, {before}"
        return before, _("under %(code)s") % {"code": details.get("to_parent") or "—"}
    if reorg.kind == ReorgKind.CREATE:
        return "", ", ".join(sorted({link.successor.name for link in links if link.successor}))
    if reorg.kind == ReorgKind.DISSOLVE:
        return ", ".join(sorted({link.predecessor.name for link in links})), _("dissolved")
    before = sorted({link.predecessor.name for link in links})
    after = sorted({link.successor.name for link in links if link.successor})
    return ", ".join(before), ", ".join(after)


def _reorganisations(org: Organisation) -> list[tuple[Reorganisation, str, str]]:
    return [(r, *_reorg_summary(r)) for r in lineage.history(org)]


def _audit(org: Organisation) -> list[dict]:
    """The organisation's audit trail (simple-history), newest first, with the fields each change touched."""
    records = list(org.history.select_related("history_user").order_by("history_date", "history_id"))
    rows = []
    previous = None
    for record in records:
        changes = []
        if previous is not None:
            for change in record.diff_against(previous).changes:
                label = Organisation._meta.get_field(change.field).verbose_name
                changes.append((label, _display(change.old), _display(change.new)))
        rows.append({"record": record, "changes": changes})
        previous = record
    rows.reverse()
    return rows


def _display(value) -> str:
    if value is None or value == "":
        return "—"
    if hasattr(value, "strftime"):
        return fmt(value)
    return str(value)


def _mark_visible(orgs, scope: Scope) -> None:
    for org in orgs:
        org.visible = scope.covers_path(org.path)


def _count_on_context(org: Organisation, request: HttpRequest) -> dict:
    form = MembersOnForm(request.GET if "on" in request.GET else None)
    result = None
    if form.is_bound and form.is_valid():
        day = form.cleaned_data["on"]
        result = {
            "day": day,
            "own": queries.member_count_on(org, day),
            "lineage": queries.member_count_on(org, day, lineage=True),
        }
    return {"count_form": form, "count_result": result}


def _admission_rows(org: Organisation, predecessors: list[Organisation]) -> list[dict]:
    """Admissions and official recognitions for each of the last five calendar years and each term
    overlapping them (dangvu.admission.counts), per predecessor when there are any. Queries: one per
    period, or (2 + roots) per period with predecessors; never per member or per event."""
    from dangvu.admission.counts import admission_counts, term_range, year_range

    today = timezone.localdate()
    periods: list[tuple[str, str, dt.date, dt.date]] = []
    for year in range(today.year, today.year - 5, -1):
        periods.append(("year", str(year), *year_range(year)))
    first, last = year_range(today.year - 4)[0], year_range(today.year)[1]
    for term in Term.objects.filter(start__lte=last, end__gte=first).order_by("-start"):
        periods.append(("term", _("Term %(code)s") % {"code": term.code}, *term_range(term)))
    rows = []
    for kind, label, start, end in periods:
        counts = admission_counts(org, start, end, lineage=bool(predecessors))
        rows.append(
            {
                "kind": kind,
                "label": label,
                "start": start,
                "end": end,
                "total": counts.total,
                "parts": counts.by_organisation if predecessors else [],
            }
        )
    return rows


@login_required
@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    org = get_organisation_or_404(user, pk)
    view_scope = Scope.of(user, VIEW)
    ancestors = list(Organisation.objects.filter(path__in=_ancestor_paths(org)).order_by("depth"))
    _mark_visible(ancestors, view_scope)
    kids = lineage.children([org], former=True)
    counts = queries.member_counts([org, *kids])
    ended = lineage.ended_labels([org, *kids])
    in_charge = list(
        LeadershipAssignment.objects.filter(organisation=org)
        .select_related("seat__member", "seat__committee__organisation", "seat__committee__term")
        .order_by("valid_to", "-valid_from")
    )
    _mark_visible([a.seat.committee.organisation for a in in_charge], view_scope)
    committees = _committees(org)
    _mark_visible(
        [a.organisation for c in committees for s in c.ordered_seats for a in s.assignments.all()], view_scope
    )
    predecessors = queries.predecessors(org)
    formed_from, became = lineage.formed_from(org), lineage.became(org)
    direct = {o.pk for step in formed_from for o in step.orgs}
    earlier = [p for p in predecessors if p.pk not in direct]
    _mark_visible([*predecessors, *(o for step in [*formed_from, *became] for o in step.orgs)], view_scope)
    can_audit = Scope.of(user, "audit.view").covers_path(org.path)
    context = {
        "org": org,
        "ancestors": ancestors,
        "ended": ended.get(org.pk, ""),
        "members": counts[org.pk],
        "children": [Node(k, counts[k.pk], ended.get(k.pk, "")) for k in kids],
        "in_charge": in_charge,
        "committees": committees,
        "reorganisations": _reorganisations(org),
        "predecessors": predecessors,
        "formed_from": formed_from,
        "earlier_predecessors": earlier,
        "became": became,
        "can_members": Scope.of(user, "members.view").covers_path(org.path),
        "can_reorganise": org.is_active and Scope.of(user, REORGANISE).covers_path(org.path),
        "audit": _audit(org) if can_audit else None,
        **_count_on_context(org, request),
        "admission_rows": _admission_rows(org, predecessors),
        "can_admission_board": Scope.of(user, "admission.view").covers_path(org.path),
    }
    return render(request, "orgs/detail.html", context)


def _ancestor_paths(org: Organisation) -> list[str]:
    step = Organisation.steplen
    return [org.path[:end] for end in range(step, len(org.path), step)]


@login_required
@require_GET
def count_on(request: HttpRequest, pk: int) -> HttpResponse:
    """HTMX partial of the organisation page: members on a past date, with and without lineage."""
    org = get_organisation_or_404(request.user, pk)
    if not request.htmx:
        url = f"{redirect('orgs:detail', pk=org.pk).url}?{request.GET.urlencode()}#members-on"
        return redirect(url)
    return render(request, "orgs/_count_on.html", {"org": org, **_count_on_context(org, request)})


# --- Reorganisation wizard -------------------------------------------------------------------------


def _wizard_kinds() -> list[tuple[str, str, str]]:
    return [(kind, form.title, form.help) for kind, form in WIZARD_FORMS.items()]


@login_required
@require_GET
def reorganise(request: HttpRequest) -> HttpResponse:
    """Start of the wizard: choose the kind of reorganisation (optionally for a given organisation)."""
    _require(request.user, REORGANISE)
    org = None
    if str(request.GET.get("org", "")).isdigit():
        org = get_organisation_or_404(request.user, int(request.GET["org"]), REORGANISE)
    return render(request, "orgs/reorganise.html", {"kinds": _wizard_kinds(), "org": org})


def _initial(request: HttpRequest, kind: str) -> dict:
    value = str(request.GET.get("org", ""))
    if not value.isdigit():
        return {}
    org = get_organisation_or_404(request.user, int(value), REORGANISE)
    return {"merge": {"predecessors": [org.pk]}, "establish": {"parent": org.pk}}.get(kind, {"organisation": org.pk})


@login_required
@require_http_methods(["GET", "POST"])
@once.creating
def reorganise_kind(request: HttpRequest, kind: str) -> HttpResponse:
    """One kind of reorganisation: form -> preview (nothing written) -> confirm (applied).

    The data travels in the POST as hidden fields and is validated again, organisations re-resolved in
    the user's scope, at every step: the preview and the confirmation run the very same service call."""
    form_class = WIZARD_FORMS.get(kind)
    if form_class is None:
        raise Http404
    user = request.user
    _require(user, REORGANISE)
    extra: dict = {}
    if form_class is SplitForm:
        start = (
            SplitStartForm(user, {"org": request.GET["org"], "n": request.GET.get("n", "2")})
            if ("org" in request.GET)
            else SplitStartForm(user)
        )
        if not start.is_bound or not start.is_valid():
            return render(request, "orgs/split_start.html", {"form": start, "title": form_class.title})
        extra = {"predecessor": start.cleaned_data["org"], "count": start.cleaned_data["n"]}

    def page(form, template: str = "orgs/wizard_form.html", **more) -> HttpResponse:
        return render(request, template, {"form": form, "kind": kind, **more})

    if request.method == "GET":
        return page(form_class(user, initial=_initial(request, kind) if not extra else {}, **extra))
    step = request.POST.get("step", "preview")
    form = form_class(user, data=request.POST, **extra)
    if step == "edit" or not form.is_valid():
        return page(form)
    action, args, kwargs = form.action()
    try:
        effects = action(*args, **kwargs) if step == "confirm" else services.preview(action, *args, **kwargs)
    except DomainError as error:
        form.add_error(None, error)
        return page(form)
    if step == "confirm":
        reorg = effects.reorganisation
        messages.success(
            request,
            _("Recorded: %(kind)s, decision %(number)s, effective %(date)s.")
            % {"kind": reorg.get_kind_display(), "number": reorg.document_number, "date": fmt(reorg.date)},
        )
        return redirect("orgs:detail", pk=form.result(effects).pk)
    return page(form, "orgs/wizard_preview.html", effects=effects)
