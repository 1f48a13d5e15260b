from django import forms
from django.utils.translation import gettext_lazy as _

from portal.statistics.figures import DIMENSIONS, Period


class StatisticsForm(forms.Form):
    """What the page groups by, and the period (days in Paris time, both included)."""

    dimension = forms.ChoiceField(
        label=_("Group the questions by"), choices=list(DIMENSIONS.items()), required=False
    )
    since = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self) -> dict:
        data = super().clean()
        if data.get("since") and data.get("until") and data["since"] > data["until"]:
            self.add_error("until", _("The end of the period is before its start."))
        return data

    @property
    def group_by(self) -> str:
        return (self.is_valid() and self.cleaned_data.get("dimension")) or "event"

    @property
    def period(self) -> Period:
        if not self.is_valid():
            return Period()
        return Period(since=self.cleaned_data.get("since"), until=self.cleaned_data.get("until"))
