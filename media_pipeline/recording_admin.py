"""The admin's view of event recordings beside answer videos: which kind of owner a video has
(a question it answers, or the event it records) and, for a recording, its chapters."""

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from media_pipeline.models import AnswerVideo, RecordingChapter

QUESTION, EVENT = "question", "event"


def video_owner(video: AnswerVideo) -> object:
    """What the video is for: its question, or the event it records."""
    return video.event if video.event_id else video.question


class OwnerKindFilter(admin.SimpleListFilter):
    title = _("kind")
    parameter_name = "kind"

    def lookups(self, request: HttpRequest, model_admin) -> list[tuple[str, str]]:
        return [(QUESTION, _("Answer to a question")), (EVENT, _("Event recording"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value() == QUESTION:
            return queryset.filter(event__isnull=True)
        if self.value() == EVENT:
            return queryset.filter(event__isnull=False)
        return queryset


class ChapterInline(admin.TabularInline):
    """A recording's chapters, read-only: staff set them on the recording's staff page."""

    model = RecordingChapter
    extra = 0
    can_delete = False
    fields = ["question", "start_seconds", "end_seconds", "published_at"]
    readonly_fields = fields
    ordering = ["start_seconds"]

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).select_related("question")


class RecordingAdminMixin:
    """The owner column and, for a recording, its chapters inline."""

    @admin.display(description=_("answers or records"), ordering="question__title")
    def owner(self, video: AnswerVideo) -> str:
        kind = _("Event recording") if video.event_id else _("Answer to a question")
        return format_html("{} <small>({})</small>", video_owner(video), kind)

    def get_inlines(self, request: HttpRequest, obj: AnswerVideo | None):
        inlines = list(super().get_inlines(request, obj))
        return [*inlines, ChapterInline] if obj is not None and obj.is_recording else inlines
