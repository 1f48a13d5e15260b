"""Rate limits of citizens' actions (django-ratelimit on the shared cache).

Rates are read from settings at request time, so deployments (and tests) can tune them.
"""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest
from django_ratelimit.core import is_ratelimited


def rate_from_setting(name: str) -> Callable[[str, HttpRequest], str]:
    def rate(group: str, request: HttpRequest) -> str:
        return getattr(settings, name)

    return rate


def over_ip_rate(request: HttpRequest, *, group: str, setting: str) -> bool:
    """Count one action of this client IP in `group` (e.g. one per question); whether it is past
    the limit."""
    return is_ratelimited(
        request, group=group, key="ip", rate=rate_from_setting(setting), increment=True
    )
