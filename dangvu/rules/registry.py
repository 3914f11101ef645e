"""Declared rule keys and how to read them.

Modules declare the keys they read here (name, type, meaning, default for the first rule set). The first
rule set is written by a data migration from these defaults; later regulations add rule sets.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ImproperlyConfigured


@dataclass(frozen=True)
class RuleKey:
    name: str
    type: type
    meaning: str
    default: Any
    # A cumulative list holds dated facts (days off announced by the government) rather than a rule:
    # its value is the union over every rule set, whatever their effective dates, so a day off counts
    # for a deadline that started before the rule set announcing it.
    cumulative: bool = False
    # Dotted path of a function checking a structured (dict) value: value -> cleaned value or DomainError
    # (the review forms of dangvu.reviews.forms_rule). Read by dangvu.rules.services.
    clean: str = ""


KEYS: dict[str, RuleKey] = {}


def declare(name: str, type_: type, meaning: str, default: Any, *, cumulative: bool = False, clean: str = "") -> None:
    KEYS[name] = RuleKey(name, type_, meaning, default, cumulative, clean)


# Age limits carry their unit (dangvu.lib.ages): "đủ 18 tuổi đến đủ 60 tuổi (tính theo tháng)", judged at
# the cell's consideration; over the maximum the committee directly under the Central Committee decides.
declare(
    "admission.min_age",
    dict,
    "Minimum age at the cell's consideration, in years, counted in months (Điều lệ Đảng Điều 1; 294-QĐ/TW)",
    {"years": 18, "unit": "month"},
)
declare(
    "admission.max_age",
    dict,
    "Maximum age at the cell's consideration without the approval of the committee directly under the "
    "Central Committee, counted in months (294-QĐ/TW)",
    {"years": 60, "unit": "month"},
)
declare("admission.probation_months", int, "Probation length in months (Điều lệ Đảng, Điều 5)", 12)
declare("admission.certificate_valid_years", int, "Validity (years) of the Party awareness course certificate", 5)
declare(
    "admission.cell_vote_threshold",
    str,
    "Share of the cell's official members who must agree to admission or official membership (Điều lệ Đảng)",
    "2/3",
)
declare(
    "admission.committee_vote_threshold",
    str,
    "Share of the grassroots committee members who must agree (Hướng dẫn 12-HD/BTCTW)",
    "2/3",
)
declare("admission.introducers", int, "Official members who must introduce a candidate (Điều lệ Đảng, Điều 4)", 2)
declare(
    "admission.introducer_min_months",
    int,
    "Months an introducer must have worked with the candidate (Điều lệ Đảng, Điều 4)",
    12,
)
declare("admission.ceremony_working_days", int, "Working days from the admission decision to the ceremony", 30)
declare(
    "admission.official_working_days",
    int,
    "Working days after the end of probation for the cell to consider official membership (Điều lệ Đảng, Điều 5)",
    30,
)
declare(
    "admission.committee_working_days",
    int,
    "Working days for a committee to decide after the resolution below it (Hướng dẫn 12-HD/BTCTW)",
    30,
)
declare(
    "admission.exception_steps",
    list,
    "Admission steps that may be waived with a recorded reason (an audited exception)",
    ["source"],
)
declare(
    "transfer.present_working_days",
    int,
    "Working days for a transferred member to present the introduction letter to the receiving side",
    30,
)
declare("alerts.soon_days", int, "Days ahead in which a deadline is listed as due soon", 30)
declare(
    "calendar.extra_days_off",
    list,
    "Extra days off announced by the government (ISO dates; added up over all rule sets)",
    [],
    cumulative=True,
)
declare(
    "calendar.extra_working_days",
    list,
    "Make-up working days (ISO dates, e.g. a Saturday; added up over all rule sets)",
    [],
    cumulative=True,
)
declare(
    "meeting.quorum",
    str,
    "Share of the members entitled to vote who must be present for a valid meeting (Điều lệ Đảng)",
    "2/3",
)
declare("meeting.majority", str, "A simple majority is more than this share (Điều lệ Đảng, Điều 10)", "1/2")
declare("meeting.qualified", str, "A qualified majority is at least this share", "2/3")
declare("meeting.late_minutes", int, "Minutes after the start after which a check-in counts as late", 15)
declare("meeting.regular_per_month", int, "Regular meetings each cell holds every month", 1)
declare("meeting.thematic_per_year", int, "Thematic meetings each cell holds every year (seed 003)", 2)
declare(
    "meeting.assignee_visits",
    int,
    "Meetings of the organisation in charge that a committee member attends every `meeting.assignee_months`",
    2,
)
declare("meeting.assignee_months", int, "Length (months) of the period for `meeting.assignee_visits` (seed 002)", 6)
declare(
    "meeting.record_past_days",
    int,
    "Days after a meeting during which it may still be recorded (planning an earlier date is refused)",
    30,
)
declare("meeting.reminder_hours", int, "Hours before a meeting when invitees are reminded", 24)
declare(
    "member.badge_years", list, "Party-age years that earn a badge", [30, 40, 45, 50, 55, 60, 65, 70, 75, 80, 85, 90]
)

# Yearly review and classification (dangvu.reviews). Quy định 366-QĐ/TW (30/8/2025) and Hướng dẫn
# 43-HD/BTCTW (31/10/2025); see docs/decisions.md "Issue 11" for what is verified of each value.
_GENERAL = "Phẩm chất chính trị, đạo đức, lối sống; ý thức tổ chức kỷ luật, tác phong, lề lối làm việc"
declare(
    "review.forms",
    dict,
    "Individual review forms (Hướng dẫn 43-HD/BTCTW, Mẫu 2A leaders, 2B members without a leading post, 2C "
    "members outside the political system): their criteria groups and maximum points. The general criteria "
    "are worth 30 of 100 points (Quy định 366-QĐ/TW); the task-results group is the rest (inferred).",
    {
        "2A": {
            "label": "Mẫu 2A – Đảng viên giữ chức vụ lãnh đạo, quản lý",
            "groups": [
                {"code": "general", "label": _GENERAL, "max": 30},
                {
                    "code": "tasks",
                    "label": "Kết quả thực hiện chức trách, nhiệm vụ được giao và kết quả lãnh đạo, quản lý",
                    "max": 70,
                },
            ],
        },
        "2B": {
            "label": "Mẫu 2B – Đảng viên không giữ chức vụ lãnh đạo, quản lý",
            "groups": [
                {"code": "general", "label": _GENERAL, "max": 30},
                {"code": "tasks", "label": "Kết quả thực hiện chức trách, nhiệm vụ được giao", "max": 70},
            ],
        },
        "2C": {
            "label": "Mẫu 2C – Đảng viên không công tác trong hệ thống chính trị",
            "groups": [
                {"code": "general", "label": _GENERAL, "max": 30},
                {
                    "code": "tasks",
                    "label": "Kết quả thực hiện nhiệm vụ đảng viên và nhiệm vụ được chi bộ phân công",
                    "max": 70,
                },
            ],
        },
    },
    clean="dangvu.reviews.forms_rule.clean_forms",
)
declare(
    "review.excellent_points",
    int,
    "Least points for 'completed tasks excellently' (Quy định 366-QĐ/TW, Điều 11: from 90 points)",
    90,
)
declare(
    "review.good_points",
    int,
    "Least points for 'completed tasks well' (Quy định 366-QĐ/TW, Điều 11: 70 to under 90)",
    70,
)
declare(
    "review.completed_points",
    int,
    "Least points for 'completed tasks' (Quy định 366-QĐ/TW, Điều 11: 50 to under 70; the line at 50 is the "
    "civil-service decree's, kept as a rule value)",
    50,
)
declare(
    "review.on_time_threshold",
    str,
    "Share of the year's tasks done on time needed for 'excellent' and for 'good' (Quy định 366-QĐ/TW, Điều 11: 100%)",
    "1",
)
declare(
    "review.exceeded_threshold",
    str,
    "Share of the year's tasks exceeded needed for 'excellent' (Quy định 366-QĐ/TW, Điều 11: at least 30%)",
    "3/10",
)
declare(
    "review.checks",
    list,
    "Limits applied to the cell's proposals and the committee's decision: the excellent quota and the grade of "
    "a member disciplined in the year (rules of Quy định 124-QĐ/TW not verified under 366; on by default)",
    ["excellent_quota", "discipline_cap"],
    clean="dangvu.reviews.forms_rule.clean_checks",
)
declare(
    "review.excellent_quota_threshold",
    str,
    "Members graded 'excellent' at most this share of those graded 'good' or better, per cell and per grassroots "
    "organisation (Quy định 124-QĐ/TW: 20%; not verified under 366)",
    "1/5",
)
declare(
    "review.disciplined_grade",
    str,
    "Grade of a member disciplined in the year under review (Quy định 124-QĐ/TW: not completed; not verified "
    "under 366)",
    "not_completed",
    clean="dangvu.reviews.forms_rule.clean_grade",
)

declare(
    "review.vote_rule",
    str,
    "Vote by which the cell adopts its proposed grades at the review meeting: a decision of a party organisation "
    "needs more than half of its members in favour (Điều lệ Đảng, Điều 10; the vote is a reading, not verified "
    "in Hướng dẫn 43)",
    "majority_members",
    clean="dangvu.reviews.forms_rule.clean_vote_rule",
)


# Discipline (dangvu.discipline). Quy định 69-QĐ/TW (2022) amended by 264-QĐ/TW (2025), Điều lệ Đảng; see
# docs/decisions.md "Issue 12 item 2" for what is verified of each value (domain.md: the forms, the
# limitation periods and what has none; the authority table and the appeal deadlines are readings).
declare(
    "discipline.forms",
    dict,
    "Discipline forms allowed for official members, probationary members and party organisations (Điều lệ Đảng, "
    "Điều 35; Quy định 69-QĐ/TW); removal from post applies only to one holding a post",
    {
        "official": ["reprimand", "warning", "removal_from_post", "expulsion"],
        "probationary": ["reprimand", "warning"],
        "organisation": ["reprimand", "warning", "dissolution"],
    },
    clean="dangvu.discipline.rule_values.clean_forms",
)
declare(
    "discipline.limitation_years",
    dict,
    "Limitation period (years) from the violation, by form; null: none (Quy định 69-QĐ/TW, Điều 5: reprimand 5, "
    "warning and removal from post 10, none for expulsion and dissolution), restarted by a new violation",
    {"reprimand": 5, "warning": 10, "removal_from_post": 10, "expulsion": None, "dissolution": None},
    clean="dangvu.discipline.rule_values.clean_limitation",
)
declare(
    "discipline.categories",
    dict,
    "Categories of violation; `no_limitation` marks those without a limitation period (internal politics; "
    "national defence, security and foreign affairs: Quy định 69-QĐ/TW, Điều 5)",
    {
        "political_ideology": {"label": "Quan điểm chính trị, chính trị tư tưởng", "no_limitation": False},
        "internal_politics": {"label": "Chính trị nội bộ", "no_limitation": True},
        "defence_security_foreign": {"label": "Quốc phòng, an ninh, đối ngoại", "no_limitation": True},
        "democratic_centralism": {"label": "Nguyên tắc tập trung dân chủ, quy chế làm việc", "no_limitation": False},
        "party_duties": {"label": "Nhiệm vụ đảng viên, sinh hoạt đảng", "no_limitation": False},
        "personnel": {"label": "Công tác tổ chức, cán bộ", "no_limitation": False},
        "economy_finance": {"label": "Quản lý kinh tế, tài chính, tài sản công, đất đai", "no_limitation": False},
        "corruption": {"label": "Tham nhũng, lãng phí, tiêu cực", "no_limitation": False},
        "ethics_lifestyle": {"label": "Đạo đức, lối sống", "no_limitation": False},
        "population_family": {"label": "Chính sách dân số, hôn nhân và gia đình", "no_limitation": False},
        "other": {"label": "Vi phạm khác", "no_limitation": False},
    },
    clean="dangvu.discipline.rule_values.clean_categories",
)
declare(
    "discipline.authority",
    dict,
    "Who may decide each form, by subject (member, committee member, organisation): entries level:organ, the level "
    "relative to the subject (cell, grassroots, above the grassroots organisation, seat = the committee the member "
    "sits on, above_seat) and the organ (committee, standing committee, inspection committee). A reading of Điều lệ "
    "Đảng Điều 36 and Quy định 69-QĐ/TW, not verified row by row",
    {
        "member": {
            "reprimand": [
                "cell:committee",
                "grassroots:committee",
                "grassroots:standing",
                "above:standing",
                "above:inspection",
            ],
            "warning": [
                "cell:committee",
                "grassroots:committee",
                "grassroots:standing",
                "above:standing",
                "above:inspection",
            ],
            "removal_from_post": ["above:standing", "above:inspection"],
            "expulsion": ["grassroots:committee", "above:standing", "above:inspection"],
        },
        "committee_member": {
            "reprimand": ["seat:committee", "above_seat:standing", "above_seat:inspection"],
            "warning": ["seat:committee", "above_seat:standing", "above_seat:inspection"],
            "removal_from_post": ["above_seat:standing", "above_seat:inspection"],
            "expulsion": ["above_seat:standing", "above_seat:inspection"],
        },
        "organisation": {
            "reprimand": ["above:committee", "above:standing", "above:inspection"],
            "warning": ["above:committee", "above:standing", "above:inspection"],
            "dissolution": ["above:committee", "above:standing"],
        },
    },
    clean="dangvu.discipline.rule_values.clean_authority",
)
declare(
    "discipline.appeal_months",
    int,
    "Months after receiving a discipline decision within which the member or organisation may appeal "
    "(Điều lệ Đảng, Điều 39: one month; not verified against the 2025 regulations)",
    1,
)
declare(
    "discipline.appeal_working_days",
    int,
    "Working days for the higher body to settle an appeal against a discipline decision (a reading, not verified)",
    90,
)
declare(
    "discipline.state_notice_days",
    int,
    "Days within which a state body that disciplines a member notifies the member's party organisation",
    5,
)

# Letters (dangvu.letters): domain.md "Denunciation and feedback letters"; see docs/decisions.md "Issue 12 items
# 3 and 4" for what is verified of each value.
declare(
    "letters.not_handled",
    list,
    "Letters not handled (archived with the reason at screening): anonymous, under a false name, without an address, "
    "repeated without new evidence (domain.md, after Quy định 296-QĐ/TW); `joint` (signed by several people) is an "
    "option a rule set may add",
    ["anonymous", "false_name", "no_address", "repeated_without_evidence"],
    clean="dangvu.letters.rules.clean_not_handled",
)
declare(
    "letters.deadline_working_days",
    int,
    "Working days to settle a letter from its acceptance, at province level and below (domain.md: 90; 180 at "
    "central level)",
    90,
)
declare(
    "letters.extension_max_working_days",
    int,
    "Longest single extension of the deadline, in working days, notified to the sender (domain.md: one extension "
    "of at most 30 days; read as working days, not verified)",
    30,
)

declare(
    "review.org_forms",
    dict,
    "Review form of collectives and party organisations (Hướng dẫn 43-HD/BTCTW, Mẫu 01): its criteria groups and "
    "maximum points out of 100 (the groups and their split are inferred from the guidance's headings, not verified)",
    {
        "01": {
            "label": "Mẫu 01 – Tập thể, tổ chức đảng",
            "groups": [
                {"code": "leadership", "label": "Kết quả lãnh đạo thực hiện nhiệm vụ chính trị được giao", "max": 40},
                {
                    "code": "building",
                    "label": "Công tác xây dựng Đảng về chính trị, tư tưởng, đạo đức, tổ chức và cán bộ",
                    "max": 30,
                },
                {"code": "inspection", "label": "Công tác kiểm tra, giám sát và kỷ luật đảng", "max": 15},
                {"code": "unity", "label": "Đoàn kết nội bộ; khắc phục hạn chế, khuyết điểm đã chỉ ra", "max": 15},
            ],
        }
    },
    clean="dangvu.reviews.forms_rule.clean_forms",
)
declare(
    "review.org_late_threshold",
    str,
    "Share of a collective's tasks that may be late for 'completed tasks' (Quy định 366-QĐ/TW, Điều 11: at most 20%)",
    "1/5",
)

declare(
    "review.periods",
    list,
    "Periods a review campaign may be opened for: the year, the term (Quy định 366-QĐ/TW: yearly and per term; "
    "quarterly or when needed are not campaigns of this module)",
    ["year", "term"],
    clean="dangvu.reviews.forms_rule.clean_periods",
)
declare("review.term_years", int, "Longest term a term review covers, in years (a party congress term: 5)", 5)

declare(
    "target.nearly_percent",
    int,
    "A target not met is 'Gần đạt' (nearly met) when the result reaches this percent of it (no regulation fixes "
    "the margin: read from seed 003's appendices, where 'trên 95%' against a 100% target is 'Gần đạt'; not "
    "verified)",
    95,
)
declare(
    "target.exceed_percent",
    int,
    "A met target is 'Vượt' (exceeded) from this percent of it, 'Đạt và vượt' above 100% and under it (no "
    "regulation fixes the line; seed 003's appendices call 117% 'Vượt' and 115% 'Đạt và vượt' in different "
    "predecessors' reports; not verified)",
    120,
)
declare(
    "target.warning_percent",
    int,
    "Early warning on a resolution target (issue 13 item 7): while the term runs, a target whose result projected "
    "to the end of the term at the pace so far reaches less than this percent of it is warned about on the "
    "dashboard and in the alerts (no regulation fixes it; in force from the first rule set; the committee sets "
    "its own)",
    100,
)


# Congresses and elections (dangvu.congress): Quyết định 190-QĐ/TW (10/10/2024), which keeps the rules of
# Quyết định 244-QĐ/TW (2014) on elections in the Party; domain.md "Congress and elections".
declare(
    "congress.surplus_threshold",
    str,
    "Candidates on an election's list at most this share over the seats (Quyết định 190-QĐ/TW: số dư không quá 30%)",
    "3/10",
)
declare(
    "congress.nomination_threshold",
    str,
    "A person nominated from the floor or self-nominated enters the list with the consent of more than this share of "
    "those present (Quyết định 190-QĐ/TW)",
    "3/10",
)
declare(
    "congress.majority_threshold",
    str,
    "Elected with more than this share of the base (Quyết định 190-QĐ/TW: quá một nửa so với tổng số được triệu tập)",
    "1/2",
)
declare(
    "congress.tie_rule",
    str,
    "Tie at the last seat: 'further_round' (a further round among the tied) or 'eldest' (the eldest of the tied). The "
    "regulation's text on ties is not verified: a rule-set option, default a further round",
    "further_round",
    clean="dangvu.congress.rules.clean_tie_rule",
)
declare(
    "congress.excused_members",
    list,
    "Categories taken out of the base of a members' congress (Quyết định 190-QĐ/TW): temporarily attached elsewhere, "
    "exempt and absent, suspended, prosecuted or detained, absent throughout with an approved reason",
    ["away", "exempt_absent", "suspended", "prosecuted", "absent_approved"],
    clean="dangvu.congress.rules.clean_excused",
)
declare(
    "congress.excused_delegates",
    list,
    "Categories taken out of the base of a delegates' congress (Quyết định 190-QĐ/TW): official delegates absent "
    "throughout with no alternate",
    ["absent_no_alternate"],
    clean="dangvu.congress.rules.clean_excused",
)

# Party fees (dangvu.fees): Quy định 01-QĐ/TW of the Politburo (3/2/2026, applied from 1/2/2026, replacing
# Quyết định 342-QĐ/TW of 2010). The values below are 01's; the data migration fees/0002 records them as the
# rule set of 01/02/2026. See docs/decisions.md "Issue 15 item 4" for what is verified of each value.
declare(
    "fees.categories",
    dict,
    "Monthly party fee by category of member (Quy định 01-QĐ/TW, Điều 3): `rate` of a base amount (`base`: the "
    "previous month's insured salary, or the same month's benefit or pension) or a fixed `amount` in đồng; "
    "`exempt` for recipients of a social pension (Điều 5). Verified: 1% of the previous month's insured salary, "
    "1% of a sickness or maternity benefit, 0.5% of a pension, 5,000 đ for students; the amount of the other "
    "members is not verified (a committee's value)",
    {
        "insured": {"label": "Tham gia bảo hiểm xã hội bắt buộc", "rate": "1/100", "base": "previous"},
        "benefit": {"label": "Nghỉ ốm đau, thai sản hưởng trợ cấp bảo hiểm xã hội", "rate": "1/100", "base": "same"},
        "pension": {"label": "Hưởng lương hưu", "rate": "1/200", "base": "same"},
        "student": {"label": "Học sinh, sinh viên", "amount": 5000},
        "social_pension": {"label": "Hưởng trợ cấp hưu trí xã hội", "exempt": True},
        "other": {"label": "Đảng viên khác trong nước", "amount": 10000},
    },
    clean="dangvu.fees.rules.clean_categories",
)
declare(
    "fees.exempt_party_years",
    int,
    "Members with at least this party age are exempt from the fee, from the month they reach it (Quy định "
    "01-QĐ/TW, Điều 5: 50 years)",
    50,
)
declare(
    "fees.reduction_percents",
    list,
    "Reductions the cell may grant on application to a member in hardship, in percent (Quy định 01-QĐ/TW, "
    "Điều 5: 30%, 50%, 70%)",
    [30, 50, 70],
    clean="dangvu.fees.rules.clean_percents",
)
declare(
    "fees.relief_max_months",
    int,
    "Longest exemption or reduction granted at one time, in months (Quy định 01-QĐ/TW, Điều 5: 12 months)",
    12,
)
declare(
    "fees.removal_unpaid_months",
    int,
    "Months of a calendar year without paying after which the cell considers proposing removal from the list "
    "(Quy định 01-QĐ/TW, Điều 2: three months in a year without good reason)",
    3,
)
declare(
    "fees.retained_shares",
    dict,
    "Share of the party fee reaching an organisation that it keeps, by kind of organisation; the rest goes to the "
    "organisation above it (Quy định 01-QĐ/TW, Điều 4; the shares are not verified: a committee's values)",
    {
        "cell": "3/10",
        "grassroots_cell": "1/2",
        "sub_committee": "0",
        "grassroots_committee": "1/2",
        "direct": "1/2",
        "provincial": "1/2",
        "central": "1",
    },
    clean="dangvu.fees.rules.clean_shares",
)


class RuleBook:
    """All rule sets read once (one query): the values in force on any number of dates without further
    queries. For pages and lists that need the rules of many dates (deadlines of many records)."""

    def __init__(self, stored: list[tuple[dt.date, dict]]):
        self._stored = sorted(stored, key=lambda row: row[0])
        self._cache: dict[int, dict[str, Any]] = {}
        cumulative = {}
        for key in (k for k in KEYS.values() if k.cumulative):
            merged = list(key.default)
            for _day, values in self._stored:
                merged += [v for v in values.get(key.name, []) if v not in merged]
            cumulative[key.name] = sorted(merged, key=str)
        self._cumulative = cumulative

    @classmethod
    def load(cls) -> RuleBook:
        from dangvu.rules.models import RuleSet

        return cls(list(RuleSet.objects.order_by("effective_from").values_list("effective_from", "values")))

    def on(self, day: dt.date) -> dict[str, Any]:
        in_force = sum(1 for start, _values in self._stored if start <= day)  # rule sets in force that day
        if in_force not in self._cache:
            values = {key.name: key.default for key in KEYS.values()}
            for _start, stored in self._stored[:in_force]:
                values.update({k: v for k, v in stored.items() if k in KEYS})  # newer override older
            values.update(self._cumulative)
            self._cache[in_force] = values
        return dict(self._cache[in_force])


def rules_on(on: dt.date | None = None) -> dict[str, Any]:
    """Every declared rule's value in force on `on`, in one query."""
    from django.utils import timezone

    return RuleBook.load().on(on or timezone.localdate())


def rule(name: str, on: dt.date | None = None) -> Any:
    """Value of rule `name` in force on `on` (today by default)."""
    if name not in KEYS:
        raise ImproperlyConfigured(f"Rule {name!r} is not declared in dangvu.rules.registry")
    return rules_on(on)[name]
