"""How the party-fee rules (`fees.*`, Quy định 01-QĐ/TW) read on the rules pages: label, help and value, merged
into dangvu.rules.presentation.PRESENTATION (kept apart so that module stays short)."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from django.utils.formats import number_format
from django.utils.translation import gettext, ngettext, pgettext
from django.utils.translation import gettext_lazy as _


def _number(value: Any) -> str:
    return number_format(value, force_grouping=True)


def _percent(share: Any) -> str:
    value = Fraction(str(share)) * 100
    shown = _number(int(value)) if value.denominator == 1 else _number(float(value))
    return f"{shown}%"


def _categories(value: dict) -> str:
    parts = []
    for row in value.values():
        if row.get("exempt"):
            what = pgettext("party fee", "exempt")
        elif "rate" in row:
            base = (
                gettext("of the previous month's amount")
                if row.get("base") == "previous"
                else gettext("of the month's amount")
            )
            what = f"{_percent(row['rate'])} {base}"
        else:
            what = gettext("%(amount)s đồng a month") % {"amount": _number(row.get("amount", 0))}
        parts.append(f"{row.get('label', '')}: {what}")
    return "; ".join(parts)


def _percents(values: list) -> str:
    return ", ".join(f"{_number(v)}%" for v in values) if values else gettext("none")


def _shares(value: dict) -> str:
    from dangvu.orgs.models import OrgKind

    labels = dict(OrgKind.choices)
    return "; ".join(f"{labels.get(kind, kind)}: {_percent(share)}" for kind, share in value.items())


def _years(n: int) -> str:
    return ngettext("%(n)s year of Party membership", "%(n)s years of Party membership", n) % {"n": _number(n)}


def _months(n: int) -> str:
    return ngettext("%(n)s month", "%(n)s months", n) % {"n": _number(n)}


def rows(shown) -> dict:
    """The presentation rows (`shown` is presentation.Shown)."""
    return {
        "fees.categories": shown(
            _("Party fee by category"),
            _(
                "The monthly party fee of each category of member (Regulation 01-QĐ/TW): a rate of the previous "
                "month's insured salary, of a sickness or maternity benefit or of a pension, or a fixed amount for "
                "students and other members; recipients of a social pension are exempt. The fee is rounded once to "
                "the nearest đồng."
            ),
            _categories,
        ),
        "fees.exempt_party_years": shown(
            _("Exempt from the party fee from"),
            _("Members are exempt from the month they reach this party age (Regulation 01-QĐ/TW)."),
            _years,
        ),
        "fees.reduction_percents": shown(
            _("Reductions of the party fee"),
            _("The reductions the cell may grant on a member's application in hardship (Regulation 01-QĐ/TW)."),
            _percents,
        ),
        "fees.relief_max_months": shown(
            _("Longest exemption or reduction"),
            _("An exemption or reduction on application is granted for at most this long at a time."),
            _months,
        ),
        "fees.removal_unpaid_months": shown(
            _("Months unpaid before a proposal of removal"),
            _(
                "A member who paid nothing for this many months of a year without a good reason is considered by "
                "the cell for a proposal of removal from the list (Regulation 01-QĐ/TW)."
            ),
            _months,
        ),
        "fees.retained_shares": shown(
            _("Share of the party fee kept at each level"),
            _(
                "Each organisation keeps this share of the party fee reaching it and sends the rest to the level "
                "above. The shares are the committee's values, to be checked against the guidance in force."
            ),
            _shares,
        ),
    }
