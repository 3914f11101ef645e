"""Forms for the meeting pages. They only parse and shape input; the rules live in
dangvu.meetings.services, whose DomainError messages the views attach to the form (nothing is written when
they refuse)."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangvu.lib.errors import DomainError
from dangvu.meetings.models import AgendaItem, MeetingKind
from dangvu.meetings.services import DOCUMENT_TYPES, MEMBER_MEETINGS, AgendaSpec, check_start
from dangvu.members.forms import VnDateField
from dangvu.members.models import Member, Status
from dangvu.orgs.labels import PeopleChoiceField, PersonChoiceField
from dangvu.orgs.models import CommitteeSeat, Organisation, Position
from dangvu.web.choosers import chooser_attrs

TEXT_WIDGET = forms.Textarea(attrs={"rows": 3})
AGENDA_ROWS = 6
EXTERNAL_GUEST_ROWS = 2
ACCEPT_DOCUMENTS = ",".join(sorted(DOCUMENT_TYPES))


def seats_in_force(org: Organisation, day: dt.date) -> QuerySet[CommitteeSeat]:
    return CommitteeSeat.objects.filter(committee__organisation=org, valid_from__lte=day).exclude(valid_to__lte=day)


def participant_choices(org: Organisation, day: dt.date) -> QuerySet[Member]:
    """Who may chair, take the minutes or present: the organisation's members in the Party and the
    members of its committee in force (a committee meeting of a party committee has no members of its own)."""
    seats = seats_in_force(org, day).values("member_id")
    return (
        Member.objects.filter(Q(organisation=org, status__in=Status.in_party()) | Q(pk__in=seats))
        .select_related("organisation")
        .order_by("name_sort", "id")
    )


def default_officers(org: Organisation, day: dt.date, people: QuerySet[Member]) -> tuple[Member | None, Member | None]:
    """Who usually chairs (the secretary, else the deputy) and takes the minutes (the deputy or a committee
    member) a meeting of `org`: proposed when planning, the planner may change them."""
    order = [Position.SECRETARY, Position.DEPUTY_SECRETARY, Position.CELL_COMMITTEE_MEMBER, Position.COMMITTEE_MEMBER]
    seats = seats_in_force(org, day).filter(position__in=order, member__in=people).select_related("member")
    ranked = sorted(seats, key=lambda s: (order.index(s.position), s.valid_from, s.pk))
    chair = ranked[0].member if ranked else None
    minutes = next((s.member for s in ranked if chair is None or s.member_id != chair.pk), None)
    return chair, minutes


def parent_committee_members(org: Organisation, day: dt.date) -> QuerySet[Member]:
    """Members of the committee of the organisation above (possible guests)."""
    parent_path = org.path[: -Organisation.steplen]
    if not parent_path:
        return Member.objects.none()
    seats = CommitteeSeat.objects.filter(committee__organisation__path=parent_path, valid_from__lte=day).exclude(
        valid_to__lte=day
    )
    return (
        Member.objects.filter(pk__in=seats.values("member_id"))
        .select_related("organisation")
        .order_by("name_sort", "id")
    )


def kind_choices(org: Organisation) -> list[tuple[str, str]]:
    if org.holds_members:
        return list(MeetingKind.choices)
    return [(value, label) for value, label in MeetingKind.choices if value not in MEMBER_MEETINGS]


class MemberChoice(PersonChoiceField):
    """Chair, minutes secretary: namesakes are told apart by birth year (dangvu.orgs.labels)."""


class MeetingCreateForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of meeting"))
    topic = forms.CharField(
        label=_("Topic"), max_length=255, required=False, help_text=_("Required for a thematic meeting.")
    )
    date = VnDateField(label=_("Date"))
    time = forms.TimeField(
        label=_("Time"),
        input_formats=["%H:%M"],
        widget=forms.TimeInput(format="%H:%M", attrs={"placeholder": "HH:MM", "inputmode": "numeric"}),
    )
    place = forms.CharField(label=_("Place"), max_length=255, required=False)
    online_link = forms.URLField(label=_("Online link"), max_length=200, required=False, assume_scheme="https")
    chair = MemberChoice(label=_("Chair"), queryset=Member.objects.none())
    secretary = MemberChoice(label=_("Minutes secretary"), queryset=Member.objects.none(), required=False)
    guests = PeopleChoiceField(
        label=_("Guests from the committee above"),
        queryset=Member.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, organisation: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.organisation = organisation
        self.fields["kind"].choices = kind_choices(organisation)
        people = participant_choices(organisation, today)
        self.fields["chair"].queryset = people
        self.fields["secretary"].queryset = people
        for name in ("chair", "secretary"):
            self.fields[name].widget.attrs.update(
                chooser_attrs("members", "meetings.manage", organisation=organisation.pk)
            )
        if not self.is_bound:
            chair, minutes = default_officers(organisation, today, people)
            self.initial.setdefault("chair", chair.pk if chair else None)
            self.initial.setdefault("secretary", minutes.pk if minutes else None)
        self.fields["guests"].queryset = parent_committee_members(organisation, today)
        for i in range(1, EXTERNAL_GUEST_ROWS + 1):
            self.fields[f"guest_name_{i}"] = forms.CharField(
                label=_("Other guest %(n)s: name") % {"n": i}, max_length=255, required=False
            )
            self.fields[f"guest_title_{i}"] = forms.CharField(
                label=_("Other guest %(n)s: position") % {"n": i}, max_length=255, required=False
            )

    def clean_date(self) -> dt.date:
        day = self.cleaned_data["date"]
        try:
            check_start(day, timezone.localdate())
        except DomainError as error:
            raise forms.ValidationError(error.messages) from None
        return day

    def clean(self):
        data = super().clean()
        if data.get("kind") == MeetingKind.THEMATIC and not (data.get("topic") or "").strip():
            self.add_error("topic", _("A thematic meeting needs its topic."))
        no_place = not (data.get("place") or "").strip() and not data.get("online_link")
        if no_place and "place" not in self.errors and "online_link" not in self.errors:
            self.add_error("place", _("Give the place or the online link."))
        return data

    def starts_at(self) -> dt.datetime:
        d = self.cleaned_data
        return timezone.make_aware(dt.datetime.combine(d["date"], d["time"]))

    def external_guests(self) -> list[tuple[str, str]]:
        d = self.cleaned_data
        rows = []
        for i in range(1, EXTERNAL_GUEST_ROWS + 1):
            name = d.get(f"guest_name_{i}", "").strip()
            if name:
                rows.append((name, d.get(f"guest_title_{i}", "").strip()))
        return rows


class AgendaRowForm(forms.Form):
    title = forms.CharField(label=_("Agenda item"), max_length=255, required=False)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 1}))
    presenter = MemberChoice(label=_("Presenter"), queryset=Member.objects.none(), required=False)

    def __init__(self, *args, people: QuerySet[Member], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["presenter"].queryset = people

    def clean(self):
        data = super().clean()
        if not (data.get("title") or "").strip() and ((data.get("description") or "").strip() or data.get("presenter")):
            self.add_error("title", _("Give the agenda item a title."))
        return data


AgendaFormSet = forms.formset_factory(
    AgendaRowForm, extra=AGENDA_ROWS, max_num=AGENDA_ROWS, absolute_max=AGENDA_ROWS, validate_max=True
)


def agenda_formset(organisation: Organisation, data=None) -> forms.BaseFormSet:
    people = participant_choices(organisation, timezone.localdate())
    return AgendaFormSet(data, prefix="agenda", form_kwargs={"people": people})


def agenda_specs(formset: forms.BaseFormSet) -> list[AgendaSpec]:
    specs = []
    for form in formset.forms:
        d = form.cleaned_data
        if (d.get("title") or "").strip():
            specs.append(AgendaSpec(d["title"].strip(), (d.get("description") or "").strip(), d.get("presenter")))
    return specs


class RsvpForm(forms.Form):
    rsvp = forms.ChoiceField(choices=[("attending", "attending"), ("excused", "excused")])
    reason = forms.CharField(label=_("Reason for absence"), max_length=255, required=False)


class CancelForm(forms.Form):
    prefix = "cancel"
    reason = forms.CharField(
        label=_("Reason for cancelling"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )


class MinutesForm(forms.Form):
    prefix = "minutes"
    discussion = forms.CharField(label=_("Discussion"), required=False, widget=forms.Textarea(attrs={"rows": 6}))
    conclusions = forms.CharField(label=_("Conclusions"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    resolution_number = forms.CharField(label=_("Resolution number"), max_length=64, required=False)
    resolution_text = forms.CharField(label=_("Resolution"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    # The version of the meeting the text was opened on (dangvu.lib.versions): a stale save is refused.
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class AddendumForm(forms.Form):
    prefix = "addendum"
    text = forms.CharField(label=_("Addendum"), widget=TEXT_WIDGET)


class DocumentForm(forms.Form):
    prefix = "document"
    title = forms.CharField(label=_("Title"), max_length=255)
    agenda_item = forms.ModelChoiceField(
        label=_("Agenda item"), queryset=AgendaItem.objects.none(), required=False, empty_label=_("The whole meeting")
    )
    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, DOCX or XLSX, at most 20 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT_DOCUMENTS}),
    )

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agenda_item"].queryset = meeting.agenda.filter(withdrawn=False).order_by("position", "id")


class VersionForm(forms.Form):
    file = forms.FileField(label=_("New version"), widget=forms.ClearableFileInput(attrs={"accept": ACCEPT_DOCUMENTS}))


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("My note"), required=False, max_length=20000, widget=forms.Textarea(attrs={"rows": 8})
    )
