"""Client IP behind proxies, framing rules, the degraded cache, login without a request."""

import pytest
from csp.middleware import CSPMiddleware
from django.contrib.auth import authenticate
from django.http import HttpResponse
from django.middleware.clickjacking import XFrameOptionsMiddleware
from django.test import RequestFactory

from portal.cache import ResilientRedisCache
from portal.security import allow_framing, client_ip
from tests.factories import UserFactory


def request_from(remote_addr: str, forwarded_for: str | None = None):
    headers = {"REMOTE_ADDR": remote_addr}
    if forwarded_for is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return RequestFactory().get("/", **headers)


@pytest.mark.parametrize(
    ("proxies", "forwarded_for", "expected"),
    [
        # No proxy: X-Forwarded-For is whatever the client typed.
        (0, "198.51.100.1", "192.0.2.9"),
        # One proxy: it appended the client; a forged entry to its left is ignored.
        (1, "203.0.113.5", "203.0.113.5"),
        (1, "198.51.100.1, 203.0.113.5", "203.0.113.5"),
        # Two proxies: the CDN appended the client, the load balancer appended the CDN.
        (2, "198.51.100.1, 203.0.113.5, 10.0.0.2", "203.0.113.5"),
        # A request that skipped the first proxy: the entry our proxy wrote.
        (2, "203.0.113.5", "203.0.113.5"),
        # Ports and IPv6 as some proxies write them.
        (1, "203.0.113.5:51234", "203.0.113.5"),
        (1, "[2001:db8::7]:443", "2001:db8::7"),
        (1, "2001:db8::7", "2001:db8::7"),
        # Garbage or nothing: the direct peer.
        (1, "not-an-ip", "192.0.2.9"),
        (1, "", "192.0.2.9"),
    ],
)
def test_client_ip_is_the_right_most_untrusted_forwarded_entry(
    settings, proxies, forwarded_for, expected
):
    settings.TRUSTED_PROXY_COUNT = proxies
    assert client_ip(request_from("192.0.2.9", forwarded_for)) == expected


def test_client_ip_without_forwarded_header_is_the_peer(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(request_from("192.0.2.9")) == "192.0.2.9"


def test_rate_limits_and_axes_count_per_real_client(settings):
    from django_ratelimit.core import _get_ip

    settings.TRUSTED_PROXY_COUNT = 1
    assert settings.RATELIMIT_IP_META_KEY == "portal.security.client_ip"
    assert settings.AXES_CLIENT_IP_CALLABLE == "portal.security.client_ip"
    assert _get_ip(request_from("10.0.0.1", "6.6.6.6, 203.0.113.5")) == "203.0.113.5"


def render_through_security_middleware(view):
    request = RequestFactory().get("/embed/")
    return CSPMiddleware(XFrameOptionsMiddleware(view))(request)


def plain_view(request):
    return HttpResponse("<p>answer</p>")


def csp_directive(response, name: str) -> str:
    for directive in response["Content-Security-Policy"].split("; "):
        if directive.startswith(name + " "):
            return directive.removeprefix(name + " ")
    raise AssertionError(f"{name} missing")


def test_pages_refuse_to_be_framed():
    response = render_through_security_middleware(plain_view)
    assert response["X-Frame-Options"] == "DENY"
    assert csp_directive(response, "frame-ancestors") == "'none'"


def test_allow_framing_opens_one_view_to_other_sites(settings):
    settings.EMBED_FRAME_ANCESTORS = ["'self'", "https:"]
    response = render_through_security_middleware(allow_framing(plain_view))
    assert "X-Frame-Options" not in response
    assert csp_directive(response, "frame-ancestors") == "'self' https:"
    # Only framing is relaxed: scripts are still restricted.
    assert "'unsafe-inline'" not in csp_directive(response, "script-src")


def test_allow_framing_can_name_the_sites():
    view = allow_framing(ancestors=["https://www.ouest-france.fr"])(plain_view)
    response = render_through_security_middleware(view)
    assert csp_directive(response, "frame-ancestors") == "https://www.ouest-france.fr"


def test_the_cache_misses_instead_of_failing_when_redis_is_down():
    cache = ResilientRedisCache("redis://127.0.0.1:9/0", {"OPTIONS": {"socket_connect_timeout": 1}})
    assert cache.get("key", "default") == "default"
    assert cache.add("key", 1) is True  # fails open: a claim goes ahead
    cache.set("key", 1)
    assert cache.get_or_set("other", 5) == 5
    with pytest.raises(ValueError):
        cache.incr("key")


@pytest.mark.django_db
def test_logins_without_a_request_still_work_for_scripts_and_tests(client):
    user = UserFactory(username="agent", password="a-long-password-42")
    assert authenticate(username="agent", password="a-long-password-42") == user
    assert client.login(username="agent", password="a-long-password-42")
