"""The letters rules as data (dangvu.rules.registry, keys `letters.*`): the reasons a letter is not handled,
checked when a rule set is written. A later regulation changes them by a new rule set, never by a code change."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dangvu.lib.errors import DomainError

ANONYMOUS, FALSE_NAME, NO_ADDRESS = "anonymous", "false_name", "no_address"  # models.Signed values
REPEATED, JOINT = "repeated_without_evidence", "joint"
REASONS = {
    ANONYMOUS: gettext_lazy("anonymous"),
    FALSE_NAME: gettext_lazy("under a false name"),
    NO_ADDRESS: gettext_lazy("without an address"),
    REPEATED: gettext_lazy("repeated without new evidence"),
    JOINT: gettext_lazy("signed by several people"),
}


def clean_not_handled(value: Any) -> list:
    if not isinstance(value, list | tuple) or any(code not in REASONS for code in value):
        raise DomainError(
            _("The value of %(rule)s is not readable.") % {"rule": _("the letters not handled")}, code="type"
        )
    return list(dict.fromkeys(value))


def reason_not_handled(values: dict, *, signed: str, signatories: int, repeat: bool, new_evidence: bool) -> str:
    """The first reason of the rule set in force for which the letter is not handled, or ""."""
    refused = values["letters.not_handled"]
    if signed in (ANONYMOUS, FALSE_NAME, NO_ADDRESS) and signed in refused:
        return signed
    if repeat and not new_evidence and REPEATED in refused:
        return REPEATED
    if signatories > 1 and JOINT in refused:
        return JOINT
    return ""
