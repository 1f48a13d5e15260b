from django import forms
from django.conf import settings
from django.core.files import File
from django.utils.translation import gettext_lazy as _

from media_pipeline.exceptions import InvalidCaptions
from media_pipeline.models import Caption
from media_pipeline.webvtt import MAX_CAPTION_BYTES, validate_webvtt


def validated_webvtt(uploaded: File) -> File:
    """The uploaded file, rewound, if it reads as WebVTT; else the reason as a field error."""
    try:
        validate_webvtt(uploaded.read())
    except InvalidCaptions as error:
        raise forms.ValidationError(str(error)) from error
    uploaded.seek(0)
    return uploaded


class CaptionForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES, initial="fr")
    label = forms.CharField(
        label=_("Label shown in the player"),
        required=False,
        max_length=60,
        help_text=_("Optional; the language's name by default."),
    )
    file = forms.FileField(
        label=_("WebVTT file (.vtt)"),
        help_text=_("Starts with “WEBVTT”; at most %(size)d KB.")
        % {"size": MAX_CAPTION_BYTES // 1024},
        widget=forms.ClearableFileInput(attrs={"accept": ".vtt,text/vtt"}),
    )

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        if uploaded.size > MAX_CAPTION_BYTES:
            raise forms.ValidationError(_("The captions file is too large."))
        return validated_webvtt(uploaded)


class TranscriptForm(forms.Form):
    transcript = forms.CharField(
        label=_("Transcript"), required=False, max_length=100_000, widget=forms.Textarea
    )


class CaptionAdminForm(forms.ModelForm):
    """The admin inline validates WebVTT like the staff page does."""

    class Meta:
        model = Caption
        fields = ["language", "label", "file"]

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        if uploaded and hasattr(uploaded, "content_type"):  # a new file, not the stored one
            return validated_webvtt(uploaded)
        return uploaded
