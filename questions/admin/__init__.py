"""Moderation in the Django admin, one module per concern: who sees what (permissions), masked
addresses (masking), the state filter and counts (filters), the decisions as actions and buttons
(actions), running one over a selection (bulk), their forms (forms), the audit trail (inlines),
the prepared rejection notes (notes), the question's pages (question) and the e-mail outbox
(outbox). Every decision goes through questions.moderation.
"""

from questions.admin.filters import StateFilter
from questions.admin.notes import PreparedNoteAdmin
from questions.admin.outbox import OutboundEmailAdmin
from questions.admin.question import QuestionAdmin

__all__ = ["OutboundEmailAdmin", "PreparedNoteAdmin", "QuestionAdmin", "StateFilter"]
