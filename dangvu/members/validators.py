"""Field rules for a member record (also an admission candidate's identity); messages are shown to office
staff (Vietnamese via i18n), each beside the field it is about."""

from __future__ import annotations

import datetime as dt
import re

from django.utils.translation import gettext as _

from dangvu.members import citizen_id

CARD_NUMBER = re.compile(r"^\d{6,16}$")

# The fields the citizen ID's layout is compared with (dangvu.members.citizen_id): a change to any of them
# checks the ID again.
CITIZEN_ID_FIELDS = frozenset({"citizen_id", "sex", "birth_date"})


def validate_member_fields(member, today: dt.date, *, changed=None) -> dict[str, list[str]]:
    """The problems of `member`'s identity, by field (empty: none). `changed`: the fields being written (None:
    all, a new record); the citizen ID's layout is checked when it, the sex or the date of birth is among them,
    so that an ID stored before the layout was checked does not block an unrelated correction."""
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if not member.full_name or len(member.full_name.split(" ")) < 2:
        add("full_name", _("Full name must have at least a family name and a given name."))
    if member.sex not in ("M", "F"):
        add("sex", _("Sex must be male or female."))
    if member.birth_date is None:
        add("birth_date", _("Date of birth is required."))
    elif member.birth_date > today:
        add("birth_date", _("Date of birth cannot be in the future."))
    elif member.birth_date.year < 1900:
        add("birth_date", _("Date of birth is not plausible."))
    if member.citizen_id and (changed is None or CITIZEN_ID_FIELDS & set(changed)):
        for message in citizen_id.problems(member.citizen_id, sex=member.sex, birth_date=member.birth_date):
            add("citizen_id", message)
    if getattr(member, "card_number", None) and not CARD_NUMBER.match(member.card_number):
        add("card_number", _("Party card number must have 6 to 16 digits."))
    return errors
