"""Field rules for a member record; messages are shown to office staff (Vietnamese via i18n)."""

from __future__ import annotations

import datetime as dt
import re

from django.utils.translation import gettext as _

CITIZEN_ID = re.compile(r"^\d{12}$")
CARD_NUMBER = re.compile(r"^\d{6,16}$")


def validate_member_fields(member, today: dt.date) -> list[str]:
    errors: list[str] = []
    if not member.full_name or len(member.full_name.split(" ")) < 2:
        errors.append(_("Full name must have at least a family name and a given name."))
    if member.sex not in ("M", "F"):
        errors.append(_("Sex must be male or female."))
    if member.birth_date is None:
        errors.append(_("Date of birth is required."))
    elif member.birth_date > today:
        errors.append(_("Date of birth cannot be in the future."))
    elif member.birth_date.year < 1900:
        errors.append(_("Date of birth is not plausible."))
    if member.citizen_id and not CITIZEN_ID.match(member.citizen_id):
        errors.append(_("Citizen ID must have exactly 12 digits."))
    if getattr(member, "card_number", None) and not CARD_NUMBER.match(member.card_number):
        errors.append(_("Party card number must have 6 to 16 digits."))
    return errors
