from django import forms
from django.utils.translation import gettext_lazy as _

from events.regions import Region
from events.selectors import PAST, UPCOMING


class EventFilterForm(forms.Form):
    """The event list's filters (GET): period and region. Bad values fall back to defaults."""

    period = forms.ChoiceField(
        choices=[(UPCOMING, _("Upcoming")), (PAST, _("Past"))], required=False
    )
    region = forms.ChoiceField(
        label=_("Region"),
        choices=[("", _("All regions")), *Region.choices],
        required=False,
    )

    def filters(self) -> dict[str, str]:
        if not self.is_valid():
            return {"period": UPCOMING, "region": ""}
        return {
            "period": self.cleaned_data.get("period") or UPCOMING,
            "region": self.cleaned_data.get("region") or "",
        }
