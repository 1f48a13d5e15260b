"""Count the requests of a public view in the daily reach counters."""

from collections.abc import Callable
from functools import wraps

from django.http import HttpRequest, HttpResponse

from core.i18n import current_language
from portal.statistics.counters import record_view


def counted(kind: str, key: Callable[[HttpRequest, dict], str] = lambda request, kwargs: ""):
    """Count each successful answer of the view, in the language it answered in (only the
    requests that reach the server: see README)."""

    def decorate(view):
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            response = view(request, *args, **kwargs)
            if response.status_code == 200:
                # A view that answers in another language than the URL's says so.
                language = response.get("Content-Language") or current_language()
                record_view(kind=kind, key=key(request, kwargs), language=language)
            return response

        return wrapper

    return decorate
