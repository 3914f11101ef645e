"""How each rule key is shown to an office: a label, a help text and a value formatter, per key.

`dangvu.rules.registry` declares what a key *is* (type, default, a developer's note on its source); this
module says how people read it on the rules pages, in the rule set form and in messages (Vietnamese through
the catalogue). Every declared key needs a row in `PRESENTATION` — `tests/test_presentation.py` fails on a
key without one — so a module that declares a key adds its row here in the same change.

Values are written as a user reads them: "18 tuổi", "30 ngày làm việc", dates dd/mm/yyyy, admission steps
by their names, numbers with the language's thousands separator.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from django.utils.formats import number_format
from django.utils.functional import Promise
from django.utils.translation import gettext, ngettext, npgettext, pgettext
from django.utils.translation import gettext_lazy as _

from dangvu.rules import presentation_fees


def number(value: Any) -> str:
    """A number with the active language's thousands separator (2.459 in Vietnamese, 2,459 in English)."""
    return number_format(value, force_grouping=True)


def age(years: int, months: int = 0) -> str:
    """An age in years and months, as messages quote it: "60 tuổi 2 tháng", "18 tuổi"."""
    text = npgettext("age", "%(n)s year", "%(n)s years", years) % {"n": number(years)}
    if months:
        text = gettext("%(years)s %(months)s") % {"years": text, "months": _months(months)}
    return text


def age_limit(value: Any) -> str:
    """An age limit with its unit (dangvu.lib.ages): "18 tuổi, tính theo tháng"."""
    from dangvu.lib.ages import MONTH, AgeLimit

    limit = AgeLimit.of(value)
    if limit.unit == MONTH:
        return gettext("%(age)s, counted in months") % {"age": age(limit.years)}
    return gettext("%(age)s, counted in whole years") % {"age": age(limit.years)}


def _years(n: int) -> str:
    return ngettext("%(n)s year", "%(n)s years", n) % {"n": number(n)}


def _months(n: int) -> str:
    return ngettext("%(n)s month", "%(n)s months", n) % {"n": number(n)}


def _working_days(n: int) -> str:
    return ngettext("%(n)s working day", "%(n)s working days", n) % {"n": number(n)}


def _days(n: int) -> str:
    return ngettext("%(n)s day", "%(n)s days", n) % {"n": number(n)}


def _minutes(n: int) -> str:
    return ngettext("%(n)s minute", "%(n)s minutes", n) % {"n": number(n)}


def _hours(n: int) -> str:
    return ngettext("%(n)s hour", "%(n)s hours", n) % {"n": number(n)}


def _members(n: int) -> str:
    return ngettext("%(n)s official member", "%(n)s official members", n) % {"n": number(n)}


def _meetings(n: int) -> str:
    return ngettext("%(n)s meeting", "%(n)s meetings", n) % {"n": number(n)}


def _share(value: Any) -> str:
    """A share as a fraction (2/3); "0.5" is shown as 1/2."""
    try:
        share = Fraction(str(value).replace(" ", ""))
    except (ValueError, ZeroDivisionError):
        return str(value)
    return f"{share.numerator}/{share.denominator}"


def share_words(value: Any) -> str:
    """A share as a sentence names it ("more than *half*", "at least *two thirds*"): in words for the usual
    shares, as a fraction (3/5) otherwise. For messages that quote a vote threshold of the rule in force."""
    try:
        share = Fraction(str(value).replace(" ", ""))
    except (ValueError, ZeroDivisionError):
        return str(value)
    words = {
        Fraction(1, 2): pgettext("share", "half"),
        Fraction(2, 3): pgettext("share", "two thirds"),
        Fraction(3, 4): pgettext("share", "three quarters"),
    }
    return words.get(share, f"{share.numerator}/{share.denominator}")


def _dates(values: list) -> str:
    shown = []
    for value in values:
        try:
            shown.append(f"{dt.date.fromisoformat(str(value)):%d/%m/%Y}")
        except ValueError:
            shown.append(str(value))
    return ", ".join(shown) if shown else gettext("none")


def _steps(values: list) -> str:
    from dangvu.admission.models import Stage

    labels = dict(Stage.choices)
    return ", ".join(str(labels.get(v, v)) for v in values) if values else gettext("none")


def _party_years(values: list) -> str:
    if not values:
        return gettext("none")
    return gettext("%(years)s years of Party membership") % {"years": ", ".join(number(v) for v in values)}


def _percent_of_target(n: int) -> str:
    return gettext("%(n)s%% of the target") % {"n": number(n)}


def _points(n: int) -> str:
    return ngettext("%(n)s point", "%(n)s points", n) % {"n": number(n)}


def _review_forms(value: dict) -> str:
    """Each form with its criteria groups and maximum points."""
    parts = []
    for form in value.values():
        groups = "; ".join(f"{g['label']} ({_points(g['max'])})" for g in form.get("groups", []))
        parts.append(f"{form.get('label', '')}: {groups}")
    return " — ".join(parts)


def _review_checks(values: list) -> str:
    labels = {"excellent_quota": gettext("the excellent quota"), "discipline_cap": gettext("the discipline cap")}
    return ", ".join(labels.get(v, v) for v in values) if values else gettext("none")


def _review_periods(values: list) -> str:
    from dangvu.reviews.models import Period

    labels = dict(Period.choices)
    return ", ".join(str(labels.get(v, v)) for v in values) if values else gettext("none")


def _grade(value: str) -> str:
    from dangvu.reviews.models import Grade

    return str(Grade(value).label)


def _vote_rule(value: str) -> str:
    from dangvu.meetings.models import VoteRule

    return str(VoteRule(value).label)


def _form_label(code: str) -> str:
    from dangvu.discipline.models import Form

    return str(Form(code).label) if code in Form.values else code


def _letter_reasons(value: list) -> str:
    from dangvu.letters.rules import REASONS

    return ", ".join(str(REASONS[code]) for code in value if code in REASONS) or gettext("none")


def _congress_choices(value: Any) -> str:
    from dangvu.congress.rules import EXCUSED, TIE_RULES

    labels = {**EXCUSED, **TIE_RULES}
    values = value if isinstance(value, list) else [value]
    return ", ".join(str(labels.get(code, code)) for code in values) or gettext("none")


def _discipline_forms(value: dict) -> str:
    who = {
        "official": gettext("official members"),
        "probationary": gettext("probationary members"),
        "organisation": gettext("party organisations"),
    }
    return "; ".join(f"{who.get(k, k)}: {', '.join(_form_label(f) for f in forms)}" for k, forms in value.items())


def _limitation(value: dict) -> str:
    none = gettext("no limitation")
    return "; ".join(f"{_form_label(form)}: {_years(years) if years else none}" for form, years in value.items())


def _categories(value: dict) -> str:
    none = gettext("no limitation")
    return "; ".join(
        row.get("label", code) + (f" ({none})" if row.get("no_limitation") else "") for code, row in value.items()
    )


def _authority(value: dict) -> str:
    from dangvu.discipline.models import Organ

    who = {
        "member": gettext("members"),
        "committee_member": gettext("committee members"),
        "organisation": gettext("party organisations"),
    }
    levels = {
        "cell": gettext("the member's cell"),
        "grassroots": gettext("the grassroots organisation"),
        "above": gettext("a level above"),
        "seat": gettext("the committee the member sits on"),
        "above_seat": gettext("a level above that committee"),
    }
    parts = []
    for subject, rows in value.items():
        for form, bodies in rows.items():
            names = []
            for body in bodies:
                level, _sep, organ = body.partition(":")
                organ_label = Organ(organ).label if organ in Organ.values else organ
                names.append(f"{organ_label} ({levels.get(level, level)})")
            parts.append(f"{who.get(subject, subject)} – {_form_label(form)}: {', '.join(names)}")
    return "; ".join(parts)


@dataclass(frozen=True)
class Shown:
    label: Promise
    help: Promise
    show: Callable[[Any], str]


PRESENTATION: dict[str, Shown] = {
    "admission.min_age": Shown(
        _("Minimum age for admission"),
        _(
            "A person may be considered for admission from this age, reached on the birthday; the age is "
            "judged on the day the cell considers the admission (Party Statute, Article 1; Regulation 294-QĐ/TW)."
        ),
        age_limit,
    ),
    "admission.max_age": Shown(
        _("Maximum age for admission"),
        _(
            "Counted in months, a person is over this age once a month has passed since the birthday; "
            "counted in whole years, from the next birthday. Over it, the admission decision needs the "
            "approval of the committee directly under the Central Committee, recorded in the file "
            "(Regulation 294-QĐ/TW)."
        ),
        age_limit,
    ),
    "admission.probation_months": Shown(
        _("Probation period"),
        _("How long a newly admitted member is on probation (Party Statute, Article 5)."),
        _months,
    ),
    "admission.certificate_valid_years": Shown(
        _("Validity of the Party awareness course certificate"),
        _("A certificate older than this no longer counts for admission."),
        _years,
    ),
    "admission.cell_vote_threshold": Shown(
        _("Cell agreement needed for admission"),
        _(
            "Share of the cell's official members who must agree to admit a candidate or to recognise "
            "official membership."
        ),
        _share,
    ),
    "admission.committee_vote_threshold": Shown(
        _("Committee agreement needed for admission"),
        _("Share of the grassroots committee's members who must agree (Guidance 12-HD/BTCTW)."),
        _share,
    ),
    "admission.introducers": Shown(
        _("Number of introducers"),
        _("Official members who must introduce a candidate (Party Statute, Article 4)."),
        _members,
    ),
    "admission.introducer_min_months": Shown(
        _("Time an introducer has worked with the candidate"),
        _("An introducer must have worked with the candidate for at least this long (Party Statute, Article 4)."),
        _months,
    ),
    "admission.ceremony_working_days": Shown(
        _("Time limit for the admission ceremony"),
        _("The ceremony is held within this time after the admission decision."),
        _working_days,
    ),
    "admission.official_working_days": Shown(
        _("Time limit for considering official membership"),
        _("After probation ends, the cell considers official membership within this time (Party Statute, Article 5)."),
        _working_days,
    ),
    "admission.committee_working_days": Shown(
        _("Time limit for a committee's decision"),
        _("A committee decides within this time after the resolution of the level below (Guidance 12-HD/BTCTW)."),
        _working_days,
    ),
    "admission.exception_steps": Shown(
        _("Admission steps that may be waived"),
        _("These steps may be skipped with a written reason; each waiver is recorded in the candidate's file."),
        _steps,
    ),
    "transfer.present_working_days": Shown(
        _("Time limit for presenting the introduction letter"),
        _("A transferred member presents the letter to the receiving Party organisation within this time."),
        _working_days,
    ),
    "alerts.soon_days": Shown(
        _("Warning period for deadlines"),
        _("A deadline is listed as due soon this many days ahead."),
        _days,
    ),
    "calendar.extra_days_off": Shown(
        _("Extra days off"),
        _(
            "Days off announced by the government in addition to public holidays (for example a bridging day). "
            "Days off listed in every rule set count, whatever its date."
        ),
        _dates,
    ),
    "calendar.extra_working_days": Shown(
        _("Make-up working days"),
        _(
            "Weekend days that the government made working days in exchange for a day off. "
            "Days listed in every rule set count, whatever its date."
        ),
        _dates,
    ),
    "meeting.quorum": Shown(
        _("Quorum of a meeting"),
        _("Share of the members entitled to vote who must be present for the meeting to be valid (Party Statute)."),
        _share,
    ),
    "meeting.majority": Shown(
        _("Simple majority"),
        _("A motion passes by simple majority with more than this share of the votes (Party Statute, Article 10)."),
        _share,
    ),
    "meeting.qualified": Shown(
        _("Qualified majority"),
        _("A motion that needs a qualified majority passes with at least this share of the votes."),
        _share,
    ),
    "meeting.late_minutes": Shown(
        _("Late arrival after"),
        _("A check-in this long after the start of the meeting is recorded as late."),
        _minutes,
    ),
    "meeting.regular_per_month": Shown(
        _("Regular meetings per month"),
        _("Regular meetings each cell holds every month."),
        _meetings,
    ),
    "meeting.thematic_per_year": Shown(
        _("Thematic meetings per year"),
        _("Thematic meetings each cell holds every year (the committee's resolution for the term)."),
        _meetings,
    ),
    "meeting.assignee_visits": Shown(
        _("Meetings attended by the committee member in charge"),
        _(
            "A committee member in charge of an organisation attends this many of its meetings in each period "
            "set below."
        ),
        _meetings,
    ),
    "meeting.assignee_months": Shown(
        _("Period for the committee member's attendance"),
        _("The period over which the committee member in charge attends the meetings counted above."),
        _months,
    ),
    "meeting.record_past_days": Shown(
        _("Recording a meeting late"),
        _(
            "A meeting held but not yet entered may still be recorded this many days after its date; an "
            "earlier date is refused when planning."
        ),
        _days,
    ),
    "meeting.reminder_hours": Shown(
        _("Meeting reminder"),
        _("Invitees are reminded this long before a meeting starts."),
        _hours,
    ),
    "review.forms": Shown(
        _("Review forms of members"),
        _(
            "The forms of the yearly review (Guidance 43-HD/BTCTW: form 2A for members holding a leading or "
            "managing post, 2B for the others, 2C for members outside the political system), each with its "
            "groups of criteria and their maximum points out of 100 (Regulation 366-QĐ/TW)."
        ),
        _review_forms,
    ),
    "review.excellent_points": Shown(
        _("Points for 'completed tasks excellently'"),
        _("Least points for the grade, with the conditions on tasks (Regulation 366-QĐ/TW, Article 11)."),
        _points,
    ),
    "review.good_points": Shown(
        _("Points for 'completed tasks well'"),
        _("Least points for the grade, with all tasks on time (Regulation 366-QĐ/TW, Article 11)."),
        _points,
    ),
    "review.completed_points": Shown(
        _("Points for 'completed tasks'"),
        _("Least points for the grade; under them a member did not complete their tasks (Regulation 366-QĐ/TW)."),
        _points,
    ),
    "review.on_time_threshold": Shown(
        _("Tasks on time for 'excellent' and 'good'"),
        _("Share of the year's tasks done on time needed for the two best grades (Regulation 366-QĐ/TW, Article 11)."),
        _share,
    ),
    "review.exceeded_threshold": Shown(
        _("Tasks exceeded for 'excellent'"),
        _("Share of the year's tasks done beyond what was asked needed for the best grade (Regulation 366-QĐ/TW)."),
        _share,
    ),
    "review.checks": Shown(
        _("Limits on the grades"),
        _(
            "Limits checked on the cell's proposals and the committee's decision: the quota of 'excellent' grades "
            "and the grade of a member disciplined in the year (rules of Regulation 124-QĐ/TW, kept until "
            "confirmed under Regulation 366-QĐ/TW). Untick a limit to turn it off from this rule set's date."
        ),
        _review_checks,
    ),
    "review.excellent_quota_threshold": Shown(
        _("Quota of 'excellent' grades"),
        _(
            "Members graded 'completed tasks excellently' are at most this share of those graded 'completed tasks "
            "well' or better, in each cell and each grassroots organisation."
        ),
        _share,
    ),
    "review.disciplined_grade": Shown(
        _("Grade of a member disciplined in the year"),
        _("A member disciplined in the year under review is graded at most this."),
        _grade,
    ),
    "review.org_forms": Shown(
        _("Review form of party organisations"),
        _(
            "The form of the yearly review of collectives and party organisations (Guidance 43-HD/BTCTW, form 01), "
            "with its groups of criteria and their maximum points out of 100."
        ),
        _review_forms,
    ),
    "review.org_late_threshold": Shown(
        _("Late tasks allowed for an organisation's 'completed tasks'"),
        _(
            "Share of a collective's or organisation's tasks of the year that may be late for it to be graded "
            "'completed tasks' (Regulation 366-QĐ/TW, Article 11)."
        ),
        _share,
    ),
    "review.periods": Shown(
        _("Periods reviewed"),
        _("What a review may be opened for: a year, or a whole term (Regulation 366-QĐ/TW)."),
        _review_periods,
    ),
    "review.term_years": Shown(
        _("Longest term reviewed"),
        _("The longest term a review of a term may cover, from its first to its last year."),
        _years,
    ),
    "review.vote_rule": Shown(
        _("Vote adopting the cell's proposed grades"),
        _("The threshold of the vote by which the cell's review meeting adopts each proposed grade."),
        _vote_rule,
    ),
    "discipline.forms": Shown(
        _("Discipline forms"),
        _(
            "The forms of discipline for official members, probationary members and party organisations "
            "(Party Statute, Article 35). Removal from post applies only to a member holding a post."
        ),
        _discipline_forms,
    ),
    "discipline.limitation_years": Shown(
        _("Limitation periods of discipline"),
        _(
            "A violation can no longer be disciplined by a form once this time has passed since it was committed; "
            "a new violation within the period starts it again (Regulation 69-QĐ/TW, Article 5)."
        ),
        _limitation,
    ),
    "discipline.categories": Shown(
        _("Categories of violation"),
        _("The categories a violation is recorded under; those marked have no limitation period."),
        _categories,
    ),
    "discipline.authority": Shown(
        _("Authority to discipline"),
        _(
            "Which bodies may decide each form, for members, committee members and party organisations, by "
            "their level relative to the subject (Party Statute, Article 36)."
        ),
        _authority,
    ),
    "discipline.appeal_months": Shown(
        _("Time to appeal a discipline decision"),
        _("A member or organisation may appeal within this time after the decision (Party Statute, Article 39)."),
        _months,
    ),
    "discipline.appeal_working_days": Shown(
        _("Time to settle a discipline appeal"),
        _("The body the appeal is lodged with settles it within this time."),
        _working_days,
    ),
    "discipline.state_notice_days": Shown(
        _("Notice of a discipline by a state body"),
        _("A state body that disciplines a party member notifies the member's party organisation within this time."),
        _days,
    ),
    "letters.not_handled": Shown(
        _("Letters not handled"),
        _(
            "Letters of these kinds are not handled: they are archived at screening with the reason recorded "
            "(anonymous, under a false name, without an address, repeated without new evidence, signed by several "
            "people)."
        ),
        _letter_reasons,
    ),
    "letters.deadline_working_days": Shown(
        _("Time to settle a letter"),
        _("A letter accepted for handling is settled within this time, counted from its acceptance."),
        _working_days,
    ),
    "letters.extension_max_working_days": Shown(
        _("Longest extension for a letter"),
        _("The time to settle a letter may be extended once, by at most this, with a notice to the sender."),
        _working_days,
    ),
    "target.nearly_percent": Shown(
        _("'Nearly met' from"),
        _(
            "A resolution target that is not met is judged 'nearly met' when the result reaches this share of the "
            "target, and 'not met' under it. No regulation fixes this margin: the committee sets its own."
        ),
        _percent_of_target,
    ),
    "target.exceed_percent": Shown(
        _("'Exceeded' from"),
        _(
            "A met target is judged 'exceeded' from this share of the target, and 'met and exceeded' when above "
            "the target but under this line. No regulation fixes this line: the committee sets its own."
        ),
        _percent_of_target,
    ),
    "target.warning_percent": Shown(
        _("Early warning under"),
        _(
            "While the term runs, a target whose result projected to the end of the term at the pace so far stays "
            "under this share of the target is warned about on the targets dashboard and in the alerts. No "
            "regulation fixes this line: the committee sets its own."
        ),
        _percent_of_target,
    ),
    "congress.surplus_threshold": Shown(
        _("Most candidates over the seats"),
        _("An election's list of candidates may exceed the seats by at most this share (Decision 190-QĐ/TW)."),
        _share,
    ),
    "congress.nomination_threshold": Shown(
        _("Consent for a nomination from the floor"),
        _(
            "A person nominated from the floor or self-nominated enters the list of candidates when more than this "
            "share of those present agree (Decision 190-QĐ/TW)."
        ),
        _share,
    ),
    "congress.majority_threshold": Shown(
        _("Votes needed to be elected"),
        _("A candidate is elected with more than this share of the election's base, ranked by votes."),
        _share,
    ),
    "congress.tie_rule": Shown(
        _("Tie at the last seat"),
        _("What happens when candidates with enough votes tie for the last seat."),
        _congress_choices,
    ),
    "congress.excused_members": Shown(
        _("Not in the base of a members' congress"),
        _("Members convened who are not counted in the base of an election at a members' congress."),
        _congress_choices,
    ),
    "congress.excused_delegates": Shown(
        _("Not in the base of a delegates' congress"),
        _("Official delegates who are not counted in the base of an election at a delegates' congress."),
        _congress_choices,
    ),
    "member.badge_years": Shown(
        _("Party membership badges"),
        _("Years of Party membership that earn a badge."),
        _party_years,
    ),
}

PRESENTATION.update(presentation_fees.rows(Shown))


def label(name: str) -> str:
    """The key's label for people; the key itself only for a key no longer declared anywhere."""
    shown = PRESENTATION.get(name)
    return str(shown.label) if shown else name


def help_text(name: str) -> str:
    shown = PRESENTATION.get(name)
    return str(shown.help) if shown else ""


def show(name: str, value: Any) -> str:
    """A value as people read it ("—" when unset)."""
    if value is None or value == "":
        return "—"
    shown = PRESENTATION.get(name)
    if shown is None:
        return ", ".join(str(v) for v in value) if isinstance(value, list) else str(value)
    try:
        return shown.show(value)
    except (TypeError, ValueError):  # a stored value of an unexpected type: shown as it is
        return str(value)


def shown(values: dict[str, Any], name: str) -> str:
    """Rule `name` as people read it, from `values` (the rule values of one day, `registry.rules_on`)."""
    return show(name, values[name])
