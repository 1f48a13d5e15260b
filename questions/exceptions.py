"""Domain errors raised by the questions services; views and admin turn them into messages."""

from django.utils.translation import gettext_lazy as _

from core.errors import DomainError


class QuestionError(DomainError):
    """Base class of the questions app: `message` is safe to show to the user who acted."""


class TransitionNotAllowed(QuestionError):
    default_message = _("This action does not fit the question's current state.")
    code = "transition_not_allowed"


class AlreadyDecided(TransitionNotAllowed):
    """Another moderator changed the question first."""

    default_message = _("Another moderator has already decided on this question.")
    code = "already_decided"


# --- Moderation ---------------------------------------------------------------------------------


class InvalidRejectionReason(QuestionError):
    default_message = _("Choose a reason from the list.")
    code = "invalid_rejection_reason"


class InvalidDuplicateTarget(QuestionError):
    """The question to keep cannot absorb the duplicate (itself, gone, rejected, a duplicate…)."""

    default_message = _("This question cannot be kept as the original.")
    code = "invalid_duplicate_target"


class UndoPeriodOver(QuestionError):
    """The rejection is older than the retention period (its personal data may be gone)."""

    default_message = _("The rejection is too old to be undone.")
    code = "undo_period_over"


# --- Citizens' actions (submission, confirmation, supports) ----------------------------------


class QuestionsClosed(QuestionError):
    """The event does not accept questions now (not published, window not open, or closed)."""

    default_message = _("This event does not accept questions at the moment.")
    code = "questions_closed"


class ThemeNotOffered(QuestionError):
    default_message = _("Choose one of the event's themes.")
    code = "theme_not_offered"


class DuplicateSubmission(QuestionError):
    """The same form was sent twice (double click, resend): the first one counts."""

    default_message = _("This question was already sent.")
    code = "duplicate_submission"


class SupportRefused(QuestionError):
    default_message = _("This question can no longer be supported.")
    code = "support_refused"


class AlreadySupported(SupportRefused):
    default_message = _("You have already supported this question.")
    code = "already_supported"


# --- The tour day (live console) ------------------------------------------------------------


class LiveActionRefused(QuestionError):
    """The live console's user may not take this action, or it is not a live action."""

    default_message = _("You may not take this action from the live console.")
    code = "live_action_refused"
