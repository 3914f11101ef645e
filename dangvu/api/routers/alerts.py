"""Deadlines due soon or overdue: the same list as the alerts page and the dashboard card
(dangvu.alerts.sources.due_items), within the caller's scope."""

from ninja import Router

from dangvu.alerts.sources import due_items
from dangvu.api.schemas_admission import AlertOut

router = Router(tags=["alerts"])


@router.get("/alerts", summary="Deadlines due soon or overdue", response=list[AlertOut])
def list_alerts(request):
    """Deadlines within `alerts.soon_days` days or already passed, overdue first, then by date: admission
    steps, probation ending, official membership to consider, transfers not acknowledged. Every module's
    items the caller may see; a plain member gets their own items only (their probation, their transfers),
    a user without any role an empty list. Not paginated: the horizon bounds the list."""
    return due_items(request.auth)
