"""Stored aggregates of the question figures (questions/tallies.py keeps them; the statistics
page reads them instead of scanning the questions)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class TallyDimension(models.TextChoices):
    ALL = "all", _("All questions")  # key "": the totals per day (per month on the page)
    EVENT = "event", _("Event")
    THEME = "theme", _("Theme")
    REGION = "region", _("Citizen’s region")
    LANGUAGE = "language", _("Language")
    REJECTION = "rejection", _("Rejection reason")  # only `rejected` is counted there


class QuestionTally(models.Model):
    """The questions written on one day (Paris time) that share one value of one dimension: how
    many there are and how far each went, as the questions stand now.

    A question adds to one row per dimension (5, or 6 when rejected); each change of a question
    moves its contribution in the same transaction (questions.tallies). Rows are per dimension,
    not per combination, so a year has a few thousand of them whatever the number of questions.
    """

    day = models.DateField(_("day written"))
    dimension = models.CharField(_("dimension"), max_length=10, choices=TallyDimension.choices)
    key = models.CharField(_("value"), max_length=40, blank=True)
    received = models.IntegerField(default=0)
    confirmed = models.IntegerField(default=0)
    approved = models.IntegerField(default=0)
    rejected = models.IntegerField(default=0)
    merged = models.IntegerField(default=0)
    selected = models.IntegerField(default=0)
    answered = models.IntegerField(default=0)
    supports = models.BigIntegerField(default=0)

    COUNTS = (
        "received",
        "confirmed",
        "approved",
        "rejected",
        "merged",
        "selected",
        "answered",
        "supports",
    )

    class Meta:
        verbose_name = _("question tally")
        verbose_name_plural = _("question tallies")
        constraints = [
            models.UniqueConstraint(
                fields=["dimension", "day", "key"], name="questiontally_one_row_per_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.dimension}={self.key}: {self.received}"


class QuestionDelay(models.Model):
    """One question's delays in seconds (submitted → decided, selected → answered), with the
    values it is grouped by: the medians read this narrow table, not the questions."""

    question_id = models.BigIntegerField(primary_key=True)  # the question's id; deleted with it
    day = models.DateField(_("day written"))
    event_id = models.BigIntegerField()
    theme_id = models.BigIntegerField(null=True)
    region = models.CharField(max_length=3)
    language = models.CharField(max_length=7)
    decision_seconds = models.FloatField(null=True)
    answer_seconds = models.FloatField(null=True)

    class Meta:
        verbose_name = _("question delay")
        verbose_name_plural = _("question delays")
        indexes = [models.Index(fields=["day"], name="questiondelay_day_idx")]

    def __str__(self) -> str:
        return f"{self.question_id}: {self.decision_seconds} / {self.answer_seconds}"
