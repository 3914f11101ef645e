import datetime as dt

from dangvu.inspection import services
from dangvu.inspection.models import Kind, Mode, Organ


def plan(org, *, organisations=(), members=(), start=dt.date(2024, 3, 1), end=None, **kw) -> services.Plan:
    return services.Plan(
        organisation=org,
        organ=kw.pop("organ", Organ.INSPECTION),
        kind=kw.pop("kind", Kind.INSPECTION),
        mode=kw.pop("mode", Mode.SIGNS),
        title=kw.pop("title", "Việc chấp hành nguyên tắc tập trung dân chủ"),
        start=start,
        end=end or start + dt.timedelta(days=20),
        team=kw.pop("team", "Trưởng đoàn: Nguyễn Văn Kiểm"),
        organisations=list(organisations),
        members=list(members),
        **kw,
    )


def inspect(org, subjects, start, actor, **kw):
    return services.create_activity(plan(org, organisations=subjects, start=start, **kw), actor)
