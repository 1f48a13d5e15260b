import uuid
from pathlib import Path

from django.conf import settings
from django.core.files.storage import storages
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from events.models import Event
from media_pipeline import workflow
from media_pipeline.workflow import VideoState
from questions.models import Question


def private_storage():
    """Sources stay private: local folder outside MEDIA_ROOT, or a private S3 prefix."""
    return storages["private"]


def source_upload_to(video: "AnswerVideo", filename: str) -> str:
    # The client's file name is never trusted: only a random name is kept.
    if video.event_id:
        return f"sources/events/{video.event_id}/{uuid.uuid4().hex}"
    return f"sources/{video.question_id}/{uuid.uuid4().hex}"


class AnswerVideo(models.Model):
    """The spokesperson's video answer to one question, or an event's recording (the tour day:
    one video answering several questions, each in its chapter), from upload to publication."""

    question = models.OneToOneField(
        Question,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="answer_video",
        verbose_name=_("question"),
    )
    event = models.OneToOneField(
        Event,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="recording",
        verbose_name=_("event"),
    )
    # When the camera started, to place the live console's marks in the recording.
    recording_started_at = models.DateTimeField(_("recording started at"), null=True, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    source = models.FileField(
        _("source file"),
        storage=private_storage,
        upload_to=source_upload_to,
        max_length=255,
        blank=True,
    )
    source_size = models.BigIntegerField(_("source size (bytes)"), null=True, blank=True)
    state = models.CharField(
        _("state"), max_length=12, choices=VideoState.choices, default=VideoState.UPLOADING
    )
    progress = models.FloatField(_("progress (%)"), default=0)
    probe = models.JSONField(_("probe facts"), default=dict, blank=True)
    duration_seconds = models.FloatField(_("duration (s)"), null=True, blank=True)
    width = models.PositiveIntegerField(_("width"), null=True, blank=True)
    height = models.PositiveIntegerField(_("height"), null=True, blank=True)
    error_reason = models.TextField(_("failure reason"), blank=True)
    error_log = models.TextField(_("technical log"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    processing_deadline = models.DateTimeField(_("processing deadline"), null=True, blank=True)
    # Renewed by the worker while it processes (core.leases): lapsed, another worker takes over.
    lease_expires_at = models.DateTimeField(_("lease expires at"), null=True, blank=True)
    # Outputs live under media/answers/<question>/<version>/; a retry writes a new version.
    output_version = models.CharField(_("output version"), max_length=64, blank=True)
    hls_master = models.FileField(_("HLS master playlist"), max_length=255, blank=True)
    mp4 = models.FileField(_("MP4 fallback"), max_length=255, blank=True)
    poster = models.FileField(_("poster"), max_length=255, blank=True)
    # The poster's pixels, for the share cards and oEmbed that announce it with its size.
    poster_width = models.PositiveIntegerField(_("poster width"), null=True, blank=True)
    poster_height = models.PositiveIntegerField(_("poster height"), null=True, blank=True)
    poster_small = models.FileField(_("small poster"), max_length=255, blank=True)
    # The language spoken in the video: speech-to-text drafts its captions in it.
    language = models.CharField(
        _("language spoken"), max_length=7, choices=settings.LANGUAGES, default="fr"
    )
    transcript = models.TextField(_("transcript"), blank=True)
    # Drafted by speech-to-text and not reviewed yet: never publishable as it is.
    transcript_automatic = models.BooleanField(
        _("automatic transcript, not reviewed"), default=False
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    uploaded_at = models.DateTimeField(_("uploaded at"), null=True, blank=True)
    processing_started_at = models.DateTimeField(_("processing started"), null=True, blank=True)
    ready_at = models.DateTimeField(_("ready at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    class Meta:
        verbose_name = _("answer video")
        verbose_name_plural = _("answer videos")
        permissions = [("publish_answervideo", _("Can publish answer videos"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(question__isnull=False, event__isnull=True)
                | Q(question__isnull=True, event__isnull=False),
                name="video_question_xor_event",
            ),
            models.CheckConstraint(
                condition=Q(state__in=VideoState.values), name="video_state_valid"
            ),
            models.CheckConstraint(
                condition=Q(progress__gte=0) & Q(progress__lte=100), name="video_progress_range"
            ),
            models.CheckConstraint(
                condition=~Q(state=VideoState.PUBLISHED) | ~Q(hls_master=""),
                name="video_published_has_stream",
            ),
        ]
        indexes = [
            models.Index(fields=["state", "processing_deadline"], name="video_state_deadline_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.question or self.event} ({self.get_state_display()})"

    @property
    def is_public(self) -> bool:
        return workflow.is_public(self.state)

    @property
    def public_captions(self) -> list["Caption"]:
        """Captions the public may see: reviewed ones only, never an automatic draft as it is
        (from the prefetched captions when the page prefetched them)."""
        return [caption for caption in self.captions.all() if caption.is_reviewed]

    @property
    def is_recording(self) -> bool:
        return self.event_id is not None


class Rendition(models.Model):
    """One rung of the HLS ladder of a video's current output version."""

    video = models.ForeignKey(AnswerVideo, on_delete=models.CASCADE, related_name="renditions")
    name = models.CharField(_("name"), max_length=20)
    width = models.PositiveIntegerField(_("width"))
    height = models.PositiveIntegerField(_("height"))
    video_bitrate = models.PositiveIntegerField(_("video bitrate"), help_text=_("bits per second"))
    audio_bitrate = models.PositiveIntegerField(_("audio bitrate"), help_text=_("bits per second"))
    playlist = models.FileField(_("playlist"), max_length=255)

    class Meta:
        ordering = ["-height"]
        verbose_name = _("rendition")
        verbose_name_plural = _("renditions")
        constraints = [
            models.UniqueConstraint(fields=["video", "name"], name="rendition_unique_name"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.width}×{self.height})"


class Caption(models.Model):
    """Subtitles (WebVTT) of a video in one language."""

    video = models.ForeignKey(AnswerVideo, on_delete=models.CASCADE, related_name="captions")
    language = models.CharField(_("language"), max_length=7, choices=settings.LANGUAGES)
    label = models.CharField(_("label"), max_length=60, blank=True)
    file = models.FileField(_("WebVTT file"), upload_to="captions/", max_length=255)
    # Drafted by speech-to-text; a draft counts for publication only once a person reviewed it.
    automatic = models.BooleanField(_("automatic"), default=False)
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, null=True)

    class Meta:
        ordering = ["language"]
        verbose_name = _("caption")
        verbose_name_plural = _("captions")
        constraints = [
            models.UniqueConstraint(fields=["video", "language"], name="caption_one_per_language"),
        ]

    def __str__(self) -> str:
        return f"{self.video_id}:{self.language}"

    @property
    def is_reviewed(self) -> bool:
        return self.reviewed_at is not None


class CaptionCue(models.Model):
    """One cue of a caption file, kept in rows so that search finds what was said, and when."""

    caption = models.ForeignKey(Caption, on_delete=models.CASCADE, related_name="cues")
    start = models.FloatField(_("start (s)"))
    end = models.FloatField(_("end (s)"))
    text = models.TextField(_("text"))

    class Meta:
        ordering = ["caption", "start"]
        verbose_name = _("caption cue")
        verbose_name_plural = _("caption cues")
        indexes = [models.Index(fields=["caption", "start"], name="cue_caption_start_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="cue_ends_after_start")
        ]

    def __str__(self) -> str:
        return f"{self.start:.3f} {self.text[:40]}"


class UploadSession(models.Model):
    """A resumable (tus 1.0) upload in progress: bytes land in a local temporary file."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # What the video will answer: a question, or an event (its recording), never both.
    question = models.ForeignKey(
        Question,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("question"),
    )
    event = models.ForeignKey(
        Event,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("event"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("started by"),
    )
    filename = models.CharField(_("file name"), max_length=255, blank=True)
    content_type = models.CharField(_("declared type"), max_length=100)
    length = models.BigIntegerField(_("length (bytes)"))
    offset = models.BigIntegerField(_("received (bytes)"), default=0)
    created_at = models.DateTimeField(_("started at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last piece at"), auto_now=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("upload in progress")
        verbose_name_plural = _("uploads in progress")
        constraints = [
            models.CheckConstraint(
                condition=Q(offset__gte=0) & Q(offset__lte=models.F("length")),
                name="upload_offset_within_length",
            ),
            models.CheckConstraint(
                condition=Q(question__isnull=False, event__isnull=True)
                | Q(question__isnull=True, event__isnull=False),
                name="upload_question_xor_event",
            ),
        ]
        indexes = [models.Index(fields=["updated_at"], name="upload_updated_idx")]

    def __str__(self) -> str:
        return f"{self.filename or self.pk} ({self.offset}/{self.length})"

    @property
    def temp_path(self) -> Path:
        return Path(settings.UPLOAD_TEMP_DIR) / "tus" / f"{self.pk.hex}.part"


# Models of their own modules, registered with the app's.
from media_pipeline.recording_models import RecordingChapter  # noqa: E402, F401
from media_pipeline.speech_models import SpeechJob  # noqa: E402, F401
