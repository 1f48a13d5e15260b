"""Rate limits of citizens' actions (django-ratelimit on the shared cache).

Rates are read from settings at request time, so deployments (and tests) can tune them.
"""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest
from django_ratelimit.core import is_ratelimited
from django_ratelimit.exceptions import Ratelimited


def rate_from_setting(name: str) -> Callable[[str, HttpRequest], str]:
    def rate(group: str, request: HttpRequest) -> str:
        return getattr(settings, name)

    return rate


def check_email_rate(request: HttpRequest, *, email: str) -> None:
    """Count one question for this address; raise Ratelimited (→ the 429 page) past the limit."""
    normalised = email.strip().lower()
    if is_ratelimited(
        request,
        group="questions.submit.email",
        key=lambda group, request: normalised,
        rate=rate_from_setting("RATELIMIT_QUESTION_PER_EMAIL"),
        increment=True,
    ):
        raise Ratelimited()
