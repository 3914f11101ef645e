import datetime as dt

import pytest

from dangvu.docregister import services as register
from dangvu.docregister.tests.conftest import entry, terms  # noqa: F401  (fixture)
from dangvu.study import services
from dangvu.study.services import CampaignSpec, QuestionSpec

CONFERENCE = dt.date(2026, 3, 10)
ENDS = dt.date(2026, 3, 31)
QUIZ = [
    QuestionSpec("Nghị quyết ban hành năm nào?", ["2025", "2026", "2024"], 1),
    QuestionSpec("Chỉ tiêu tỷ lệ học tập?", ["90%", "98%"], 1),
    QuestionSpec("Ai học tập?", ["Đảng viên và quần chúng", "Chỉ cấp ủy"], 0),
    QuestionSpec("Hình thức?", ["Hội nghị", "Không"], 0),
]


@pytest.fixture
def resolution(tree, cast, terms):  # noqa: F811
    return register.register(entry(tree.a, date=dt.date(2026, 2, 2), title="Nghị quyết Đại hội Học-Tập"), cast.office)


def campaign_for(org, resolution, actor, *, conference=CONFERENCE, ends=ENDS, questions=(), pass_mark=75, **kw):
    spec = CampaignSpec(
        organisation=org,
        resolution=resolution,
        title=kw.pop("title", "Học tập Nghị quyết Đại hội"),
        conference_date=conference,
        ends_on=ends,
        pass_mark=pass_mark,
        questions=list(questions),
        **kw,
    )
    return services.create_campaign(spec, actor)
