"""Signed values handed to browsers and e-mails: confirmation links and form timestamps.

django.core.signing ties them to SECRET_KEY; a forged or altered value never verifies, and
max_age makes them expire without any server-side state.
"""

import time

from django.conf import settings
from django.core import signing

CONFIRMATION_SALT = "questions.confirmation"
FORM_STARTED_SALT = "questions.form-started"


def make_confirmation_token(public_id: str) -> str:
    return signing.dumps({"q": public_id}, salt=CONFIRMATION_SALT)


def confirmation_link_hours() -> int:
    """How long a confirmation link stays valid, in whole hours (quoted to citizens)."""
    return settings.QUESTION_CONFIRMATION_MAX_AGE_SECONDS // 3600


def read_confirmation_token(token: str, *, check_age: bool = True) -> str:
    """The question's public id. Raises signing.SignatureExpired (authentic but too old) or
    signing.BadSignature (forged, altered or truncated)."""
    max_age = settings.QUESTION_CONFIRMATION_MAX_AGE_SECONDS if check_age else None
    payload = signing.loads(token, salt=CONFIRMATION_SALT, max_age=max_age)
    if not isinstance(payload, dict) or not isinstance(payload.get("q"), str):
        raise signing.BadSignature("unexpected payload")
    return payload["q"]


SUPPORT_EMAIL_SALT = "questions.support-email"


def make_support_email_token(email: str) -> str:
    """The link that confirms a supporter's address (all its supports at once)."""
    return signing.dumps({"e": email.strip().lower()}, salt=SUPPORT_EMAIL_SALT)


def read_support_email_token(token: str) -> str:
    """The address. Raises signing.SignatureExpired or signing.BadSignature."""
    payload = signing.loads(
        token, salt=SUPPORT_EMAIL_SALT, max_age=settings.QUESTION_CONFIRMATION_MAX_AGE_SECONDS
    )
    if not isinstance(payload, dict) or not isinstance(payload.get("e"), str):
        raise signing.BadSignature("unexpected payload")
    return payload["e"]


def make_form_started(at: float | None = None) -> str:
    """A signed timestamp put in the question form when it is displayed."""
    return signing.dumps(at if at is not None else time.time(), salt=FORM_STARTED_SALT)


def seconds_since_form_started(value: str) -> float:
    """How long ago the form was displayed. Raises signing.BadSignature if forged or too old."""
    started = signing.loads(
        value, salt=FORM_STARTED_SALT, max_age=settings.QUESTION_FORM_MAX_AGE_SECONDS
    )
    if not isinstance(started, int | float):
        raise signing.BadSignature("unexpected payload")
    return time.time() - started
