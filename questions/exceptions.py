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


# --- Citizens' actions (submission, confirmation, supports) ----------------------------------


class QuestionsClosed(QuestionError):
    """The event does not accept questions now (not published, window not open, or closed)."""

    default_message = _("This event does not accept questions at the moment.")


class ThemeNotOffered(QuestionError):
    default_message = _("Choose one of the event's themes.")


class DuplicateSubmission(QuestionError):
    """The same form was sent twice (double click, resend): the first one counts."""

    default_message = _("This question was already sent.")


class SupportRefused(QuestionError):
    default_message = _("This question can no longer be supported.")


class AlreadySupported(SupportRefused):
    default_message = _("You have already supported this question.")
