"""An event's live state on the tour day: whether it is live, whether new questions go to the
console's short queue (live moderation), and a version that every change in the room bumps."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class LiveEvent(models.Model):
    """One row per event that has ever been live. Changed only through questions.live.services."""

    event = models.OneToOneField(
        "events.Event",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="live",
        verbose_name=_("event"),
    )
    is_live = models.BooleanField(_("live"), default=False)
    # New questions of the event go to the live console's short queue.
    live_moderation = models.BooleanField(_("live moderation"), default=False)
    # Bumped (in the same transaction) by every change the room sees; read by the polling clients.
    version = models.PositiveBigIntegerField(_("version"), default=0)
    started_at = models.DateTimeField(_("live since"), null=True, blank=True)
    ended_at = models.DateTimeField(_("live until"), null=True, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("last changed by"),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        app_label = "questions"
        verbose_name = _("live event")
        verbose_name_plural = _("live events")

    def __str__(self) -> str:
        return f"{self.event_id}: {'live' if self.is_live else 'off'} v{self.version}"
