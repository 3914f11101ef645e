import datetime as dt

import pytest

from dangvu.docregister import services
from dangvu.orgs.models import Term


@pytest.fixture
def terms(db):
    return {
        "2020": Term.objects.create(code="2020-2025", start=dt.date(2020, 10, 1), end=dt.date(2025, 9, 30)),
        "2025": Term.objects.create(code="2025-2030", start=dt.date(2025, 10, 1), end=dt.date(2030, 9, 30)),
    }


def entry(org, doc_type="NQ", date=dt.date(2026, 3, 2), title="Nghị quyết về công tác xây dựng Đảng", **kw):
    return services.Entry(organisation=org, doc_type=doc_type, date=date, title=title, **kw)
