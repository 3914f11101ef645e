"""The party-fee rules as data (dangvu.rules.registry, keys `fees.*`; Quy định 01-QĐ/TW): categories with their
rate or amount, exemptions, reductions, the removal threshold and the shares kept at each level. The structured
values are checked here when a rule set is written; the fee code reads them through `FeeRules`."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from django.utils.translation import gettext as _

from dangvu.lib.errors import DomainError

PREVIOUS, SAME = "previous", "same"  # the base of a rate: the previous month's amount, or the month's own


def _refuse(what: str) -> DomainError:
    return DomainError(_("The value of %(rule)s is not readable.") % {"rule": what}, code="type")


def _fraction(value: Any) -> Fraction:
    share = Fraction(str(value).replace(" ", ""))
    if share < 0 or share > 1:
        raise ValueError(value)
    return share


def clean_categories(value: Any) -> dict:
    what = _("the party fee categories")
    if not isinstance(value, dict) or not value:
        raise _refuse(what)
    cleaned = {}
    for code, row in value.items():
        if not isinstance(code, str) or not code or not isinstance(row, dict) or not str(row.get("label", "")).strip():
            raise _refuse(what)
        out = {"label": str(row["label"]).strip()}
        try:
            if row.get("exempt"):
                out["exempt"] = True
            elif "rate" in row:
                _fraction(row["rate"])
                if row.get("base") not in (PREVIOUS, SAME):
                    raise ValueError(row)
                out.update(rate=str(row["rate"]), base=row["base"])
            else:
                amount = row.get("amount")
                if not isinstance(amount, int) or isinstance(amount, bool) or amount < 0:
                    raise ValueError(row)
                out["amount"] = amount
        except (ValueError, ZeroDivisionError):
            raise _refuse(what) from None
        cleaned[code] = out
    return cleaned


def clean_percents(value: Any) -> list:
    if not isinstance(value, list | tuple) or any(
        not isinstance(v, int) or isinstance(v, bool) or not 0 < v < 100 for v in value
    ):
        raise _refuse(_("the party fee reductions"))
    return sorted(set(value))


def clean_shares(value: Any) -> dict:
    from dangvu.orgs.models import OrgKind

    what = _("the shares of the party fee kept")
    if not isinstance(value, dict) or any(k not in OrgKind.values for k in value):
        raise _refuse(what)
    try:
        return {k: str(_fraction(v)) for k, v in value.items()}
    except (ValueError, ZeroDivisionError):
        raise _refuse(what) from None


@dataclass(frozen=True)
class FeeRules:
    """The fee rules of one day (the rule values in force on the first day of a fee month)."""

    categories: dict[str, dict]
    exempt_party_years: int
    reduction_percents: list[int]
    relief_max_months: int
    removal_unpaid_months: int
    retained_shares: dict[str, str]

    @classmethod
    def of(cls, values: dict[str, Any]) -> FeeRules:
        return cls(
            categories=values["fees.categories"],
            exempt_party_years=values["fees.exempt_party_years"],
            reduction_percents=list(values["fees.reduction_percents"]),
            relief_max_months=values["fees.relief_max_months"],
            removal_unpaid_months=values["fees.removal_unpaid_months"],
            retained_shares=values["fees.retained_shares"],
        )

    def share_kept(self, kind: str) -> Fraction:
        """The share an organisation of `kind` keeps; an organisation kind the rule does not name keeps nothing."""
        return Fraction(self.retained_shares.get(kind, "0"))
