"""Forms of the study pages. They parse what was typed; the services check the rules and their refusals are
shown beside the fields they name."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from dangvu.members.models import PoliticalTheory
from dangvu.study.models import CourseKind, ReviewResult, Subject
from dangvu.study.services import QuestionSpec
from dangvu.web.choosers import chooser_attrs
from dangvu.web.forms import DateField
from dangvu.web.forms import Form as BaseForm

MANAGE = "study.manage"


def parse_questions(text: str) -> list[QuestionSpec]:
    """Questions written one block each (blocks separated by an empty line): the question on the first line,
    then one choice per line, the right one starting with '*'."""
    specs = []
    for n, block in enumerate([b for b in text.replace("\r\n", "\n").split("\n\n") if b.strip()], start=1):
        lines = [line.strip() for line in block.split("\n") if line.strip()]
        choices = [line.lstrip("*").strip() for line in lines[1:]]
        right = [i for i, line in enumerate(lines[1:]) if line.startswith("*")]
        if len(choices) < 2 or len(right) != 1:
            raise ValidationError(
                _("Question %(n)s: write at least two choices, one per line, and mark the right one with *.") % {"n": n}
            )
        specs.append(QuestionSpec(lines[0], choices, right[0]))
    return specs


class CampaignForm(BaseForm):
    organisation = forms.ModelChoiceField(queryset=None, label=_("Organisation that studies"))
    resolution = forms.ModelChoiceField(queryset=None, label=_("Resolution"))
    title = forms.CharField(label=_("Title"), max_length=300)
    conference_date = DateField(label=_("Conference date"))
    ends_on = DateField(label=_("Study deadline"), help_text=_("Members confirm studying until this day."))
    materials = forms.ModelMultipleChoiceField(queryset=None, label=_("Study materials"), required=False)
    notes = forms.CharField(label=_("Notes"), max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 3}))
    pass_mark = forms.IntegerField(label=_("Quiz pass mark (%)"), min_value=0, max_value=100, initial=80)
    questions = forms.CharField(
        label=_("Quiz questions"),
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "Optional. One question per block, blocks separated by an empty line: the question on the first "
            "line, then one choice per line; mark the right choice with * at the start."
        ),
    )
    sections = [
        (_("Campaign"), ["organisation", "resolution", "title", "conference_date", "ends_on", "materials", "notes"]),
        (_("Quiz"), ["pass_mark", "questions"]),
    ]

    def __init__(self, *args, organisations, documents, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.fields["organisation"].widget.attrs.update(chooser_attrs("organisations", MANAGE))
        self.fields["resolution"].queryset = documents
        self.fields["materials"].queryset = documents
        for name in ("resolution", "materials"):
            self.fields[name].label_from_instance = lambda d: f"{d.number} — {d.title}"

    def clean_questions(self) -> list[QuestionSpec]:
        return parse_questions(self.cleaned_data["questions"])


class ConfirmForm(BaseForm):
    """The member's confirmation: one radio group per quiz question, then the reflection."""

    reflection = forms.CharField(
        label=_("Reflection (thu hoạch)"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What you learnt and how you will apply it in your work."),
    )

    def __init__(self, *args, questions, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        fields = {}
        for q in self.questions:
            fields[f"q_{q.pk}"] = forms.TypedChoiceField(
                label=q.text,
                choices=list(enumerate(q.choices)),
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={"required": _("Choose an answer.")},
            )
        fields["reflection"] = self.fields.pop("reflection")
        self.fields = {**fields}

    def answers(self) -> dict[int, int]:
        return {q.pk: self.cleaned_data[f"q_{q.pk}"] for q in self.questions}


class MassesForm(BaseForm):
    invited = forms.IntegerField(label=_("Masses invited"), min_value=0, max_value=1_000_000)
    present = forms.IntegerField(label=_("Masses present"), min_value=0, max_value=1_000_000)


class CourseForm(BaseForm):
    organisation = forms.ModelChoiceField(queryset=None, label=_("Organised by"))
    kind = forms.ChoiceField(label=_("Kind"), choices=CourseKind.choices)
    theory_level = forms.ChoiceField(
        label=_("Political theory level"),
        choices=PoliticalTheory.choices,
        required=False,
        help_text=_("For a political theory course: the level it teaches."),
    )
    title = forms.CharField(label=_("Title"), max_length=300)
    starts_on = DateField(label=_("Starts on"))
    ends_on = DateField(label=_("Ends on"))
    place = forms.CharField(label=_("Place"), max_length=255, required=False)

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.fields["organisation"].widget.attrs.update(chooser_attrs("organisations", MANAGE))


class EnrolForm(BaseForm):
    member = forms.ModelChoiceField(queryset=None, label=_("Member"), required=False)
    candidate = forms.ModelChoiceField(
        queryset=None, label=_("Admission candidate"), required=False, help_text=_("For the Party awareness course.")
    )

    def __init__(self, *args, members, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = members
        self.fields["member"].widget.attrs.update(chooser_attrs("members", MANAGE))
        self.fields["member"].label_from_instance = lambda m: m.full_name
        self.fields["candidate"].queryset = candidates
        self.fields["candidate"].label_from_instance = lambda c: c.full_name


class CompleteForm(BaseForm):
    completed_on = DateField(label=_("Completed on"))
    certificate_number = forms.CharField(label=_("Certificate number"), max_length=64)


class CommitmentForm(BaseForm):
    content = forms.CharField(
        label=_("My commitment"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "What you commit to do this year in studying and following Hồ Chí Minh's thought, ethics and style."
        ),
    )


class CommitmentReviewForm(BaseForm):
    review = forms.CharField(label=_("Year-end review"), max_length=5000, widget=forms.Textarea(attrs={"rows": 6}))
    result = forms.ChoiceField(label=_("Result"), choices=ReviewResult.choices)


class RecognitionForm(BaseForm):
    organisation = forms.ModelChoiceField(queryset=None, label=_("Organisation"))
    subject = forms.ChoiceField(label=_("Collective or individual"), choices=Subject.choices)
    member = forms.ModelChoiceField(queryset=None, label=_("Member"), required=False, help_text=_("For an individual."))
    name = forms.CharField(label=_("Name or recipient"), max_length=300)
    description = forms.CharField(
        label=_("Description or reason"), max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    date = DateField(label=_("Date"))
    document_number = forms.CharField(label=_("Document number"), max_length=64, required=False)

    def __init__(self, *args, organisations, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.fields["organisation"].widget.attrs.update(chooser_attrs("organisations", MANAGE))
        self.fields["member"].queryset = members
        self.fields["member"].widget.attrs.update(chooser_attrs("members", MANAGE))
        self.fields["member"].label_from_instance = lambda m: m.full_name
