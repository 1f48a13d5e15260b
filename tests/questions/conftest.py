import time

import pytest

from questions import emails
from questions.models import OutboundEmail
from questions.tokens import make_form_started
from tests.factories import EventFactory, ThemeFactory


@pytest.fixture
def event(db):
    return EventFactory(themes=[ThemeFactory(slug="europe", name="Europe")])


def question_data(event, **overrides) -> dict:
    """A valid question form, displayed a minute ago (past the minimum fill time)."""
    data = {
        "theme": event.themes.first().pk,
        "title": "Quelle place pour la France dans l'élargissement ?",
        "text": "Comment la France prépare-t-elle l'adhésion de nouveaux États membres ?",
        "display_name": "Camille R.",
        "email": "camille@example.org",
        "region": "BRE",
        "consent": "on",
        "website": "",
        "form_started": make_form_started(time.time() - 60),
        "submission_token": "0123456789abcdef0123456789abcdef",
    }
    data.update(overrides)
    return data


def sent(message: OutboundEmail) -> OutboundEmail:
    """The e-mail as its reader gets it: sent through the outbox if it was not yet (a
    confirmation is rendered by its first attempt, which keeps the text on the row), read back."""
    message.refresh_from_db()
    if message.sent_at is None:
        assert emails.send_outbound_email(message_id=message.pk)
        message.refresh_from_db()
    return message
