"""Pages of congresses and elections (issue 15): the list, a congress (its base with who is excluded and why,
its elections), the people convened with their eligibility, an election's set-up (candidates, the structure
of the list, rounds), a counting team's tally entry (totals or ballot by ballot), a round's result (base,
count, outcome), its announcement (asked once) and its documents.

Access (dangvu.congress.access): out of scope → 404; in scope without the right → 403."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dangvu.accounts.scope import members_for, scope_options
from dangvu.congress import access, services, stats, tallies
from dangvu.congress.forms import (
    AddendumForm,
    BallotForm,
    CandidateForm,
    CongressForm,
    DelegateForm,
    ElectionForm,
    ExcusedForm,
    FurtherRoundForm,
    TallyForm,
)
from dangvu.congress.models import Candidate, CountingTeam, Delegate, Election, RoundState, Source
from dangvu.congress.rules import EXCUSED
from dangvu.lib.errors import DomainError
from dangvu.orgs.models import Organisation, Term
from dangvu.web import confirm, once

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _manage(request: HttpRequest, congress) -> None:
    if not access.can_manage(request.user, congress):
        raise PermissionDenied


@login_required
@require_http_methods(["GET", "POST"])
@once.creating
def index(request: HttpRequest) -> HttpResponse:
    found = access.congresses_for(request.user).select_related("organisation", "term")[:200]
    options = scope_options(request.user, access.MANAGE)
    form = None
    if options:
        form = CongressForm(request.POST or None, organisations=options, terms=Term.objects.order_by("-start"))
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            org = Organisation.objects.filter(pk=data["organisation"]).first()
            term = Term.objects.filter(pk=data["term"]).first()
            if org is None or term is None or not access.Scope.of(request.user, access.MANAGE).covers_path(org.path):
                raise PermissionDenied
            try:
                congress = services.create_congress(
                    org, term, data["kind"], data["starts_on"], data["ends_on"], request.user, place=data["place"]
                )
                return redirect("congress:detail", congress.pk)
            except DomainError as error:
                form.add_error(None, error)
    elif request.method == "POST":
        raise PermissionDenied
    return render(request, "congress/index.html", {"congresses": found, "form": form, "section": "congress"})


@login_required
@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    congress = access.get_congress_or_404(request.user, pk)
    elections = list(congress.elections.prefetch_related("rounds"))
    context = {
        "congress": congress,
        "base": services.base(congress),
        "excused_labels": EXCUSED,
        "elections": elections,
        "may_manage": access.can_manage(request.user, congress),
        "election_form": ElectionForm(),
        "section": "congress",
    }
    return render(request, "congress/detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
@once.creating
def delegates(request: HttpRequest, pk: int) -> HttpResponse:
    congress = access.get_congress_or_404(request.user, pk)
    may_manage = access.can_manage(request.user, congress)
    choices = [(m.pk, m.full_name) for m in members_for(request.user).order_by("name_sort")[:2000]]
    form = DelegateForm(request.POST or None, members=choices) if may_manage else None
    if request.method == "POST":
        _manage(request, congress)
        try:
            if "convene" in request.POST:
                added = services.convene_members(congress, request.user)
                messages.success(request, _("%(n)s members convened.") % {"n": added})
                return redirect("congress:delegates", congress.pk)
            if form.is_valid():
                member = members_for(request.user).filter(pk=form.cleaned_data["member"]).first()
                if member is None:
                    raise Http404
                services.add_delegate(congress, member, form.cleaned_data["role"], request.user)
                return redirect("congress:delegates", congress.pk)
        except DomainError as error:
            if form is not None and hasattr(error, "error_dict"):
                form.add_error(None, error)
            else:
                messages.error(request, " ".join(error.messages))
    rows = []
    for delegate in congress.delegates.select_related("member"):
        rows.append((delegate, services.eligibility(congress, delegate.member) if delegate.role != "invited" else []))
    context = {
        "congress": congress,
        "rows": rows,
        "form": form,
        "may_manage": may_manage,
        "excused_form": ExcusedForm(auto_id=False),
        "base": services.base(congress),
        "section": "congress",
    }
    return render(request, "congress/delegates.html", context)


@login_required
@require_POST
def excuse(request: HttpRequest, pk: int) -> HttpResponse:
    delegate = Delegate.objects.filter(pk=pk).first()
    if delegate is None:
        raise Http404
    congress = access.get_congress_or_404(request.user, delegate.congress_id)
    _manage(request, congress)
    form = ExcusedForm(request.POST)
    if form.is_valid():
        try:
            services.record_excused(delegate, form.cleaned_data["excused"], request.user, form.cleaned_data["note"])
        except DomainError as error:
            messages.error(request, " ".join(error.messages))
    else:
        messages.error(request, _("Choose why the person is not in the base."))
    return redirect("congress:delegates", congress.pk)


@login_required
@require_POST
@once.creating
def add_election(request: HttpRequest, pk: int) -> HttpResponse:
    congress = access.get_congress_or_404(request.user, pk)
    _manage(request, congress)
    form = ElectionForm(request.POST)
    if form.is_valid():
        try:
            election = services.create_election(
                congress, form.cleaned_data["kind"], form.cleaned_data["seats"], request.user
            )
            return redirect("congress:election", election.pk)
        except DomainError as error:
            form.add_error(None, error)
    context = {
        "congress": congress,
        "base": services.base(congress),
        "excused_labels": EXCUSED,
        "elections": list(congress.elections.prefetch_related("rounds")),
        "may_manage": True,
        "election_form": form,
        "section": "congress",
    }
    return render(request, "congress/detail.html", context, status=422)


def _election_or_404(request: HttpRequest, pk: int) -> Election:
    election = Election.objects.select_related("congress__organisation", "congress__term").filter(pk=pk).first()
    if election is None:
        raise Http404
    access.get_congress_or_404(request.user, election.congress_id)
    return election


@login_required
@require_http_methods(["GET", "POST"])
def election(request: HttpRequest, pk: int) -> HttpResponse:
    election = _election_or_404(request, pk)
    congress = election.congress
    may_manage = access.can_manage(request.user, congress)
    choices = [(m.pk, m.full_name) for m in members_for(request.user).order_by("name_sort")[:2000]]
    form = CandidateForm(request.POST or None, members=choices) if may_manage else None
    elected = set(services.elected_so_far(election))
    left = [c for c in election.candidates.filter(on_list=True).select_related("member") if c.pk not in elected]
    further = FurtherRoundForm(request.POST or None, candidates=left) if may_manage else None
    if request.method == "POST":
        _manage(request, congress)
        try:
            if "open" in request.POST:
                round_ = services.open_first_round(election, request.user)
                return redirect("congress:round", round_.pk)
            if "further" in request.POST and further.is_valid():
                chosen = list(Candidate.objects.filter(election=election, pk__in=further.cleaned_data["candidates"]))
                round_ = services.further_round(election, request.user, chosen)
                return redirect("congress:round", round_.pk)
            if "close" in request.POST:
                services.close_election(election, request.user)
                return redirect("congress:election", election.pk)
            if "install" in request.POST:
                tallies.install(election, request.user)
                messages.success(request, _("The elected are seated on the committee."))
                return redirect("congress:election", election.pk)
            if "nominate" in request.POST and form.is_valid():
                data = form.cleaned_data
                member = members_for(request.user).filter(pk=data["member"]).first()
                if member is None:
                    raise Http404
                if data["source"] == Source.OUTGOING:
                    services.propose(election, member, request.user)
                else:
                    candidate = services.nominate(
                        election, member, data["source"], data["consent"], data["present"], request.user
                    )
                    if not candidate.on_list:
                        messages.warning(request, _("Not enough consent: the nomination does not enter the list."))
                return redirect("congress:election", election.pk)
        except DomainError as error:
            target = further if "further" in request.POST else form
            if target is not None and hasattr(error, "error_dict"):
                target.add_error(None, error)
            else:
                messages.error(request, " ".join(error.messages))
    context = {
        "congress": congress,
        "election": election,
        "candidates": election.candidates.select_related("member"),
        "rounds": election.rounds.all(),
        "structure": stats.structure(election),
        "form": form,
        "further": further,
        "may_manage": may_manage,
        "elected": elected,
        "section": "congress",
    }
    return render(request, "congress/election.html", context, status=422 if request.method == "POST" else 200)


def _round_context(request: HttpRequest, round_) -> dict:
    congress = round_.election.congress
    announced = round_.state == RoundState.ANNOUNCED
    names = {c.pk: c.member.full_name for c in round_.candidates.select_related("member")}
    if announced:
        result = round_.result
        ranking = [(names[int(pk)], votes) for pk, votes in result["votes"].items()]
        elected = [names[pk] for pk in result["elected"]]
        tied = [names[pk] for pk in result.get("tied", [])]
        needed, unfilled = result["needed"], result.get("unfilled", 0)
        count = {"issued": result["issued"], "valid": result["valid"], "invalid": result["invalid"]}
    else:
        outcome, total = tallies.preview(round_), tallies.count(round_)
        ranking = [(names[pk], votes) for pk, votes in outcome.ranking]
        elected, tied = [names[pk] for pk in outcome.elected], [names[pk] for pk in outcome.tied]
        needed, unfilled = outcome.needed, outcome.unfilled
        count = {"issued": total.issued, "valid": total.valid, "invalid": dict(total.invalid)}
    from dangvu.congress.models import Invalid

    labels = dict(Invalid.choices)
    return {
        "congress": congress,
        "round": round_,
        "announced": announced,
        "ranking": ranking,
        "elected": elected,
        "tied": tied,
        "needed": needed,
        "unfilled": unfilled,
        "count": count,
        "invalid": [(labels.get(k, k), n) for k, n in count["invalid"].items()],
        "excluded": [(row["name"], EXCUSED.get(row["excused"], row["excused"])) for row in round_.excluded],
        "teams": access.teams_of(request.user, congress),
        "tallies": round_.tallies.select_related("team"),
        "may_manage": access.can_manage(request.user, congress),
        "addenda": round_.addenda.all(),
        "addendum_form": AddendumForm(),
        "section": "congress",
    }


@login_required
@require_GET
def round_page(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = access.get_round_or_404(request.user, pk)
    return render(request, "congress/round.html", _round_context(request, round_))


@login_required
@require_POST
def announce(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = access.get_round_or_404(request.user, pk)
    _manage(request, round_.election.congress)
    asked = confirm.confirmation_needed(request, "announce_round")
    if asked is not None:
        return asked
    try:
        tallies.announce(round_, request.user)
        messages.success(request, _("The result is announced."))
    except DomainError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("congress:round", round_.pk)


@login_required
@require_POST
def addendum(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = access.get_round_or_404(request.user, pk)
    _manage(request, round_.election.congress)
    form = AddendumForm(request.POST)
    try:
        if not form.is_valid():
            raise DomainError(_("Write what is corrected."))
        tallies.add_addendum(round_, form.cleaned_data["text"], request.user)
    except DomainError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("congress:round", round_.pk)


def _team_or_404(request: HttpRequest, round_, team_pk: int) -> CountingTeam:
    team = next((t for t in access.teams_of(request.user, round_.election.congress) if t.pk == team_pk), None)
    if team is None:
        if round_.election.congress.teams.filter(pk=team_pk).exists():
            raise PermissionDenied
        raise Http404
    return team


@login_required
@require_http_methods(["GET", "POST"])
def tally(request: HttpRequest, pk: int, team: int) -> HttpResponse:
    round_ = access.get_round_or_404(request.user, pk)
    team_ = _team_or_404(request, round_, team)
    candidates = list(round_.candidates.select_related("member").order_by("position", "pk"))
    existing = round_.tallies.filter(team=team_).first()
    initial = {}
    if existing is not None:
        initial = {"issued": existing.issued, "valid": existing.valid}
        initial.update({f"invalid_{k}": v for k, v in existing.invalid.items()})
        initial.update({f"votes_{k}": v for k, v in existing.votes.items()})
    form = TallyForm(request.POST or None, candidates=candidates, initial=initial)
    ballot_form = BallotForm(request.POST or None, candidates=candidates)
    status = 200
    if request.method == "POST":
        try:
            if "ballot" in request.POST:
                if ballot_form.is_valid():
                    tallies.enter_ballot(
                        round_,
                        team_,
                        ballot_form.cleaned_data["kept"],
                        request.user,
                        invalid=ballot_form.cleaned_data["invalid"],
                    )
                    messages.success(request, _("Ballot entered."))
                    return redirect("congress:tally", round_.pk, team_.pk)
            elif form.is_valid():
                tallies.enter_tally(round_, team_, request.user, **form.figures())
                messages.success(request, _("The team's count is saved."))
                return redirect("congress:round", round_.pk)
        except DomainError as error:
            (ballot_form if "ballot" in request.POST else form).add_error(None, error)
        status = 422
    context = {
        "congress": round_.election.congress,
        "round": round_,
        "team": team_,
        "form": form,
        "ballot_form": ballot_form,
        "existing": existing,
        "section": "congress",
    }
    return render(request, "congress/tally.html", context, status=status)


@login_required
@require_GET
def document(request: HttpRequest, pk: int, which: str) -> HttpResponse:
    from dangvu.documents import congress as docs

    round_ = access.get_round_or_404(request.user, pk)
    if round_.state != RoundState.ANNOUNCED or which not in ("minutes", "announcement"):
        raise Http404
    build = docs.count_minutes if which == "minutes" else docs.announcement
    number = (round_.minutes if which == "minutes" else round_.announcement).number
    response = HttpResponse(build(round_), content_type=DOCX)
    name = f"{which}-{number.replace('/', '-')}.docx".encode("ascii", "ignore").decode()
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
