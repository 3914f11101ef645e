"""Actions on congresses, the people convened, elections, candidates and rounds (Quyết định 190-QĐ/TW). Each
runs in one transaction, checks the rule set in force on the congress's opening day (dangvu.rules), refuses bad
input with a DomainError naming the field (nothing written) and leaves the audit trail (simple-history, with the
acting user). Counting, announcing and seating the elected committee are in dangvu.congress.tallies.

Who is convened and who may stand is read from the member records on the congress's opening day
(dangvu.members.models.MemberPeriod): an official member of the organisation's subtree, not suspended.
"""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

from django.db import transaction
from django.utils.translation import gettext as _

from dangvu.congress import counting
from dangvu.congress.models import (
    Candidate,
    Congress,
    CongressKind,
    Delegate,
    DelegateRole,
    Election,
    ElectionKind,
    Round,
    RoundState,
    Source,
)
from dangvu.congress.rules import AWAY, EXCUSED, EXEMPT_ABSENT, RECORDED, SUSPENDED
from dangvu.lib.dates import fmt
from dangvu.lib.errors import DomainError
from dangvu.members.models import Member, MemberPeriod, Status
from dangvu.orgs.models import Organisation, Term
from dangvu.orgs.queries import subtree_ids_on
from dangvu.rules.registry import rules_on


def _save(obj, actor, reason: str = ""):
    obj._history_user = actor
    if reason:
        obj._change_reason = reason
    obj.save()
    return obj


def share(values: dict, name: str) -> Fraction:
    return Fraction(str(values[name]).replace(" ", ""))


def excused_categories(congress: Congress) -> list[str]:
    """The categories the rule set in force on the opening day takes out of the base for this kind."""
    key = "congress.excused_members" if congress.kind == CongressKind.MEMBERS else "congress.excused_delegates"
    return list(rules_on(congress.starts_on)[key])


# -- the congress --------------------------------------------------------------------------------------------


@transaction.atomic
def create_congress(
    organisation: Organisation,
    term: Term,
    kind: str,
    starts_on: dt.date | None,
    ends_on: dt.date | None,
    actor,
    *,
    place: str = "",
) -> Congress:
    errors: dict[str, list[str]] = {}
    if kind not in CongressKind.values:
        errors["kind"] = [_("Choose the kind of congress.")]
    if starts_on is None:
        errors["starts_on"] = [_("Give the day the congress opens.")]
    elif ends_on is None or ends_on < starts_on:
        errors["ends_on"] = [_("The congress closes on or after the day it opens.")]
    elif starts_on < organisation.valid_from or (organisation.valid_to and starts_on >= organisation.valid_to):
        errors["starts_on"] = [_("The organisation was not in force on that date.")]
    elif not term.start - dt.timedelta(days=366) <= starts_on <= term.end:
        errors["term"] = [_("The congress is held at the start of the term it elects for.")]
    if not errors and Congress.objects.filter(organisation=organisation, term=term).exists():
        errors["term"] = [_("This organisation already has a congress for term %(term)s.") % {"term": term.code}]
    if errors:
        raise DomainError(errors)
    congress = Congress(
        organisation=organisation,
        term=term,
        kind=kind,
        starts_on=starts_on,
        ends_on=ends_on,
        place=place.strip(),
        created_by=actor,
    )
    return _save(congress, actor, "create")


def _periods_on(congress: Congress, members=None):
    day = congress.starts_on
    rows = MemberPeriod.objects.filter(
        MemberPeriod.on(day),
        organisation_id__in=subtree_ids_on(congress.organisation, day),
        status__in=Status.in_party(),
    ).select_related("member")
    if members is not None:
        rows = rows.filter(member__in=members)
    return rows


def eligibility(congress: Congress, member: Member) -> list[str]:
    """Why `member` may not be an official delegate or a candidate at `congress` ([] when eligible), from the
    member record on the opening day: a member of the organisation, official, not suspended."""
    period = _periods_on(congress, [member]).first()
    day = fmt(congress.starts_on)
    if period is None:
        return [_("Not a party member of %(org)s on %(day)s.") % {"org": congress.organisation.name, "day": day}]
    problems = []
    if period.status != Status.OFFICIAL:
        problems.append(_("Not an official member on %(day)s.") % {"day": day})
    if period.is_suspended:
        problems.append(_("Suspended from activities on %(day)s.") % {"day": day})
    return problems


def _from_record(period: MemberPeriod) -> str:
    if period.is_away:
        return AWAY
    if period.is_suspended:
        return SUSPENDED
    if period.is_exempt:
        return EXEMPT_ABSENT
    return ""


@transaction.atomic
def convene_members(congress: Congress, actor) -> int:
    """A members' congress convenes every official member of the organisation on the opening day; the
    categories the member records show (temporarily away, suspended, exempt) are set on each. Members already
    convened are kept. Returns the number added."""
    congress = Congress.objects.select_for_update().get(pk=congress.pk)
    if congress.kind != CongressKind.MEMBERS:
        raise DomainError(_("Only a members' congress convenes every official member; add the delegates."))
    _not_voting(congress)
    have = set(congress.delegates.values_list("member_id", flat=True))
    added = 0
    for period in _periods_on(congress).filter(status=Status.OFFICIAL).order_by("member__name_sort", "member_id"):
        if period.member_id in have:
            continue
        have.add(period.member_id)
        _save(Delegate(congress=congress, member=period.member, excused=_from_record(period)), actor, "convene")
        added += 1
    return added


@transaction.atomic
def add_delegate(congress: Congress, member: Member, role: str, actor) -> Delegate:
    """An official delegate or alternate (checked against the member record) or an invited guest."""
    congress = Congress.objects.select_for_update().get(pk=congress.pk)
    _not_voting(congress)
    if role not in DelegateRole.values:
        raise DomainError({"role": [_("Choose the delegate's role.")]})
    if role != DelegateRole.INVITED:
        problems = eligibility(congress, member)
        if problems:
            raise DomainError({"member": problems})
    if congress.delegates.filter(member=member).exists():
        raise DomainError({"member": [_("%(name)s is already on the list.") % {"name": member.full_name}]})
    return _save(Delegate(congress=congress, member=member, role=role), actor, "add")


@transaction.atomic
def record_excused(delegate: Delegate, excused: str, actor, note: str = "") -> Delegate:
    """Record why an official delegate is out of the base (a category the rule set lists for the congress's
    kind), or clear it ("": attending; an exempt member who attends and votes counts)."""
    delegate = Delegate.objects.select_for_update().select_related("congress").get(pk=delegate.pk)
    _not_voting(delegate.congress)
    allowed = excused_categories(delegate.congress)
    if delegate.role != DelegateRole.OFFICIAL:
        raise DomainError({"excused": [_("Only official delegates are in the base.")]})
    if excused and (excused not in allowed or excused not in (*RECORDED, EXEMPT_ABSENT)):
        labels = ", ".join(str(EXCUSED[c]) for c in allowed if c in RECORDED)
        raise DomainError({"excused": [_("For this congress choose among: %(labels)s.") % {"labels": labels}]})
    if delegate.excused in (AWAY, SUSPENDED):
        raise DomainError({"excused": [_("This comes from the member record; correct the record instead.")]})
    delegate.excused, delegate.excused_note = excused, note.strip()
    return _save(delegate, actor, "excused")


def base(congress: Congress) -> counting.Base:
    """The base of the congress's elections now: official delegates (members) convened minus those in a
    category the rule set takes out for its kind, each with the reason."""
    convened = [
        counting.Convened(d.pk, d.member.full_name, d.excused)
        for d in congress.delegates.filter(role=DelegateRole.OFFICIAL).select_related("member")
    ]
    return counting.base_of(convened, excused_categories(congress))


def _not_voting(congress: Congress) -> None:
    """The base is fixed once a round is open: the people convened and their categories no longer change."""
    if Round.objects.filter(election__congress=congress).exists():
        raise DomainError(_("Voting has begun: the list of those convened can no longer change."))


# -- elections and candidates ---------------------------------------------------------------------------------


@transaction.atomic
def create_election(congress: Congress, kind: str, seats: int | None, actor) -> Election:
    errors: dict[str, list[str]] = {}
    if kind not in ElectionKind.values:
        errors["kind"] = [_("Choose what is elected.")]
    elif congress.elections.filter(kind=kind).exists():
        errors["kind"] = [_("This election is already set up.")]
    if not seats or seats < 1:
        errors["seats"] = [_("Give the number of seats (1 or more).")]
    elif kind == ElectionKind.SECRETARY and seats != 1:
        errors["seats"] = [_("The secretary is one seat.")]
    if errors:
        raise DomainError(errors)
    return _save(Election(congress=congress, kind=kind, seats=seats), actor, "create")


def _listed(election: Election) -> int:
    return election.candidates.filter(on_list=True).count()


def _check_candidate(election: Election, member: Member) -> None:
    problems = eligibility(election.congress, member)
    if problems:
        raise DomainError({"member": problems})
    if election.candidates.filter(member=member).exists():
        raise DomainError({"member": [_("%(name)s is already nominated.") % {"name": member.full_name}]})
    if election.rounds.exists() and (
        election.closed
        or election.rounds.filter(state=RoundState.COUNTING).exists()
        or election.rounds.order_by("-number").first().result.get("tied")
        or len(elected_so_far(election)) >= election.seats
    ):
        # New names come only for a further round on seats left unfilled (Quyết định 190-QĐ/TW).
        raise DomainError(_("Voting has begun: new names only for a further round on seats left unfilled."))


def _check_surplus(election: Election, adding: int = 1) -> None:
    if election.rounds.exists():
        return  # a further round's list is checked against the seats left (further_round)
    _check_list_size(election, adding)


def _check_list_size(election: Election, adding: int) -> None:
    values = rules_on(election.congress.starts_on)
    limit = counting.surplus_limit(election.seats, share(values, "congress.surplus_threshold"))
    if _listed(election) + adding > limit:
        raise DomainError(
            {
                "member": [
                    _(
                        "The list would have %(n)s candidates for %(seats)s seats: at most %(limit)s "
                        "(%(share)s over the seats)."
                    )
                    % {
                        "n": _listed(election) + adding,
                        "seats": election.seats,
                        "limit": limit,
                        "share": values["congress.surplus_threshold"],
                    }
                ]
            }
        )


def _lock(election: Election) -> Election:
    return Election.objects.select_for_update().select_related("congress").get(pk=election.pk)


@transaction.atomic
def propose(election: Election, member: Member, actor) -> Candidate:
    """A candidate proposed by the outgoing committee: on the list within the surplus limit."""
    election = _lock(election)
    _check_candidate(election, member)
    _check_surplus(election)
    candidate = Candidate(
        election=election, member=member, source=Source.OUTGOING, position=election.candidates.count() + 1
    )
    return _save(candidate, actor, "propose")


@transaction.atomic
def nominate(election: Election, member: Member, source: str, consent: int, present: int, actor) -> Candidate:
    """A nomination from the floor or a self-nomination, with the congress's vote on it: on the list when more
    than the rule set's share of those present agree (then within the surplus limit); otherwise recorded as
    not entering the list."""
    election = _lock(election)
    errors: dict[str, list[str]] = {}
    if source not in (Source.FLOOR, Source.SELF):
        errors["source"] = [_("Choose a nomination from the floor or a self-nomination.")]
    if present is None or present < 1:
        errors["present"] = [_("Give the number of those present (1 or more).")]
    elif consent is None or not 0 <= consent <= present:
        errors["consent"] = [_("Those agreeing are between 0 and those present.")]
    if errors:
        raise DomainError(errors)
    _check_candidate(election, member)
    threshold = share(rules_on(election.congress.starts_on), "congress.nomination_threshold")
    enters = counting.nomination_enters(consent, present, threshold)
    if enters:
        _check_surplus(election)
    candidate = Candidate(
        election=election,
        member=member,
        source=source,
        consent=consent,
        present=present,
        on_list=enters,
        position=election.candidates.count() + 1,
    )
    return _save(candidate, actor, "nominate")


# -- rounds ---------------------------------------------------------------------------------------------------


def _open_round(election: Election, seats: int, candidates: list[Candidate], reason: str, actor) -> Round:
    base_now = base(election.congress)
    if base_now.size < 1:
        raise DomainError(_("No one is in the base: convene the members or add the delegates first."))
    number = (election.rounds.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    round_ = Round(
        election=election,
        number=number,
        seats=seats,
        reason=reason,
        convened=base_now.convened,
        base=base_now.size,
        excluded=[{"delegate": p.delegate_id, "name": p.name, "excused": p.excused} for p in base_now.excluded],
    )
    _save(round_, actor, "open")
    round_.candidates.set(candidates)
    return round_


@transaction.atomic
def open_first_round(election: Election, actor) -> Round:
    """Voting begins on the list: the base is taken now and stays with the round."""
    election = _lock(election)
    if election.rounds.exists():
        raise DomainError(_("The first round is already open."))
    listed = list(election.candidates.filter(on_list=True))
    if not listed:
        raise DomainError(_("The list of candidates is empty."))
    _check_surplus(election, adding=0)
    return _open_round(election, election.seats, listed, "", actor)


def elected_so_far(election: Election) -> list[int]:
    """Candidate ids elected in the announced rounds, in order."""
    elected: list[int] = []
    for round_ in election.rounds.filter(state=RoundState.ANNOUNCED).order_by("number"):
        elected += round_.result.get("elected", [])
    return elected


@transaction.atomic
def further_round(election: Election, actor, candidates: list[Candidate] | None = None) -> Round:
    """After an announced round: among the tied when there was a tie at the last seat (the rule set's default);
    otherwise, for the seats left unfilled, when the congress decides, with the candidates it names (not yet
    elected, within the surplus limit over the seats left)."""
    election = _lock(election)
    last = election.rounds.order_by("-number").first()
    if election.closed or last is None:
        raise DomainError(_("There is no round to follow."))
    if last.state != RoundState.ANNOUNCED:
        raise DomainError(_("Announce the round first."))
    result = last.result
    if result.get("tied"):
        tied = list(Candidate.objects.filter(pk__in=result["tied"]))
        return _open_round(election, result["tie_seats"], tied, "tie", actor)
    left = election.seats - len(elected_so_far(election))
    if left <= 0:
        raise DomainError(_("Every seat is filled."))
    chosen = list(candidates or [])
    elected = set(elected_so_far(election))
    if not chosen or any(c.election_id != election.pk or c.pk in elected or not c.on_list for c in chosen):
        raise DomainError({"candidates": [_("Choose candidates on the list who are not elected.")]})
    limit = counting.surplus_limit(left, share(rules_on(election.congress.starts_on), "congress.surplus_threshold"))
    if len(chosen) > limit:
        raise DomainError(
            {"candidates": [_("At most %(limit)s candidates for %(seats)s seats.") % {"limit": limit, "seats": left}]}
        )
    return _open_round(election, left, chosen, "unfilled", actor)


@transaction.atomic
def close_election(election: Election, actor) -> Election:
    """The congress decides to hold no further round (seats may stay unfilled)."""
    election = _lock(election)
    if election.rounds.filter(state=RoundState.COUNTING).exists():
        raise DomainError(_("A round is still being counted."))
    election.closed = True
    return _save(election, actor, "close")
