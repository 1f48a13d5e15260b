from django import forms
from django.conf import settings
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core.admin_privacy import PersonalDataLookupsMixin
from core.page_cache import ChangesPublicPagesAdmin
from events.models import EVENT_TRANSLATED_FIELDS, Event, Theme

# Languages an event may be translated into (French is the original, in the model's fields).
TRANSLATION_LANGUAGES = [(code, name) for code, name in settings.LANGUAGES if code != "fr"]
MULTILINE_FIELDS = {"speakers", "description"}


def translation_field_name(field: str, language: str) -> str:
    return f"{field}__{language.replace('-', '_')}"


def _translation_field(field: str, language: str, language_name: str) -> forms.CharField:
    model_field = Event._meta.get_field(field)
    attrs = {"lang": language, "dir": "auto"}
    return forms.CharField(
        label=f"{model_field.verbose_name} ({language_name})",
        required=False,
        max_length=getattr(model_field, "max_length", None),
        widget=(
            forms.Textarea(attrs={"rows": 3, **attrs})
            if field in MULTILINE_FIELDS
            else forms.TextInput(attrs=attrs)
        ),
    )


class EventTranslationsForm(forms.ModelForm):
    """The model's French fields plus one field per (text, language), kept in `translations`."""

    class Meta:
        model = Event
        fields = [
            *EVENT_TRANSLATED_FIELDS,
            *("slug", "city", "region", "starts_at", "ends_at", "questions_open_at"),
            *("questions_close_at", "themes", "image", "image_alt", "is_published"),
        ]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        stored = self.instance.translations or {}
        for language, _name in TRANSLATION_LANGUAGES:
            for field in EVENT_TRANSLATED_FIELDS:
                name = translation_field_name(field, language)
                if name in self.fields:
                    self.fields[name].initial = stored.get(language, {}).get(field, "")

    def save(self, commit: bool = True) -> Event:
        translations = {}
        for language, _name in TRANSLATION_LANGUAGES:
            texts = {}
            for field in EVENT_TRANSLATED_FIELDS:
                value = self.cleaned_data.get(translation_field_name(field, language), "")
                if value and value.strip():
                    texts[field] = value.strip()
            if texts:
                translations[language] = texts
        self.instance.translations = translations
        return super().save(commit=commit)


# Declared fields (the admin only accepts fields a form declares): one per text and language.
EventAdminForm = type(
    "EventAdminForm",
    (EventTranslationsForm,),
    {
        translation_field_name(field, code): _translation_field(field, code, name)
        for code, name in TRANSLATION_LANGUAGES
        for field in EVENT_TRANSLATED_FIELDS
    },
)


@admin.register(Theme)
class ThemeAdmin(ChangesPublicPagesAdmin, PersonalDataLookupsMixin, admin.ModelAdmin):
    list_display = ["name", "slug", "position"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Event)
class EventAdmin(ChangesPublicPagesAdmin, PersonalDataLookupsMixin, admin.ModelAdmin):
    form = EventAdminForm
    list_display = ["title", "city", "region", "starts_at", "questions_close_at", "is_published"]
    list_filter = ["is_published", "region"]
    search_fields = ["title", "city", "venue"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["themes"]
    date_hierarchy = "starts_at"
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "slug",
                    ("city", "region"),
                    ("starts_at", "ends_at"),
                    ("questions_open_at", "questions_close_at"),
                    "themes",
                    ("image", "image_alt"),
                    "is_published",
                ]
            },
        ),
        # The original and its translations, laid out side by side (events/admin/translations.css).
        (
            _("French (original)"),
            {"fields": list(EVENT_TRANSLATED_FIELDS), "classes": ["hlm-translation"]},
        ),
        *[
            (
                language_name,
                {
                    "fields": [
                        translation_field_name(field, code) for field in EVENT_TRANSLATED_FIELDS
                    ],
                    "classes": ["hlm-translation"],
                    "description": _("Left empty, the French text is shown."),
                },
            )
            for code, language_name in TRANSLATION_LANGUAGES
        ],
    ]

    class Media:
        css = {"all": ["events/admin/translations.css"]}
