from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from questions.models import Question


class PlayCount(models.Model):
    """Plays of one answer on one day in one page language: started, and watched to the end.

    Written only by counters.record_play (an atomic upsert); no cookie, no address, no visitor.
    """

    day = models.DateField(_("day"))
    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="+", verbose_name=_("question")
    )
    language = models.CharField(_("language"), max_length=7, choices=settings.LANGUAGES)
    started = models.PositiveBigIntegerField(_("plays started"), default=0)
    completed = models.PositiveBigIntegerField(_("plays watched to the end"), default=0)

    class Meta:
        verbose_name = _("daily plays")
        verbose_name_plural = _("daily plays")
        permissions = [("view_statistics", _("Can see the statistics"))]
        constraints = [
            models.UniqueConstraint(
                fields=["day", "question", "language"], name="playcount_one_row_per_day"
            ),
        ]
        indexes = [models.Index(fields=["question", "day"], name="playcount_question_day_idx")]

    def __str__(self) -> str:
        return f"{self.day} {self.question_id} {self.language}: {self.started}/{self.completed}"


class ReachKind(models.TextChoices):
    FEED = "feed", _("Feed downloads")
    EMBED = "embed", _("Embedded player views")
    OEMBED = "oembed", _("oEmbed requests")


class ReachCount(models.Model):
    """Requests that reached the server for a feed, an embed or an oEmbed answer, per day."""

    day = models.DateField(_("day"))
    kind = models.CharField(_("kind"), max_length=8, choices=ReachKind.choices)
    key = models.CharField(_("what"), max_length=120, blank=True)
    language = models.CharField(_("language"), max_length=7, blank=True)
    count = models.PositiveBigIntegerField(_("count"), default=0)

    class Meta:
        verbose_name = _("daily views")
        verbose_name_plural = _("daily views")
        constraints = [
            models.UniqueConstraint(
                fields=["day", "kind", "key", "language"], name="reachcount_one_row_per_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.kind} {self.key}: {self.count}"


class PlayFlush(models.Model):
    """A batch of plays moved from Redis into PlayCount (play_buffer.flush_plays): recorded in the
    same transaction, so a batch is never added twice. Kept two days."""

    batch = models.CharField(max_length=32, unique=True)
    flushed_at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self) -> str:
        return self.batch
