"""Forms of the notifications and two-way channel pages: they parse; dangvu.notify.services checks and
its refusals are shown beside the fields they name."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dangvu.notify.models import QuestionKind
from dangvu.web.choosers import chooser_attrs
from dangvu.web.forms import DateField
from dangvu.web.forms import Form as BaseForm


class PreferenceForm(BaseForm):
    email = forms.BooleanField(label=_("By e-mail"), required=False)
    push = forms.BooleanField(label=_("By Web Push on this device's browser"), required=False)
    sms = forms.BooleanField(label=_("By SMS"), required=False)
    phone = forms.CharField(label=_("Mobile number for SMS"), max_length=20, required=False)


class AskForm(BaseForm):
    organisation = forms.ModelChoiceField(queryset=None, label=pgettext_lazy("question", "To"), empty_label=None)
    kind = forms.ChoiceField(label=_("Kind"), choices=QuestionKind.choices)
    subject = forms.CharField(label=pgettext_lazy("question", "Subject"), max_length=200)
    text = forms.CharField(
        label=_("Your question or opinion"), max_length=5000, widget=forms.Textarea(attrs={"rows": 5})
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


class AnswerForm(BaseForm):
    answer = forms.CharField(label=_("Answer"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4}))


class PeriodForm(forms.Form):
    organisation = forms.ModelChoiceField(queryset=None, label=_("Organisation"))
    start = DateField(label=_("From"))
    end = DateField(label=_("Until"))

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.fields["organisation"].widget.attrs.update(chooser_attrs("organisations", "orgs.view"))

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            self.add_error("end", _("The end of the period is before its start."))
        return data


def this_year() -> tuple[dt.date, dt.date]:
    today = timezone.localdate()
    return dt.date(today.year, 1, 1), today
