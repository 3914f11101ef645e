from __future__ import annotations

from django.conf import settings

from dangvu.accounts.scope import has_capability
from dangvu.inspection.access import may_read_suggestions


def languages(request) -> dict:
    """The language switch's choices, each named in itself and untranslated ("English" in the
    Vietnamese UI; Django's {% get_available_languages %} would translate it to "Tiếng Anh")."""
    return {"site_languages": settings.LANGUAGES}


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    caps = [
        "dashboard.view",
        "orgs.view",
        "members.view",
        "members.import",
        "orgs.reorganise",
        "admission.view",
        "transfers.manage",
        "alerts.view",
        "meetings.view",
        "reviews.view",
        "discipline.view",
        "inspection.view",
        "letters.view",
        "register.view",
        "targets.view",
        "study.view",
        "fees.view",
        "rules.view",
        "accounts.two_factor",
    ]
    can = {cap.replace(".", "_"): has_capability(user, cap) for cap in caps}
    # The addressee of a review suggestion (a cell secretary, a member) reads it without the inspection pages.
    can["suggestions_received"] = not can["inspection_view"] and may_read_suggestions(user)
    return {"can": can}
