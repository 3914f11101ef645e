"""Forms of the review pages. They parse what was typed; the rules are checked by dangvu.reviews.services
and its refusals are shown beside the fields they name (dangvu.web.forms.Form)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from dangvu.reviews.forms_rule import ReviewRules
from dangvu.reviews.models import Grade, Period
from dangvu.web.forms import DateField, Form

TASK_ROWS_EXTRA = 3  # empty task rows offered beyond those written


class CampaignForm(Form):
    organisation = forms.ModelChoiceField(queryset=None, label=_("Organisation"))
    period = forms.ChoiceField(label=_("Period reviewed"), choices=Period.choices, initial=Period.YEAR, required=False)
    year = forms.IntegerField(
        label=_("Year reviewed"), min_value=2000, max_value=2999, help_text=_("For a term: its last year.")
    )
    first_year = forms.IntegerField(
        label=_("First year of the term"),
        min_value=2000,
        max_value=2999,
        required=False,
        help_text=_("Only for a review of a term."),
    )
    opened_on = DateField(label=_("Opened on"), help_text=_("The rules in force on this day apply."))
    document_number = forms.CharField(label=_("Plan number"), max_length=64, required=False)
    self_until = DateField(label=_("Self-assessments until"))
    cell_until = DateField(label=_("Cell review meetings until"))
    decide_until = DateField(label=_("Committee decisions until"))

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


class SelfAssessmentForm(Form):
    """The member's form: the review form of their situation, points and evidence per criteria group of
    that form (in the rules of the campaign), shortcomings and remedy. Tasks are a formset beside it."""

    form = forms.ChoiceField(label=_("Review form"))
    shortcomings = forms.CharField(
        label=_("Shortcomings"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )
    remedy = forms.CharField(
        label=_("Remedy"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )

    def __init__(self, *args, rules: ReviewRules, form_code: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["form"].choices = rules.form_choices()
        self.groups = rules.groups(form_code) or rules.groups(next(iter(rules.forms)))
        for group in self.groups:
            self.fields[f"score_{group.code}"] = forms.CharField(
                label=group.label,
                required=False,
                max_length=8,
                help_text=_("Out of %(max)s points.") % {"max": group.max},
                widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "points"}),
            )
            self.fields[f"evidence_{group.code}"] = forms.CharField(
                label=_("Evidence"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 2})
            )

    def group_rows(self) -> list[tuple]:
        return [(g, self[f"score_{g.code}"], self[f"evidence_{g.code}"]) for g in self.groups]


class TaskForm(forms.Form):
    title = forms.CharField(label=_("Task"), required=False, max_length=500)
    on_time = forms.BooleanField(label=_("On time"), required=False)
    exceeded = forms.BooleanField(label=_("Exceeded"), required=False)


TaskFormSet = forms.formset_factory(TaskForm, extra=TASK_ROWS_EXTRA, max_num=60, validate_max=True)


class ReturnForm(Form):
    reason = forms.CharField(label=_("What the member should complete"), max_length=1000)


class ProposalForm(Form):
    grade = forms.ChoiceField(label=_("Grade proposed by the cell"), choices=Grade.choices)
    disciplined = forms.BooleanField(label=_("Disciplined in the year"), required=False)
    comments = forms.CharField(
        label=_("The cell's comments"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    proposed_on = DateField(label=_("Date of the cell's review meeting"))


class MeetingProposalsForm(Form):
    """The cell's review meeting: for each member waiting, the grade proposed, the vote of the meeting that
    adopted it, whether the member was disciplined in the year and the cell's comments."""

    def __init__(self, *args, rows, votes, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = rows
        vote_choices = [("", "—")] + [
            (v.pk, f"{v.question} ({v.yes or 0}/{v.eligible or 0}{' ✓' if v.passed else ''})") for v in votes
        ]
        for r in rows:
            name = r.member.full_name
            self.fields[f"grade_{r.pk}"] = forms.ChoiceField(
                label=_("Grade proposed by the cell"), choices=[("", "—"), *Grade.choices], required=False
            )
            self.fields[f"vote_{r.pk}"] = forms.TypedChoiceField(
                label=_("Vote"), choices=vote_choices, coerce=int, required=False, empty_value=None
            )
            self.fields[f"disciplined_{r.pk}"] = forms.BooleanField(label=_("Disciplined in the year"), required=False)
            self.fields[f"comments_{r.pk}"] = forms.CharField(
                label=_("The cell's comments"),
                required=False,
                max_length=5000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            self.initial.setdefault(f"grade_{r.pk}", r.proposed_grade)
            self.initial.setdefault(f"disciplined_{r.pk}", r.disciplined)
            self.initial.setdefault(f"comments_{r.pk}", r.comments)
            for key in ("grade", "vote", "disciplined", "comments"):
                self.fields[f"{key}_{r.pk}"].widget.attrs["aria-label"] = (
                    f"{self.fields[f'{key}_{r.pk}'].label}: {name}"
                )

    def table(self) -> list[tuple]:
        """(review, grade, vote, disciplined, comments) bound fields per member."""
        return [
            (r, self[f"grade_{r.pk}"], self[f"vote_{r.pk}"], self[f"disciplined_{r.pk}"], self[f"comments_{r.pk}"])
            for r in self.rows
        ]


class DecisionForm(Form):
    document_number = forms.CharField(label=_("Decision number"), max_length=64)
    document_date = DateField(label=_("Decision date"))


class CorrectionForm(DecisionForm):
    grade = forms.ChoiceField(label=_("Corrected grade"), choices=Grade.choices)
    reason = forms.CharField(label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class OrgAssessmentForm(Form):
    """A party organisation's assessment (Mẫu 01): points per criteria group of the campaign's rules, the
    conditions of the excellent grade, shortcomings. The tasks are a formset beside it (TaskFormSet)."""

    disciplined = forms.BooleanField(
        label=_("A unit under it or a member of its leadership was disciplined in the year"), required=False
    )
    remedied = forms.BooleanField(label=_("The shortcomings pointed out earlier are all remedied"), required=False)
    shortcomings = forms.CharField(
        label=_("Shortcomings"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.groups = groups
        for group in groups:
            self.fields[f"score_{group.code}"] = forms.CharField(
                label=group.label,
                required=False,
                max_length=8,
                help_text=_("Out of %(max)s points.") % {"max": group.max},
                widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "points"}),
            )
        self.order_fields([f"score_{g.code}" for g in groups])


class OrgDecisionForm(DecisionForm):
    grade = forms.ChoiceField(label=_("Grade"), choices=Grade.choices)


class OrgCorrectionForm(OrgDecisionForm):
    reason = forms.CharField(label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
