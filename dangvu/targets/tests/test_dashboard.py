"""The targets dashboard (issue 13 item 7): the SVG charts parsed back with hand-computed bar heights and
labels, the early warning at its rule-set boundary (on the page, in /alerts/ and on the leader's dashboard),
the subordinates lagging behind, and who may open the page."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from decimal import Decimal
from fractions import Fraction

import pytest
from django.urls import reverse
from django.utils import translation

from dangvu import testing
from dangvu.docregister import services as register
from dangvu.docregister.tests.conftest import entry, terms  # noqa: F401  (fixture)
from dangvu.members.models import Member, Status
from dangvu.rules.models import RuleSet
from dangvu.targets import charts, dashboard, indicators, services
from dangvu.targets.alerts import TARGET_WARNING, target_warnings
from dangvu.targets.verdicts import Verdict
from dangvu.web.tests.test_no_inline_styles import inline_code

pytestmark = pytest.mark.django_db
SVG = "{http://www.w3.org/2000/svg}"

# Term 2020-2025: 01/10/2020 – 30/09/2025 = 1826 days; to 01/04/2023: 913 days, half the term, so a count
# projected to the end of the term is twice the count so far.
DAY = dt.date(2023, 4, 1)


@pytest.fixture
def resolution(tree, cast, terms):  # noqa: F811
    # Admissions in C1 (under A): 2021 twice, 2022 once, 2023 once (01/03/2023): 4 by DAY, projected 8.
    for day in (dt.date(2021, 3, 1), dt.date(2021, 6, 1), dt.date(2022, 3, 1), dt.date(2023, 3, 1)):
        testing.member(tree.c1, admitted=day, official=False)
    return register.register(entry(tree.a, date=dt.date(2020, 10, 20), title="Nghị quyết Đại hội"), cast.office)


def add(resolution, cast, **kw):
    values = {
        "text": "Kết nạp đảng viên mới.",
        "kind": "count",
        "period": "term",
        "subject": "members",
        "source": "indicator",
        "indicator": "admission.admissions",
        "threshold": Decimal(8),
    }
    return services.add_target(resolution, services.TargetSpec(**(values | kw)), cast.office)


def parse(markup: str) -> ET.Element:
    return ET.fromstring(str(markup))


# --- Charts -----------------------------------------------------------------------------------------------


def test_the_axis_top_is_the_next_round_number():
    cases = {"0": "1", "0.3": "0.5", "2": "2", "2.2": "2.5", "3": "5", "7.5": "10", "95": "100", "101": "200"}
    for largest, top in cases.items():
        assert charts.axis_top(Decimal(largest)) == Decimal(top), largest
    assert charts.axis_top(Decimal(621)) == 1000


def test_a_bar_chart_parsed_back():
    with translation.override("en"):
        svg = parse(
            charts.bar_chart(
                "c",
                "Tỷ lệ",
                [("2021", Decimal(40)), ("2022", None), ("2023", Decimal("62.5"))],
                line=Decimal(95),
                unit="%",
            )
        )
    assert svg.get("role") == "img" and svg.get("aria-labelledby") == "c-title c-desc"
    assert svg.find(f"{SVG}title").text == "Tỷ lệ"
    assert svg.find(f"{SVG}desc").text == "2021: 40%; 2022: —; 2023: 62.5%; target 95%"
    assert svg.get("data-top") == "100"  # 95 is the largest: the axis goes to 100, the plot is 100 high
    # Slots of 260/3 wide from x=44, bars 60% of a slot (52); the base line at y=112.
    bars = svg.findall(f"{SVG}g[@class='chart-bars']/{SVG}rect")
    assert [(b.get("data-label"), b.get("height"), b.get("y"), b.get("width")) for b in bars] == [
        ("2021", "40", "72", "52"),
        ("2023", "62.5", "49.5", "52"),
    ]
    assert bars[0].get("x") == "61.33"  # 44 + 86.67/2 - 26
    assert bars[1].find(f"{SVG}title").text == "2023: 62.5%"
    labels = [t.text for t in svg.findall(f"{SVG}g[@class='chart-bars']/{SVG}text[@class='chart-x']")]
    assert labels == ["2021", "2022", "2023"]
    ticks = [t.text for t in svg.findall(f"{SVG}g[@class='chart-axis']/{SVG}text")]
    assert ticks == ["0%", "50%", "100%"]
    line = svg.find(f"{SVG}g[@class='chart-target']/{SVG}line")
    assert (line.get("y1"), line.get("y2"), line.get("data-value")) == ("17", "17", "95")
    assert line.find(f"{SVG}title").text == "Target: 95%"


def test_text_is_escaped():
    svg = parse(charts.bar_chart("c", 'a < b & "c"', [("<x>", Decimal(1))]))
    assert svg.find(f"{SVG}title").text == 'a < b & "c"'
    assert svg.find(f"{SVG}g/{SVG}rect").get("data-label") == "<x>"


def test_the_dashboard_charts_each_year(cast, resolution):
    term = add(resolution, cast)
    yearly = add(resolution, cast, kind="floor", period="year", threshold=Decimal(3), text="Mỗi năm kết nạp 3.")
    rows = {r.target.pk: r for r in dashboard.build(resolution.organisation, resolution.term, DAY)}
    # A term target on a count: each year's count, no target line; the axis top is 2 (the largest year).
    svg = parse(rows[term.pk].chart)
    heights = {b.get("data-label"): b.get("height") for b in svg.iter(f"{SVG}rect")}
    assert heights == {"2020": "0", "2021": "100", "2022": "50", "2023": "50"}
    assert svg.find(f"{SVG}g[@class='chart-target']") is None
    # A yearly floor of 3: the line at 3 on an axis to 5 (y = 112 - 60); 2021's 2 is 40 high.
    svg = parse(rows[yearly.pk].chart)
    heights = {b.get("data-label"): b.get("height") for b in svg.iter(f"{SVG}rect")}
    assert heights == {"2020": "0", "2021": "40", "2022": "20", "2023": "20"}
    assert svg.find(f"{SVG}g[@class='chart-target']/{SVG}line").get("y1") == "52"
    # Progress bars: the term to date 4/8 = 50%; the yearly target's latest year (2023) 1/3 = 33.3%.
    assert (rows[term.pk].current.label, rows[term.pk].bar_percent) == ("2020-2025", Decimal("50.0"))
    assert rows[term.pk].current.verdict == Verdict.NOT_MET
    assert (rows[yearly.pk].current.label, rows[yearly.pk].bar_percent) == ("2023", Decimal("33.3"))


# --- Early warnings at the rule's line --------------------------------------------------------------------


def test_the_warning_at_the_line_of_the_rule_set(cast, resolution):
    met = add(resolution, cast)  # projected 8 of 8: 100%, not under the line of 100
    short = add(resolution, cast, threshold=Decimal(10), text="Kết nạp 10 đảng viên.")  # 8 of 10: 80%
    rows = {r.target.pk: r for r in dashboard.build(resolution.organisation, resolution.term, DAY)}
    assert rows[met.pk].progress.projection.value == Fraction(8)
    assert rows[met.pk].warning == ""
    with translation.override("en"):
        rows = {r.target.pk: r for r in dashboard.build(resolution.organisation, resolution.term, DAY)}
    assert rows[short.pk].warning == (
        "At this pace the target “Kết nạp 10 đảng viên.” will reach 80% by the end of the term."
    )
    with translation.override("vi"):
        rows = {r.target.pk: r for r in dashboard.build(resolution.organisation, resolution.term, DAY)}
    assert rows[short.pk].warning == (
        "Với nhịp độ hiện nay, chỉ tiêu “Kết nạp 10 đảng viên.” sẽ đạt 80% vào cuối nhiệm kỳ."
    )
    # A rule set putting the line at 80 (effective before DAY): 80% is not under it; at 81 it is.
    rules = RuleSet.objects.create(effective_from=dt.date(2023, 1, 1), name="Ngưỡng cảnh báo", values={})
    for line, warned in ((80, False), (81, True)):
        rules.values = {"target.warning_percent": line}
        rules.save()
        rows = {r.target.pk: r for r in dashboard.build(resolution.organisation, resolution.term, DAY)}
        assert bool(rows[short.pk].warning) is warned, line
        assert rows[met.pk].warning == ""


def test_no_warning_once_the_term_is_over(cast, resolution):
    short = add(resolution, cast, threshold=Decimal(10))
    rows = dashboard.build(resolution.organisation, resolution.term, dt.date(2026, 1, 5))
    assert rows[0].target == short and rows[0].progress.projection.share == Fraction(4, 10)
    assert rows[0].warning == ""
    assert target_warnings(cast.leader, dt.date(2026, 1, 5), dt.date(2026, 1, 20)) == []


def test_warnings_are_alerts_for_the_office_and_the_leader_in_scope(client, cast, resolution, monkeypatch):
    testing.keep_alert_sources(monkeypatch, "dangvu.targets.alerts")
    short = add(resolution, cast, threshold=Decimal(10))
    add(resolution, cast, threshold=Decimal(8), text="Đúng nhịp.")
    for user in (cast.office, cast.leader):
        found = target_warnings(user, DAY, DAY + dt.timedelta(days=10))
        assert [(a.kind, a.object_id, a.due, a.overdue) for a in found] == [
            (TARGET_WARNING, short.pk, dt.date(2025, 9, 30), False)
        ]
        assert "80%" in found[0].detail
    for user in (cast.outsider, cast.secretary, cast.member, cast.nobody):
        assert target_warnings(user, DAY, DAY) == [], user.username
    # On /alerts/ and on the leader's dashboard (today inside the term: the clock at DAY).
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: DAY)
    client.force_login(cast.leader)
    page = client.get(reverse("alerts:list")).content.decode()
    assert f'data-kind-filter="{TARGET_WARNING}"' in page and "80%" in page
    home = client.get("/")
    section = home.context["leader"][0]
    assert [a.object_id for a in section.target_warnings] == [short.pk]
    html = home.content.decode()
    assert 'id="leader-targets-link"' in html and section.targets_url in html.replace("&amp;", "&")
    client.force_login(cast.outsider)
    assert "80%" not in client.get(reverse("alerts:list")).content.decode()


# --- Subordinates lagging behind --------------------------------------------------------------------------


@pytest.fixture
def women_share(monkeypatch):
    """A share computed for a subtree: women among the party members (counted by hand in the test)."""

    def compute(org, start, end, lineage):
        members = Member.objects.filter(org_path__startswith=org.path, status__in=Status.in_party())
        return [indicators.Value(org, members.filter(sex="F").count(), members.count())]

    indicator = indicators.Indicator("test.women", "Nữ", indicators.PERCENT, "members", compute)
    monkeypatch.setitem(indicators.REGISTRY, "test.women", indicator)
    return indicator


def test_the_subordinates_under_the_line_are_listed(cast, tree, people, resolution, women_share):
    # Under A: A1 (C1: An, Bình (F), the 4 admitted men; C2: Đức) = 1/7; A2 with one woman = 1/1.
    testing.member(tree.a_cell_base, "Hoàng Thị Giang", sex="F")
    target = add(resolution, cast, kind="floor", period="term", indicator="test.women", threshold=Decimal(50))
    (row,) = dashboard.build(resolution.organisation, resolution.term, DAY)
    assert row.current.value == Fraction(2 * 100, 8)  # A: 2 women of 8 = 25%
    assert [(lag.organisation, lag.evaluation.value, lag.evaluation.verdict) for lag in row.lagging] == [
        (tree.a_base, Fraction(100, 7), Verdict.NOT_MET)
    ]
    assert row.lagging[0].evaluation.percent == Decimal("28.6")  # 14.29 / 50
    # A count is not judged per subordinate (no share of the whole's threshold is allotted to them).
    counted = add(resolution, cast)
    rows = {r.target.pk: r for r in dashboard.build(resolution.organisation, resolution.term, DAY)}
    assert rows[counted.pk].lagging == [] and rows[target.pk].lagging


# --- The page ---------------------------------------------------------------------------------------------


def test_who_opens_the_dashboard(client, cast, tree, resolution, monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: DAY)
    short = add(resolution, cast, threshold=Decimal(10))
    url = reverse("targets:dashboard")
    for name in ("office", "leader", "inspector", "admin"):
        client.force_login(getattr(cast, name))
        page = client.get(url, {"organisation": tree.a.pk})
        assert page.status_code == 200, name
        assert page.context["term"] == resolution.term and [r.target for r in page.context["rows"]] == [short]
        html = page.content.decode()
        assert f'id="target-{short.pk}"' in html and "<svg" in html and 'id="progress-' in html, name
        assert f'data-target="{short.pk}"' in html  # the early warning
        assert inline_code(html) == [], name  # the charts' colours come from app.css (the CSP)
    client.force_login(cast.leader)
    assert url in client.get(reverse("targets:index")).content.decode()
    assert client.get(url).context["organisation"] == tree.a  # the scope's organisation with resolutions
    assert client.get(url, {"organisation": tree.b.pk}).status_code == 404
    client.force_login(cast.outsider)
    assert client.get(url, {"organisation": tree.a.pk}).status_code == 404
    assert client.get(url).context["rows"] == []  # B issued no resolution
    client.force_login(cast.secretary)  # C1 only: A's resolution is not in its scope
    assert client.get(url, {"organisation": tree.a.pk}).status_code == 404
    for name in ("member", "nobody"):
        client.force_login(getattr(cast, name))
        assert client.get(url).status_code == 403, name
