"""The open dataset's columns, written once: the CSV header, the JSON records, the OpenAPI schema
and the column list of the /open-data/ page all come from COLUMNS.

Only what the public pages already show is published: no e-mail, no citizen's region, no name
beyond the pseudonym the citizen chose to publish.
"""

from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from events.regions import Region
from questions.models import PUBLIC_STATES


@dataclass(frozen=True)
class Column:
    name: str
    schema: dict[str, Any]  # JSON Schema of the value (OpenAPI 3.1 = JSON Schema 2020-12)
    description: Promise
    example: Any = None

    @property
    def type_label(self) -> str:
        """A short type for people: 'string (date-time)', 'integer or null', …"""
        types = self.schema.get("type", "string")
        types = types if isinstance(types, list) else [types]
        main = [kind for kind in types if kind != "null"]
        label = " | ".join(main)
        if self.schema.get("format"):
            label += f" ({self.schema['format']})"
        if "items" in self.schema:
            label += f" [{self.schema['items'].get('type', '')}]"
        return label + (" | null" if "null" in types else "")

    @property
    def nullable(self) -> bool:
        types = self.schema.get("type")
        return isinstance(types, list) and "null" in types


STRING = {"type": "string"}
URI = {"type": "string", "format": "uri"}
NULLABLE_URI = {"type": ["string", "null"], "format": "uri"}
DATE_TIME = {"type": "string", "format": "date-time"}
NULLABLE_DATE_TIME = {"type": ["string", "null"], "format": "date-time"}
LANGUAGE = {"type": "string", "enum": ["fr", "en", "de", "es", "ar", "zh-hans"]}

COLUMNS: tuple[Column, ...] = (
    Column(
        "id",
        {**STRING, "pattern": "^[a-z2-9]{10,12}$"},
        _("Stable identifier of the question."),
        "k3mz8qv2pa",
    ),
    Column("url", URI, _("Address of the question's public page (French)."), None),
    Column("title", STRING, _("Title of the question, as written by the citizen."), None),
    Column("text", STRING, _("Text of the question, as written by the citizen."), None),
    Column("language", LANGUAGE, _("Language the citizen wrote in."), "fr"),
    Column(
        "pseudonym",
        STRING,
        _("Display name or pseudonym the citizen chose to publish (empty once erased)."),
        None,
    ),
    Column(
        "state",
        {"type": "string", "enum": [str(state) for state in PUBLIC_STATES]},
        _("approved (published), selected (to be answered on video) or answered."),
        "answered",
    ),
    Column(
        "supports", {"type": "integer", "minimum": 0}, _("Number of citizens supporting it."), 12
    ),
    Column("theme", STRING, _("Identifier (slug) of the theme."), "europe"),
    Column("theme_name", STRING, _("Name of the theme (French)."), "Europe"),
    Column("event", STRING, _("Identifier (slug) of the tour event it was asked for."), None),
    Column("event_title", STRING, _("Title of the tour event (French)."), None),
    Column("event_city", STRING, _("City of the tour event."), "Lyon"),
    Column(
        "event_region",
        {"type": "string", "enum": list(Region.values)},
        _("Region of the tour event (code, e.g. ARA for Auvergne-Rhône-Alpes)."),
        "ARA",
    ),
    Column("event_starts_at", DATE_TIME, _("Start of the tour event."), None),
    Column("published_at", NULLABLE_DATE_TIME, _("When a moderator published the question."), None),
    Column("selected_at", NULLABLE_DATE_TIME, _("When it was selected for a video answer."), None),
    Column(
        "answered_at",
        NULLABLE_DATE_TIME,
        _(
            "When its answer was published (its video, or the recording of the event where it "
            "was answered on stage)."
        ),
        None,
    ),
    Column(
        "answer_video_url",
        NULLABLE_URI,
        _(
            "MP4 file of the answer; for an answer given on stage, the event's recording with "
            "the answer's start and end as a media fragment (#t=start,end)."
        ),
        None,
    ),
    Column("answer_poster_url", NULLABLE_URI, _("Still image of the answer's video."), None),
    Column(
        "answer_embed_url",
        NULLABLE_URI,
        _("Player of the answer for other sites (iframe), from the answer's start."),
        None,
    ),
    Column(
        "answer_on_stage",
        {"type": "boolean"},
        _(
            "Whether it was answered on stage during the tour event (an excerpt of the event's "
            "recording) rather than in a video of its own."
        ),
        False,
    ),
    Column(
        "answer_start_seconds",
        {"type": ["number", "null"], "minimum": 0},
        _("For an answer given on stage: where it starts in the event's recording, in seconds."),
        1325.0,
    ),
    Column(
        "answer_duration_seconds",
        {"type": ["number", "null"], "minimum": 0},
        _("Length of the answer in seconds."),
        61.4,
    ),
    Column(
        "answer_caption_languages",
        {"type": "array", "items": LANGUAGE, "uniqueItems": True},
        _("Languages of the captions of the answer's video (CSV: separated by spaces)."),
        ["fr", "en"],
    ),
    Column(
        "answer_transcript",
        {"type": ["string", "null"]},
        _(
            "Transcript of the video answer; none for an answer given on stage (the "
            "recording's captions hold what was said)."
        ),
        None,
    ),
)

COLUMN_NAMES: tuple[str, ...] = tuple(column.name for column in COLUMNS)
