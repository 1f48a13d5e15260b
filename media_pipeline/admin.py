import json

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponseRedirect
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core.admin_privacy import PersonalDataLookupsMixin
from core.errors import DomainError
from core.page_cache import ChangesPublicPagesAdmin
from media_pipeline import selectors, upload_limits, workflow
from media_pipeline.exceptions import MediaPipelineError
from media_pipeline.forms import CaptionAdminForm
from media_pipeline.models import AnswerVideo, Caption, Rendition, UploadSession
from media_pipeline.recording_admin import OwnerKindFilter, RecordingAdminMixin, video_owner
from media_pipeline.services import captions, sources, speech, staff_actions

ADMIN_UPLOAD_MAX_BYTES = 200 * 1024**2


class CaptionInline(admin.TabularInline):
    model = Caption
    form = CaptionAdminForm
    extra = 0
    readonly_fields = ["automatic", "reviewed_at"]


def save_caption_rows(formset, *, video: AnswerVideo) -> None:
    """The caption inline's rows go through the caption services, so a replaced or deleted file
    leaves the storage too; the formset's lists are filled for the admin's change message."""
    formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
    for row in formset.deleted_forms:
        if row.instance.pk:
            captions.delete_caption(caption=row.instance)
            formset.deleted_objects.append(row.instance)
    for row in formset.forms:
        if row in formset.deleted_forms or not row.has_changed():
            continue
        data = row.cleaned_data
        upload = data.get("file")
        content = upload.read() if hasattr(upload, "content_type") else None  # a new file
        if row.instance.pk:
            caption = captions.edit_caption(
                caption=row.instance,
                language=data["language"],
                label=data["label"],
                content=content,
            )
            formset.changed_objects.append((caption, row.changed_data))
        else:
            caption = captions.set_caption(
                video=video, language=data["language"], content=content, label=data["label"]
            )
            formset.new_objects.append(caption)


class RenditionInline(admin.TabularInline):
    model = Rendition
    extra = 0
    can_delete = False
    readonly_fields = ["name", "width", "height", "video_bitrate", "audio_bitrate", "playlist"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False


def staff_page_hint() -> str:
    """The upload field's hint, with the staff page (resumable uploads of any size) as a link."""
    return format_html(
        '{} <a href="{}">{}</a>',
        _("For files up to 200 MB."),
        reverse("media_pipeline:staff"),
        _("Larger files: the staff page, with resumable uploads"),
    )


class AnswerVideoAdminForm(forms.ModelForm):
    """A plain upload for small files; large ones go through the staff page's resumable upload."""

    upload = forms.FileField(
        label=_("Video file"),
        required=False,
        # The hint, with a link to the staff page, is set in __init__ (staff_page_hint).
        widget=forms.ClearableFileInput(attrs={"accept": "video/*"}),
    )

    class Meta:
        model = AnswerVideo
        fields = ["question", "language", "transcript"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "upload" in self.fields:
            self.fields["upload"].help_text = staff_page_hint()
        if "question" in self.fields:
            self.fields["question"].queryset = selectors.questions_awaiting_video()

    def clean_upload(self):
        upload = self.cleaned_data.get("upload")
        if upload:
            if upload.size > ADMIN_UPLOAD_MAX_BYTES:
                raise forms.ValidationError(_("Too large for this form: use the staff page."))
            try:
                workflow.UPLOAD.check(self.instance if self.instance.pk else None)
                upload_limits.check_declared_file(
                    length=upload.size,
                    content_type=upload.content_type or "",
                    filename=upload.name,
                )
            except MediaPipelineError as error:
                raise forms.ValidationError(str(error)) from error
        elif not self.instance.pk:
            raise forms.ValidationError(_("Choose the video file."))
        return upload


TECHNICAL_LOG_LINES = 40


@admin.register(AnswerVideo)
class AnswerVideoAdmin(
    RecordingAdminMixin, ChangesPublicPagesAdmin, PersonalDataLookupsMixin, admin.ModelAdmin
):
    form = AnswerVideoAdminForm
    list_display = ["owner", "state", "progress_bar", "duration_seconds", "updated_at"]
    list_filter = [OwnerKindFilter, "state"]
    list_select_related = ["question", "event"]
    search_fields = ["question__title", "question__public_id", "event__title", "event__slug"]
    autocomplete_fields = []
    readonly_fields = [
        "owner",
        "state",
        "progress_bar",
        "duration_seconds",
        "width",
        "height",
        "probe_data",
        "error_reason",
        "technical_log",
        "transcript_automatic",
        "speech_status",
        "attempts",
        "output_version",
        "uploaded_at",
        "ready_at",
        "published_at",
    ]
    actions = ["retry_selected", "publish_selected"]
    inlines = [RenditionInline, CaptionInline]

    class Media:
        js = ["media_pipeline/status.js"]
        css = {"all": ["media_pipeline/media.css"]}

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["question", "upload"]
        upload = ["upload"] if workflow.UPLOAD.allows(obj, request.user) else []
        return [*upload, "language", "transcript", *self.readonly_fields]

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["controls"] = workflow.controls(obj, request.user) if obj else None
        return super().render_change_form(request, context, add, change, form_url, obj)

    @admin.display(description=_("progress"))
    def progress_bar(self, video: AnswerVideo) -> str:
        return render_to_string(
            "media_pipeline/admin_progress.html",
            {"video": video, "busy": workflow.is_busy(video.state)},
        )

    @admin.display(description=AnswerVideo._meta.get_field("probe").verbose_name)
    def probe_data(self, video: AnswerVideo) -> str:
        """What ffprobe found, left to right in every language (JSON reordered by the Arabic
        page's direction reads wrong)."""
        return format_html('<code dir="ltr">{}</code>', json.dumps(video.probe, ensure_ascii=False))

    @admin.display(description=_("technical log"))
    def technical_log(self, video: AnswerVideo) -> str:
        """ffmpeg's log can run to thousands of lines: its end, folded, where the cause is."""
        if not video.error_log:
            return "—"
        lines = video.error_log.splitlines()
        return render_to_string(
            "media_pipeline/admin_log.html",
            {"tail": "\n".join(lines[-TECHNICAL_LOG_LINES:]), "lines": len(lines)},
        )

    @admin.display(description=_("draft captions (speech-to-text)"))
    def speech_status(self, video: AnswerVideo) -> str:
        return render_to_string("media_pipeline/staff/_speech_status.html", {"video": video})

    def save_model(self, request, obj, form, change):
        upload = form.cleaned_data.get("upload")
        if upload:
            video = sources.attach_source(
                question=form.cleaned_data.get("question") or obj.question,
                event=None if obj.question_id else obj.event,
                file=upload,
                actor=request.user,
            )
            obj.pk = video.pk
            obj.refresh_from_db()
        if change and "language" in form.changed_data:
            speech.set_video_language(video=obj, language=form.cleaned_data["language"])
        if change and "transcript" in form.changed_data:
            captions.set_transcript(video=obj, text=form.cleaned_data["transcript"])

    def save_formset(self, request, form, formset, change):
        if formset.model is Caption:
            save_caption_rows(formset, video=form.instance)
        else:
            super().save_formset(request, form, formset, change)

    def get_urls(self):
        return [
            path(
                "<int:video_id>/retry/",
                self.admin_site.admin_view(self.retry_view),
                name="media_pipeline_answervideo_retry",
            ),
            path(
                "<int:video_id>/publish/",
                self.admin_site.admin_view(self.publish_view),
                name="media_pipeline_answervideo_publish",
            ),
            *super().get_urls(),
        ]

    def run_service(self, request: HttpRequest, action, videos, done_message: str) -> None:
        for video in videos:
            try:
                action(video=video, actor=request.user)
                owner = video_owner(video)
                self.message_user(request, f"{owner}: {done_message}", messages.SUCCESS)
            except DomainError as error:  # ours or the question's
                self.message_user(request, f"{video_owner(video)}: {error}", messages.ERROR)

    def retry_view(self, request: HttpRequest, video_id: int):
        video = self.get_object(request, str(video_id))
        if request.method != "POST" or video is None:
            raise PermissionDenied
        if not self.has_change_permission(request, video):
            raise PermissionDenied
        self.run_service(request, staff_actions.retry_video, [video], str(_("processing again")))
        return HttpResponseRedirect(
            reverse("admin:media_pipeline_answervideo_change", args=[video_id])
        )

    def publish_view(self, request: HttpRequest, video_id: int):
        video = self.get_object(request, str(video_id))
        if request.method != "POST" or video is None or not self.has_publish_permission(request):
            raise PermissionDenied
        self.run_service(request, staff_actions.publish_video, [video], str(_("published")))
        return HttpResponseRedirect(
            reverse("admin:media_pipeline_answervideo_change", args=[video_id])
        )

    @admin.action(description=_("Process the selected failed videos again"))
    def retry_selected(self, request: HttpRequest, queryset: QuerySet[AnswerVideo]) -> None:
        self.run_service(request, staff_actions.retry_video, queryset, str(_("processing again")))

    @admin.action(
        description=_("Publish the selected ready videos"),
        permissions=["publish"],
    )
    def publish_selected(self, request: HttpRequest, queryset: QuerySet[AnswerVideo]) -> None:
        self.run_service(request, staff_actions.publish_video, queryset, str(_("published")))

    def has_publish_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm(workflow.PUBLISH.permission)


@admin.register(UploadSession)
class UploadSessionAdmin(PersonalDataLookupsMixin, admin.ModelAdmin):
    list_display = ["filename", "question", "event", "created_by", "offset", "length", "updated_at"]
    list_select_related = ["question", "event", "created_by"]
    readonly_fields = [
        "question",
        "event",
        "created_by",
        "filename",
        "content_type",
        "length",
        "offset",
        "completed_at",
    ]

    def has_add_permission(self, request) -> bool:
        return False
