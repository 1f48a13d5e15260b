from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.i18n import current_language
from events.regions import Region, region_time_zone


class Theme(models.Model):
    """A foreign-policy theme (Europe, climate, …). Names are translated per language."""

    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    name = models.CharField(_("name (French)"), max_length=100)
    # {"en": "Europe", "ar": "أوروبا", ...}; French lives in `name`.
    name_translations = models.JSONField(_("translated names"), default=dict, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("theme")
        verbose_name_plural = _("themes")

    def __str__(self) -> str:
        return self.localized_name

    @property
    def localized_name(self) -> str:
        language = current_language()
        translations = self.name_translations or {}
        return translations.get(language, translations.get(language.split("-")[0], self.name))


# What an event's organisers may write in each language; French lives in the fields themselves.
EVENT_TRANSLATED_FIELDS = ("title", "venue", "address", "speakers", "description")


class LocalizedText(str):
    """A text and the language it is really in: the page's, or French when nobody translated it
    (templates mark it `lang="{{ text.language }}"`)."""

    language: str

    def __new__(cls, text: str, language: str) -> "LocalizedText":
        localized = super().__new__(cls, text)
        localized.language = language
        return localized

    def __reduce__(self):  # pickled by caches with its language
        return (LocalizedText, (str(self), self.language))


def _speaker_lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


class EventText:
    """An event's translatable texts in one language, French where no translation was given:
    `event.i18n.title`, `event.i18n.speaker_list`."""

    def __init__(self, event: "Event", language: str) -> None:
        self._event = event
        self._language = language

    def __getattr__(self, name: str) -> LocalizedText:
        if name not in EVENT_TRANSLATED_FIELDS:
            raise AttributeError(name)
        return self._event.translated(name, self._language)

    @property
    def speaker_list(self) -> list[LocalizedText]:
        speakers = self.speakers
        return [LocalizedText(line, speakers.language) for line in _speaker_lines(speakers)]


class EventQuerySet(models.QuerySet):
    def published(self) -> "EventQuerySet":
        return self.filter(is_published=True)

    def upcoming(self, now=None) -> "EventQuerySet":
        return self.filter(ends_at__gte=now or timezone.now()).order_by("starts_at")

    def past(self, now=None) -> "EventQuerySet":
        return self.filter(ends_at__lt=now or timezone.now()).order_by("-starts_at")


class Event(models.Model):
    """A stop of the tour: the spokesperson and diplomats meet citizens in a region."""

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    city = models.CharField(_("city"), max_length=100)
    region = models.CharField(_("region"), max_length=3, choices=Region.choices)
    venue = models.CharField(_("venue"), max_length=200)
    address = models.CharField(_("address"), max_length=300, blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    speakers = models.TextField(
        _("speakers"), blank=True, help_text=_("One speaker per line: name, then role.")
    )
    themes = models.ManyToManyField(Theme, related_name="events", verbose_name=_("themes"))
    description = models.TextField(_("description"), blank=True)
    # {"en": {"title": "…", "venue": "…", …}, "ar": {…}}; French lives in the fields above.
    translations = models.JSONField(_("translations"), default=dict, blank=True)
    image = models.ImageField(_("image"), upload_to="events/", blank=True)
    image_alt = models.CharField(_("image description"), max_length=200, blank=True)
    questions_open_at = models.DateTimeField(_("questions accepted from"))
    questions_close_at = models.DateTimeField(_("questions accepted until"))
    is_published = models.BooleanField(_("published"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("tour event")
        verbose_name_plural = _("tour events")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gte=F("starts_at")), name="event_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(questions_close_at__gt=F("questions_open_at")),
                name="event_question_window_ordered",
            ),
            models.CheckConstraint(
                condition=Q(region__in=Region.values), name="event_region_valid"
            ),
        ]
        indexes = [
            models.Index(fields=["is_published", "starts_at"], name="event_published_start_idx"),
            models.Index(fields=["region", "starts_at"], name="event_region_start_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.city})"

    def accepts_questions(self, now=None) -> bool:
        now = now or timezone.now()
        return self.is_published and self.questions_open_at <= now < self.questions_close_at

    @property
    def time_zone(self) -> str:
        """The event's local time zone (overseas regions are not on Paris time)."""
        return region_time_zone(self.region)

    @property
    def speaker_list(self) -> list[str]:
        return _speaker_lines(self.speakers)

    def translated(self, field: str, language: str | None = None) -> LocalizedText:
        """`field` in `language` (default: the active one), or the French text if not given."""
        language = language or current_language()
        text = (self.translations or {}).get(language.lower(), {}).get(field, "").strip()
        if text and language != settings.LANGUAGE_CODE:
            return LocalizedText(text, language)
        return LocalizedText(getattr(self, field), settings.LANGUAGE_CODE)

    @property
    def i18n(self) -> EventText:
        """The event's texts in the active language (French where not translated)."""
        return EventText(self, current_language())
