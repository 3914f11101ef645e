"""Targets benchmark (issue 13 acceptance): all indicators of one term for the city-size world (150,000
members) on PostgreSQL, through dangvu.targets.projection.progress — the function of the resolution page, the
dashboard, the API and the reports: each target's result for every year of the term and over the term, with
lineage, its verdicts and its projection.

Run (the database is created if missing; the world is built once and reused, as bench/city.py):
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/dv_targets_bench .venv/bin/python bench/targets.py --rounds 3

Registers (once; reused afterwards) a resolution of the city root for the 2020-2025 term through
dangvu.docregister.services and adds one target per registered indicator through dangvu.targets.services (a
count for a count indicator, a floor for a percentage, a rate for a rate), then measures one round = the
progress of every target, judged on the last day of the term. Budget: a round ≤ 2 s. Also times each
indicator alone, and for the heaviest one replays the SQL its queries sent (captured, then run bare through a
cursor) to give the database's floor and the ratio of the whole to it. Writes bench/results/targets.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangvu.settings")
os.environ.setdefault("DANGVU_TWO_FACTOR", "0")
os.environ.setdefault("DANGVU_DATA_DIR", "/tmp/dangvu-bench")

BUDGET_MS = 2000.0
TITLE = "Nghị quyết Đại hội đại biểu nhiệm kỳ 2020-2025 (benchmark)"
THRESHOLDS = {"count": (Decimal(100), "count"), "percent": (Decimal(90), "floor"), "rate": (Decimal(1), "rate")}


def prepare():
    """The term, an office user of the city root, the resolution and one target per indicator (once)."""
    from dangvu.accounts.models import Role, RoleAssignment, User
    from dangvu.docregister import services as register
    from dangvu.docregister.models import DocType, Document
    from dangvu.orgs.models import Organisation, Term
    from dangvu.targets import indicators, services

    root = Organisation.objects.filter(depth=1).order_by("path").first()
    term, _ = Term.objects.get_or_create(
        code="2020-2025", defaults={"start": dt.date(2020, 10, 1), "end": dt.date(2025, 9, 30)}
    )
    resolution = Document.objects.filter(organisation=root, doc_type=DocType.RESOLUTION, title=TITLE).first()
    if resolution is None:
        office, created = User.objects.get_or_create(username="bench.targets", defaults={"first_name": "Bench"})
        if created:
            RoleAssignment.objects.create(
                user=office, role=Role.OFFICE, organisation=root, valid_from=dt.date(2000, 1, 1)
            )
        entry = register.Entry(root, DocType.RESOLUTION, dt.date(2020, 10, 20), TITLE, term=term)
        resolution = register.register(entry, office)
        for key, indicator in sorted(indicators.REGISTRY.items()):
            threshold, kind = THRESHOLDS[indicator.unit]
            spec = services.TargetSpec(
                text=f"{indicator.label} ({key})",
                kind=kind,
                period="term",
                subject="members",
                source="indicator",
                indicator=key,
                threshold=threshold,
            )
            services.add_target(resolution, spec, office)
        print(f"Registered {resolution.number} with {resolution.targets.count()} targets")
    return term, resolution


def bare_sql_ms(fn, rounds: int) -> tuple[float, float, int]:
    """(whole ms, bare SQL ms, queries): the median over `rounds` of `fn` and of its captured SQL replayed."""
    import statistics

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        fn()
    statements = [q["sql"] for q in captured.captured_queries]
    whole, bare = [], []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        whole.append((time.perf_counter() - start) * 1000)
        start = time.perf_counter()
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
                cursor.fetchall()
        bare.append((time.perf_counter() - start) * 1000)
    return statistics.median(whole), statistics.median(bare), len(statements)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--members", type=int, default=150_000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    from city import build_or_reuse, ensure_database, machine, timed

    ensure_database(os.environ["DATABASE_URL"])
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    load_before = os.getloadavg()
    built = build_or_reuse(args.members)
    term, resolution = prepare()
    from dangvu.members.models import Member
    from dangvu.targets import indicators
    from dangvu.targets.projection import progress

    targets = list(resolution.targets.select_related("scope", "resolution__term", "resolution__organisation"))
    day = term.end
    years = len(range(term.start.year, term.end.year + 1))

    def one_round(_i=0):
        return [progress(target, today=day) for target in targets]

    whole = timed(one_round, args.rounds, warmup=1)
    ok = whole["p95_ms"] <= BUDGET_MS
    print(
        f"All {len(targets)} indicators, {years} years + the term, with lineage: "
        f"p50 {whole['p50_ms']:.1f} ms  p95 {whole['p95_ms']:.1f} ms  (budget {BUDGET_MS:.0f}) {'OK' if ok else 'OVER'}"
    )
    per_indicator = []
    for target in targets:
        figures = timed(lambda _i, t=target: progress(t, today=day), args.rounds, warmup=1)
        found = progress(target, today=day)
        per_indicator.append(
            {
                "indicator": target.indicator,
                "unit": indicators.get(target.indicator).unit,
                "term_value": None if found.to_date is None else str(found.to_date.shown),
                **figures,
            }
        )
        print(f"  {target.indicator:36} p50 {figures['p50_ms']:8.1f} ms  term value {per_indicator[-1]['term_value']}")
    heaviest = max(per_indicator, key=lambda row: row["p50_ms"])
    target = next(t for t in targets if t.indicator == heaviest["indicator"])
    orm_ms, sql_ms, queries = bare_sql_ms(lambda: progress(target, today=day), args.rounds)
    ratio = orm_ms / sql_ms if sql_ms else None
    print(
        f"Heaviest: {heaviest['indicator']}: {orm_ms:.1f} ms through progress(), {sql_ms:.1f} ms for its "
        f"{queries} queries replayed bare (ratio {ratio:.2f})"
    )
    result = {
        "command": " ".join(sys.argv),
        "date": dt.date.today().isoformat(),
        "machine": machine(),
        "load_average_before": load_before,
        "load_average_after": os.getloadavg(),
        "members": Member.objects.count(),
        "world_built_s": None if built is None else round(built, 1),
        "resolution": resolution.number,
        "term": term.code,
        "indicators": len(targets),
        "all_indicators": {**whole, "ok": ok, "budget_ms": BUDGET_MS},
        "per_indicator": per_indicator,
        "heaviest": {
            "indicator": heaviest["indicator"],
            "progress_ms": round(orm_ms, 1),
            "bare_sql_ms": round(sql_ms, 1),
            "queries": queries,
            "ratio": None if ratio is None else round(ratio, 2),
        },
    }
    out = ROOT / "bench" / "results" / "targets.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False))
    print(f"Written {out}")


if __name__ == "__main__":
    main()
