from __future__ import annotations

from django.conf import settings

from dangvu.accounts.scope import has_capability


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
        "rules.view",
        "accounts.two_factor",
    ]
    return {"can": {cap.replace(".", "_"): has_capability(user, cap) for cap in caps}}
