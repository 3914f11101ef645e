"""Review suggestions (gợi ý kiểm điểm; issue 12 item 5): a committee sends issues to a subordinate collective
or person for their self-criticism review, and each issue is followed to remediation with evidence. One
transaction per action, audited, refused with the message beside the field and nothing written; recorded by
`inspection.manage` over the sending organisation; the addressee (the member addressed, or a secretary or
leader of the collective addressed) reports what was done on each issue, and the sender confirms the closure
with its evidence (docs/decisions.md, "Issue 12 item 5: the addressee")."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from dangvu.inspection.access import is_addressee
from dangvu.inspection.models import Suggestion, SuggestionIssue
from dangvu.inspection.services import _authorise, _raise, _required, _save, cell_on, under
from dangvu.lib.errors import DomainError
from dangvu.members.models import Member
from dangvu.orgs.models import Organisation


@transaction.atomic
def send(
    *,
    sender: Organisation,
    organisation: Organisation | None = None,
    member: Member | None = None,
    year: int | None,
    sent_on: dt.date | None,
    issues: list[tuple[str, dt.date | None]],
    document_number: str = "",
    actor,
) -> Suggestion:
    """Send the issues (text, deadline) to a collective or a member lying under `sender` on `sent_on`."""
    _authorise(actor, sender)
    if (organisation is None) == (member is None):
        raise DomainError({"organisation": [_("Choose one collective or one member.")]})
    errors: dict[str, list[str]] = {}
    _required(errors, "year", year, _("Give the year."))
    _required(errors, "sent_on", sent_on, _("Give the date it is sent."))
    if not issues:
        errors["issues"] = [_("Give at least one issue.")]
    for text, deadline in issues:
        if not (text or "").strip() or deadline is None:
            errors.setdefault("issues", []).append(_("Each issue needs its text and deadline."))
        elif sent_on and deadline < sent_on:
            errors.setdefault("issues", []).append(_("A deadline cannot precede the sending."))
    _raise(errors)
    addressee = cell_on(member, sent_on) if member else organisation
    if addressee is None or not under(sender, addressee, sent_on):
        raise DomainError({"organisation": [_("The addressee is not under the sending committee on that date.")]})
    suggestion = Suggestion(
        sender=sender,
        organisation=addressee,
        member=member,
        year=year,
        sent_on=sent_on,
        document_number=document_number.strip(),
        recorded_by=actor,
    )
    _save(suggestion, actor, "sent")
    for text, deadline in issues:
        _save(SuggestionIssue(suggestion=suggestion, text=text.strip(), deadline=deadline), actor, "issue")
    return suggestion


@transaction.atomic
def close_issue(issue: SuggestionIssue, *, closed_on: dt.date | None, evidence: str, actor) -> SuggestionIssue:
    issue = SuggestionIssue.objects.select_for_update().select_related("suggestion__sender").get(pk=issue.pk)
    _authorise(actor, issue.suggestion.sender)
    if issue.closed_on:
        raise DomainError(_("This item is already closed."), code="state")
    errors: dict[str, list[str]] = {}
    _required(errors, "evidence", evidence, _("Give the evidence that it was remedied."))
    _required(errors, "closed_on", closed_on, _("Give the date it was remedied."))
    if closed_on and closed_on < issue.suggestion.sent_on:
        errors.setdefault("closed_on", []).append(_("A date cannot precede the sending."))
    _raise(errors)
    issue.closed_on, issue.evidence = closed_on, evidence.strip()
    _save(issue, actor, "remedied")
    return issue


@transaction.atomic
def report_issue(issue: SuggestionIssue, *, reported_on: dt.date | None, report: str, actor) -> SuggestionIssue:
    """The addressee's report of what was done on an open issue, with its date; a later report replaces it
    (the earlier ones stay in the history). Closing stays with the sender."""
    issue = SuggestionIssue.objects.select_for_update().select_related("suggestion__organisation").get(pk=issue.pk)
    if not is_addressee(actor, issue.suggestion):
        raise PermissionDenied
    if issue.closed_on:
        raise DomainError(_("This item is already closed."), code="state")
    errors: dict[str, list[str]] = {}
    _required(errors, "report", report, _("Say what was done to remedy it."))
    _required(errors, "reported_on", reported_on, _("Give the date of the report."))
    if reported_on and reported_on < issue.suggestion.sent_on:
        errors.setdefault("reported_on", []).append(_("A date cannot precede the sending."))
    _raise(errors)
    issue.reported_on, issue.report, issue.reported_by = reported_on, report.strip(), actor
    _save(issue, actor, "reported")
    return issue
