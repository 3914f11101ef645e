import pytest

from dangvu.testing import keep_alert_sources


@pytest.fixture(autouse=True)
def _admission_and_transfer_alerts_only(monkeypatch):
    """These tests are about the admission, probation and transfer deadlines (dangvu.alerts.sources);
    the meeting sources are tested in dangvu/meetings/tests/test_notify_and_alerts.py."""
    keep_alert_sources(monkeypatch, "dangvu.alerts.sources")
