"""A video's speech-to-text job: drafts its captions and transcript, leased like a transcode."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from media_pipeline import workflow
from media_pipeline.models import AnswerVideo
from media_pipeline.workflow import SpeechState


class SpeechJob(models.Model):
    """The speech-to-text draft of a video's captions and transcript: one job per video, leased
    by a worker like a transcode (attempt number, start time, deadline renewed by progress)."""

    video = models.OneToOneField(AnswerVideo, on_delete=models.CASCADE, related_name="speech_job")
    language = models.CharField(_("language"), max_length=7, choices=settings.LANGUAGES)
    state = models.CharField(
        _("state"), max_length=8, choices=SpeechState.choices, default=SpeechState.QUEUED
    )
    progress = models.FloatField(_("progress (%)"), default=0)
    engine = models.CharField(_("engine"), max_length=60, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    processing_started_at = models.DateTimeField(_("started"), null=True, blank=True)
    processing_deadline = models.DateTimeField(_("deadline"), null=True, blank=True)
    # The running worker's lease (core.leases), renewed by its progress writes and heartbeat.
    lease_expires_at = models.DateTimeField(_("lease expires at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    error_reason = models.TextField(_("failure reason"), blank=True)
    error_log = models.TextField(_("technical log"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("speech-to-text job")
        verbose_name_plural = _("speech-to-text jobs")
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=SpeechState.values), name="speech_state_valid"
            ),
            models.CheckConstraint(
                condition=Q(progress__gte=0) & Q(progress__lte=100), name="speech_progress_range"
            ),
        ]
        indexes = [
            models.Index(fields=["state", "processing_deadline"], name="speech_state_deadline_idx")
        ]

    def __str__(self) -> str:
        return f"{self.video_id} ({self.get_state_display()})"

    @property
    def is_busy(self) -> bool:
        return self.state in workflow.SPEECH_BUSY

    @property
    def is_failed(self) -> bool:
        return self.state == SpeechState.FAILED

    @property
    def badge(self) -> str:
        return {SpeechState.FAILED: "error", SpeechState.DONE: "info"}.get(self.state, "new")
