"""Grade-distribution benchmark (issue 11): the members' grades of one year for a 150,000-member city on
PostgreSQL, through dangvu.reviews.stats.distribution (the function of the pages, the API and exports).

Run (the database is created if missing; the world is built once and reused, as bench/city.py):
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/dv_review_bench .venv/bin/python bench/reviews.py

Opens the year's review over the city root through dangvu.reviews.services.open_campaign (one review per
member, with its history row), then sets decided grades in seed 003's proportions directly in SQL (a
benchmark fixture: the decision path is tested elsewhere), and measures p50/p95 of the distribution for
the city root, with and without lineage, and for one committee. Budget: ≤ 500 ms. Writes
bench/results/reviews.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangvu.settings")
os.environ.setdefault("DANGVU_TWO_FACTOR", "0")
os.environ.setdefault("DANGVU_DATA_DIR", "/tmp/dangvu-bench")

BUDGET_MS = 500.0
YEAR = 2025


def prepare() -> int:
    """The 2025 review of the city, decided (once; reused afterwards). Returns the reviews."""
    from django.db import connection

    from dangvu.accounts.models import User
    from dangvu.orgs.models import Organisation
    from dangvu.reviews import services
    from dangvu.reviews.models import Campaign, Review

    root = Organisation.objects.filter(depth=1).order_by("path").first()
    if not Campaign.objects.filter(year=YEAR, organisation=root).exists():
        office = User.objects.filter(roles__organisation=root).first()
        start = time.perf_counter()
        plan = services.Timetable(dt.date(YEAR, 12, 10), dt.date(YEAR, 12, 20), dt.date(YEAR, 12, 31))
        services.open_campaign(root, YEAR, dt.date(YEAR, 12, 1), plan, office)
        print(f"Opened the {YEAR} review over the city in {time.perf_counter() - start:.1f} s")
        with connection.cursor() as cursor:  # decided grades: 14 % excellent, 78.5 % good, 7 % completed, rest not
            cursor.execute(
                """UPDATE reviews_review SET state = 'decided', grade = CASE
                     WHEN (id * 7919) %% 1000 < 140 THEN 'excellent'
                     WHEN (id * 7919) %% 1000 < 925 THEN 'good'
                     WHEN (id * 7919) %% 1000 < 994 THEN 'completed'
                     ELSE 'not_completed' END
                   WHERE exclusion = '' AND campaign_id = (SELECT id FROM reviews_campaign WHERE year = %s)""",
                [YEAR],
            )
            cursor.execute("ANALYZE reviews_review")
    return Review.objects.filter(campaign__year=YEAR).count()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--members", type=int, default=150_000)
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    from city import build_or_reuse, ensure_database, machine, timed

    ensure_database(os.environ["DATABASE_URL"])
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    build_or_reuse(args.members)
    reviews = prepare()
    from dangvu.orgs.models import Organisation, OrgKind
    from dangvu.reviews import stats

    root = Organisation.objects.filter(depth=1).order_by("path").first()
    committee = Organisation.objects.filter(depth=2, kind=OrgKind.DIRECT).order_by("path").first()
    cases = [
        ("city root, with lineage", lambda _i: stats.distribution(root, YEAR)),
        ("city root, without lineage", lambda _i: stats.distribution(root, YEAR, lineage=False)),
        (f"one committee ({committee.code})", lambda _i: stats.distribution(committee, YEAR)),
    ]
    rows = []
    for label, fn in cases:
        figures = timed(fn, args.rounds)
        rows.append({"what": label, **figures, "ok": figures["p95_ms"] <= BUDGET_MS})
        print(f"{label:35} p50 {figures['p50_ms']:8.1f} ms  p95 {figures['p95_ms']:8.1f} ms  (budget {BUDGET_MS:.0f})")
    combined = stats.distribution(root, YEAR).combined
    result = {
        "command": " ".join(sys.argv),
        "date": dt.date.today().isoformat(),
        "machine": machine(),
        "reviews": reviews,
        "decided": combined.decided,
        "not_reviewed": combined.not_reviewed,
        "rows": rows,
    }
    out = ROOT / "bench" / "results" / "reviews.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False))
    print(f"Written {out}")


if __name__ == "__main__":
    main()
