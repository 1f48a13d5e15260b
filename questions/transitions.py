"""The question workflow (DESIGN.md): which state may follow which, and when it is stamped."""

from questions.models import QuestionState as S

ALLOWED_TRANSITIONS: dict[str, set[str]] = {
    S.UNCONFIRMED: {S.SUBMITTED},
    S.SUBMITTED: {S.APPROVED, S.REJECTED, S.DUPLICATE},
    S.APPROVED: {S.SELECTED, S.REJECTED, S.DUPLICATE},
    S.SELECTED: {S.ANSWERED, S.APPROVED},
    S.ANSWERED: set(),
    # Undo of a mistaken rejection puts the question back in the queue.
    S.REJECTED: {S.SUBMITTED},
    S.DUPLICATE: set(),
}

# The timestamp field set when a question enters a state.
STATE_TIMESTAMP_FIELD: dict[str, str] = {
    S.SUBMITTED: "confirmed_at",
    S.APPROVED: "approved_at",
    S.SELECTED: "selected_at",
    S.ANSWERED: "answered_at",
    S.REJECTED: "rejected_at",
}


def can_transition(from_state: str, to_state: str) -> bool:
    return to_state in ALLOWED_TRANSITIONS.get(from_state, set())
