"""The API's query parameters: filters, page size and cursor, validated by one form."""

import base64
import binascii
from datetime import date, datetime, time, timedelta

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from events.models import Event, Theme
from questions.models import PUBLIC_STATES, Question

DEFAULT_LIMIT = 50
MAX_LIMIT = 500


def encode_cursor(pk: int) -> str:
    return base64.urlsafe_b64encode(str(pk).encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> int:
    """The id after which a page starts; ValueError if the cursor was not made by encode_cursor."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError) as error:
        raise ValueError(cursor) from error
    if not raw.isdigit():
        raise ValueError(cursor)
    return int(raw)


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


class RecordFilterForm(forms.Form):
    event = forms.SlugField(required=False)
    theme = forms.SlugField(required=False)
    state = forms.ChoiceField(required=False, choices=[(s, s) for s in PUBLIC_STATES])
    published_since = forms.DateField(required=False, input_formats=["%Y-%m-%d"])
    published_until = forms.DateField(required=False, input_formats=["%Y-%m-%d"])
    limit = forms.IntegerField(required=False, min_value=1, max_value=MAX_LIMIT)
    cursor = forms.CharField(required=False, max_length=40)

    def clean_cursor(self) -> int | None:
        cursor = self.cleaned_data["cursor"]
        if not cursor:
            return None
        try:
            return decode_cursor(cursor)
        except ValueError:
            raise forms.ValidationError(_("Unknown cursor: follow the “next” link.")) from None

    def clean(self) -> dict:
        data = super().clean()
        since, until = data.get("published_since"), data.get("published_until")
        if since and until and since > until:
            self.add_error("published_until", _("The end of the range is before its start."))
        return data

    @property
    def page_size(self) -> int:
        return self.cleaned_data.get("limit") or DEFAULT_LIMIT

    def apply(self, questions: QuerySet[Question]) -> QuerySet[Question]:
        """The filters and the cursor (valid form only); the page size is the caller's."""
        data = self.cleaned_data
        # The event's and theme's ids, looked up first, not a join on their slugs: given an id,
        # PostgreSQL knows how many questions it has (a join makes it assume the average and,
        # for a small event, walk the whole table in id order: 100 ms at 100,000 questions).
        if data["event"]:
            ids = list(Event.objects.filter(slug=data["event"]).values_list("pk", flat=True))
            questions = questions.filter(event_id__in=ids)
        if data["theme"]:
            ids = list(Theme.objects.filter(slug=data["theme"]).values_list("pk", flat=True))
            questions = questions.filter(theme_id__in=ids)
        if data["state"]:
            questions = questions.filter(state=data["state"])
        if data["published_since"]:
            questions = questions.filter(approved_at__gte=_day_start(data["published_since"]))
        if data["published_until"]:
            end = _day_start(data["published_until"] + timedelta(days=1))
            questions = questions.filter(approved_at__lt=end)
        if data["cursor"] is not None:
            questions = questions.filter(pk__gt=data["cursor"])
        return questions
