"""How a vote's threshold is named to people: with the shares of the rule set in force on the meeting's
day (`meeting.majority`, `meeting.qualified`; the same day `services.votes_needed` counts with), never the
default's words. "Quá nửa tổng số người có quyền biểu quyết" under the default rules, "Ít nhất ba phần tư …"
under a rule set whose qualified majority is 3/4.

The stored values (`VoteRule`) keep their names (`two_thirds_members` is "the qualified majority of the
members entitled to vote", whatever its share): they are identifiers of the API, not its text.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext

from dangvu.meetings.models import Meeting, VoteRule
from dangvu.meetings.services import meeting_day
from dangvu.rules.presentation import share_words
from dangvu.rules.registry import rules_on


def label(rule: str, values: dict[str, Any]) -> str:
    """The threshold `rule` as it reads under the rule values `values` (those of one day)."""
    if rule == VoteRule.MAJORITY_OF_MEMBERS:
        return gettext("More than %(share)s of the members entitled to vote") % {
            "share": share_words(values["meeting.majority"])
        }
    if rule == VoteRule.MAJORITY_OF_PRESENT:
        return gettext("More than %(share)s of the voters present") % {"share": share_words(values["meeting.majority"])}
    if rule == VoteRule.TWO_THIRDS_OF_MEMBERS:
        return gettext("At least %(share)s of the members entitled to vote") % {
            "share": share_words(values["meeting.qualified"])
        }
    return str(rule)


def labels(values: dict[str, Any]) -> dict[str, str]:
    """Every threshold's label under the rule values `values` (those of one day)."""
    return {rule: label(rule, values) for rule in VoteRule.values}


def labels_on(day: dt.date) -> dict[str, str]:
    """Every threshold's label under the rule set in force on `day` (one query)."""
    return labels(rules_on(day))


def labels_for(meeting: Meeting) -> dict[str, str]:
    """The thresholds' labels for the votes of `meeting`: the rule set of the meeting's day."""
    return labels_on(meeting_day(meeting))


def choices_for(meeting: Meeting) -> list[tuple[str, str]]:
    """The threshold choices of a vote form for `meeting`, labelled with the shares in force that day."""
    return list(labels_for(meeting).items())
