"""Who sees and decides what in the moderation admin (the roles of portal/roles.py)."""

from django.http import HttpRequest

from questions.workflow import MODERATE, PUBLIC_STATES, SELECT
from questions.workflow import QuestionState as S


def can_moderate(request: HttpRequest) -> bool:
    return request.user.has_perm(MODERATE)


def can_select(request: HttpRequest) -> bool:
    return request.user.has_perm(SELECT)


def can_see_email(request: HttpRequest) -> bool:
    return request.user.has_perm("questions.view_citizen_email")


def visible_states(request: HttpRequest) -> list[str]:
    """Moderators and superusers see every state; the spokesperson's staff only public ones."""
    if can_moderate(request):
        return list(S.values)
    return [str(state) for state in PUBLIC_STATES]


def default_state(request: HttpRequest) -> str:
    """What each role opens first: moderators the queue, the spokesperson's staff the
    published questions they choose from."""
    return S.SUBMITTED if can_moderate(request) else S.APPROVED
