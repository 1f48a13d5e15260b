"""Domain errors raised by questions.services; views and admin turn them into messages."""

from django.utils.translation import gettext_lazy as _


class QuestionError(Exception):
    """Base class: `message` is safe to show to the user who acted."""

    default_message = _("This action is not possible.")

    def __init__(self, message: str | None = None) -> None:
        self.message = message or str(self.default_message)
        super().__init__(self.message)


class TransitionNotAllowed(QuestionError):
    default_message = _("This action does not fit the question's current state.")


class AlreadyDecided(TransitionNotAllowed):
    """Another moderator changed the question first."""

    default_message = _("Another moderator has already decided on this question.")


# --- Moderation ---------------------------------------------------------------------------------


class InvalidRejectionReason(QuestionError):
    default_message = _("Choose a reason from the list.")


class InvalidDuplicateTarget(QuestionError):
    """The question to keep cannot absorb the duplicate (itself, gone, rejected, a duplicate…)."""

    default_message = _("This question cannot be kept as the original.")


class UndoPeriodOver(QuestionError):
    """The rejection is older than the retention period (its personal data may be gone)."""

    default_message = _("The rejection is too old to be undone.")
