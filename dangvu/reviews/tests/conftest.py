import datetime as dt

import pytest

from dangvu.reviews import services

OPENED = dt.date(2026, 11, 20)
TIMETABLE = services.Timetable(dt.date(2026, 12, 10), dt.date(2026, 12, 20), dt.date(2026, 12, 31))


@pytest.fixture
def campaign(tree, cast):
    """The 2026 review of committee A (cells C1, C2 and the grassroots cell A2), opened by A's office."""
    return services.open_campaign(tree.a, 2026, OPENED, TIMETABLE, cast.office)
