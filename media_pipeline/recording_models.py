"""An event's recording cut into chapters: one per question answered on stage."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from media_pipeline.models import AnswerVideo
from questions.models import Question


class RecordingChapter(models.Model):
    """Where, in an event's recording, one question answered on stage starts and ends."""

    recording = models.ForeignKey(
        AnswerVideo,
        on_delete=models.CASCADE,
        related_name="chapters",
        verbose_name=_("recording"),
    )
    question = models.OneToOneField(
        Question,
        on_delete=models.PROTECT,
        related_name="recording_chapter",
        verbose_name=_("question"),
    )
    start_seconds = models.FloatField(_("start (s)"))
    end_seconds = models.FloatField(_("end (s)"))
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    class Meta:
        ordering = ["start_seconds", "pk"]
        verbose_name = _("chapter")
        verbose_name_plural = _("chapters")
        constraints = [
            models.CheckConstraint(
                condition=Q(start_seconds__gte=0) & Q(end_seconds__gt=models.F("start_seconds")),
                name="chapter_start_before_end",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.question} ({self.start_seconds:.0f}–{self.end_seconds:.0f} s)"
