from django.contrib import admin

from media_pipeline.models import AnswerVideo, Caption, Rendition


class CaptionInline(admin.TabularInline):
    model = Caption
    extra = 0


class RenditionInline(admin.TabularInline):
    model = Rendition
    extra = 0
    can_delete = False
    readonly_fields = ["name", "width", "height", "video_bitrate", "audio_bitrate", "playlist"]


@admin.register(AnswerVideo)
class AnswerVideoAdmin(admin.ModelAdmin):
    list_display = ["question", "state", "progress", "duration_seconds", "updated_at"]
    list_filter = ["state"]
    list_select_related = ["question"]
    readonly_fields = ["state", "progress", "probe", "error_reason", "error_log", "attempts"]
    inlines = [RenditionInline, CaptionInline]
