"""Request security helpers: the real client IP behind proxies, framing rules, login lockout."""

import ipaddress
from collections.abc import Callable

from axes.backends import AxesStandaloneBackend
from csp.decorators import csp_replace
from django.conf import settings
from django.http import HttpRequest, HttpResponseBase
from django.views.decorators.clickjacking import xframe_options_exempt


def client_ip(request: HttpRequest) -> str:
    """The address of the client as seen by our first trusted proxy.

    Each of the TRUSTED_PROXY_COUNT proxies appends the address it received the request from to
    X-Forwarded-For, so the right-most TRUSTED_PROXY_COUNT entries were written by our proxies
    and the first of them (counting from the right) is the client. Entries further left come from
    the client itself and can be forged, so they are never used.
    """
    remote_addr = request.META.get("REMOTE_ADDR", "") or "0.0.0.0"  # noqa: S104 - not a bind
    trusted = settings.TRUSTED_PROXY_COUNT
    if trusted <= 0:
        return remote_addr
    forwarded = [
        entry.strip()
        for entry in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if entry.strip()
    ]
    if not forwarded:
        return remote_addr
    # Fewer entries than proxies: the request skipped a proxy; the left-most entry was still
    # written by one of ours (the client's own header would make the list longer, not shorter).
    candidate = forwarded[-trusted] if len(forwarded) >= trusted else forwarded[0]
    return _valid_ip(candidate) or remote_addr


def _valid_ip(value: str) -> str | None:
    """The address in an X-Forwarded-For entry, without a port; None if it is not an address."""
    if value.startswith("[") and "]" in value:  # [2001:db8::1]:443
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:  # 192.0.2.1:443
        value = value.split(":", 1)[0]
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def allow_framing(view: Callable | None = None, *, ancestors: list[str] | None = None) -> Callable:
    """Let other sites frame this view (the embed page); every other page refuses framing.

    Replaces the CSP `frame-ancestors 'none'` with `ancestors` (default EMBED_FRAME_ANCESTORS)
    and drops X-Frame-Options: DENY for this view only. Use as `@allow_framing` or
    `@allow_framing(ancestors=["https://www.example.fr"])`.
    """

    def decorate(view_func: Callable) -> Callable:
        sources = list(ancestors or settings.EMBED_FRAME_ANCESTORS)
        return csp_replace({"frame-ancestors": sources})(xframe_options_exempt(view_func))

    return decorate(view) if view is not None else decorate


class LoginAttemptsBackend(AxesStandaloneBackend):
    """django-axes' lockout check, for logins made through a request (the admin login form).

    Logins without a request (shell, `Client.login()` in tests) are not attempts from a client
    and are left to the next backend instead of raising.
    """

    def authenticate(self, request: HttpRequest | None, *args, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, *args, **kwargs)


class PermissionsPolicyMiddleware:
    """Sends PERMISSIONS_POLICY: no page of the portal uses the camera, microphone, location..."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if settings.PERMISSIONS_POLICY:
            response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response
