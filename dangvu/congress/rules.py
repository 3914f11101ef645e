"""The congress module's rule values (dangvu.rules.registry, keys `congress.*`): the categories taken out of an
election's base and the tie rules, with their labels and the checks the rule set form runs on them."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# Why a person convened is not in the base (Quyết định 190-QĐ/TW). Which of them apply to a congress is rule
# data per kind of congress (`congress.excused_members`, `congress.excused_delegates`).
AWAY = "away"
EXEMPT_ABSENT = "exempt_absent"
SUSPENDED = "suspended"
PROSECUTED = "prosecuted"
ABSENT_APPROVED = "absent_approved"
ABSENT_NO_ALTERNATE = "absent_no_alternate"
EXCUSED = {
    AWAY: gettext_lazy("temporarily attached to another organisation"),
    EXEMPT_ABSENT: gettext_lazy("exempt from activities and absent"),
    SUSPENDED: gettext_lazy("suspended from activities"),
    PROSECUTED: gettext_lazy("prosecuted, indicted or detained"),
    ABSENT_APPROVED: gettext_lazy("absent throughout the congress with an approved reason"),
    ABSENT_NO_ALTERNATE: gettext_lazy("absent throughout the congress with no alternate"),
}
# Categories the office records by hand (the others come from the member records).
RECORDED = (PROSECUTED, ABSENT_APPROVED, ABSENT_NO_ALTERNATE)

FURTHER_ROUND = "further_round"
ELDEST = "eldest"
TIE_RULES = {
    FURTHER_ROUND: gettext_lazy("a further round among the tied"),
    ELDEST: gettext_lazy("the eldest of the tied is elected"),
}


def clean_tie_rule(value: Any) -> str:
    from dangvu.lib.errors import DomainError

    if value not in TIE_RULES:
        raise DomainError(_("Choose among: %(known)s.") % {"known": ", ".join(TIE_RULES)}, code="choice")
    return value


def clean_excused(value: Any) -> list:
    from dangvu.lib.errors import DomainError

    if not isinstance(value, list | tuple) or any(v not in EXCUSED for v in value):
        raise DomainError(_("Choose among: %(known)s.") % {"known": ", ".join(EXCUSED)}, code="choice")
    return [code for code in EXCUSED if code in value]
