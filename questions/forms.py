"""Citizens' forms. They validate input; services decide what happens."""

import re
import uuid

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Div, Layout, Submit
from django import forms
from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from events.models import Event, Theme
from events.regions import CITIZEN_REGION_CHOICES, Region
from questions.tokens import make_form_started, seconds_since_form_started

TOKEN_PATTERN = re.compile(r"^[0-9a-f]{32}$")


class DsfrSubmit(Submit):
    """crispy's Submit with the DSFR button class instead of Bootstrap's."""

    field_classes = "fr-btn"


class OfferedThemeField(forms.ModelChoiceField):
    """The event's themes: a submitted one is looked up among those the event was read with
    (`offered`, prefetched), not with a query of its own."""

    offered: dict[str, Theme] | None = None

    def __deepcopy__(self, memo):
        # Not ModelChoiceField's copy of the class's empty queryset: each form sets its own.
        return forms.Field.__deepcopy__(self, memo)

    def to_python(self, value):
        if self.offered is None or value in self.empty_values:
            return super().to_python(value)
        key = str(value.pk if isinstance(value, Theme) else value)
        if key not in self.offered:
            raise ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": value},
            )
        return self.offered[key]


class FixedChoiceField(forms.ChoiceField):
    """Choices fixed once for all (a list of lazy labels nobody changes): each form's copy of
    the field shares them instead of deep-copying every label, the largest part of building a
    bound question form (callgrind)."""

    def __deepcopy__(self, memo):
        return forms.Field.__deepcopy__(self, memo)  # its shallow copy shares `_choices`


class QuestionForm(forms.Form):
    theme = OfferedThemeField(
        label=_("Theme"), queryset=Theme.objects.none(), empty_label=_("Choose a theme")
    )
    title = forms.CharField(
        label=_("Short title"),
        max_length=120,
        help_text=_("One sentence that sums up your question."),
        widget=forms.TextInput(attrs={"data-hlm-count": "", "autocomplete": "off"}),
    )
    text = forms.CharField(
        label=_("Your question"),
        max_length=1500,
        widget=forms.Textarea(attrs={"rows": 6, "data-hlm-count": ""}),
    )
    display_name = forms.CharField(
        label=_("Display name or pseudonym"),
        max_length=80,
        help_text=_("Shown with your question. Your e-mail address never is."),
        widget=forms.TextInput(attrs={"autocomplete": "nickname"}),
    )
    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        help_text=_("We send you a link to confirm your question. Format: name@example.org"),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    region = FixedChoiceField(
        label=_("Where do you live?"),
        choices=[("", _("Choose a region")), *CITIZEN_REGION_CHOICES],
    )
    consent = forms.BooleanField(
        label=_(
            "I have read the privacy notice and agree that my question and display name are "
            "published if the moderators approve them."
        ),
        error_messages={"required": _("Please accept the privacy notice to send a question.")},
    )
    # Honeypot: hidden from people by CSS, filled in by naive robots.
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    form_started = forms.CharField(widget=forms.HiddenInput, required=False)
    submission_token = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, event: Event, tokens: bool = True, **kwargs) -> None:
        """`tokens=False` for a page shared by everyone (cached): forms.js fills them in."""
        kwargs.setdefault("auto_id", "question-%s")
        super().__init__(*args, **kwargs)
        if tokens and not self.is_bound:  # a bound form shows the tokens it was sent
            self.initial.setdefault("form_started", make_form_started())
            self.initial.setdefault("submission_token", uuid.uuid4().hex)
        self.event = event
        self.fields["theme"].queryset = event.themes.all()
        if self.is_bound:  # the event's themes, prefetched by the view: no query to check one
            self.fields["theme"].offered = {str(theme.pk): theme for theme in event.themes.all()}

    @cached_property
    def helper(self) -> FormHelper:
        """crispy's layout, built only when the form is shown (not for a valid submission)."""
        helper = FormHelper()
        helper.form_id = "question-form"
        helper.form_method = "post"
        helper.form_action = "#question-form"
        helper.attrs = {"data-hlm-once": ""}
        helper.layout = Layout(
            "theme",
            "title",
            "text",
            "display_name",
            "email",
            "region",
            HTML('{% include "questions/_privacy_hint.html" %}'),
            "consent",
            Div("website", css_class="hlm-hp"),
            "form_started",
            "submission_token",
            DsfrSubmit("send", _("Send my question"), css_class="fr-mt-3w"),
        )
        return helper

    def clean_title(self) -> str:
        return " ".join(self.cleaned_data["title"].split())

    def clean_display_name(self) -> str:
        return " ".join(self.cleaned_data["display_name"].split())

    def clean_submission_token(self) -> str:
        token = self.cleaned_data.get("submission_token", "")
        return token if TOKEN_PATTERN.match(token) else ""

    def clean(self) -> dict:
        cleaned = super().clean()
        try:
            elapsed = seconds_since_form_started(cleaned.get("form_started") or "")
        except signing.BadSignature:
            self.form_expired = True
            self.add_error(
                None, _("This form has expired. Please check your question and send it again.")
            )
            return cleaned
        if elapsed < settings.QUESTION_MIN_FILL_SECONDS:
            self.add_error(
                None, _("That was very fast. Please check your question and send it again.")
            )
        return cleaned

    @property
    def filled_by_robot(self) -> bool:
        return bool(self.cleaned_data.get("website"))


class ResendConfirmationForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        help_text=_("The address you gave with your question. Format: name@example.org"),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("auto_id", "resend-%s")
        super().__init__(*args, **kwargs)


class SupportForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address (optional)"),
        required=False,
        max_length=254,
        help_text=_("Leave it to be told when the answer is published. Format: name@example.org"),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


ANSWERED_CHOICES = [
    ("", _("All questions")),
    ("yes", _("Answered")),
    ("no", _("Awaiting an answer")),
]


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Words to search for"), required=False, max_length=200)
    event = forms.ModelChoiceField(
        label=_("Event"),
        queryset=Event.objects.published().order_by("-starts_at"),
        required=False,
        empty_label=_("All events"),
        to_field_name="slug",
    )
    theme = forms.ModelChoiceField(
        label=_("Theme"),
        queryset=Theme.objects.all(),
        required=False,
        empty_label=_("All themes"),
        to_field_name="slug",
    )
    region = forms.ChoiceField(
        label=_("Region of the tour event"),
        choices=[("", _("All regions")), *Region.choices],
        required=False,
    )
    answered = forms.ChoiceField(label=_("Answer"), choices=ANSWERED_CHOICES, required=False)

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("auto_id", "search-%s")
        super().__init__(*args, **kwargs)
