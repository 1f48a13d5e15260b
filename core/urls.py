"""Absolute URLs on the canonical origin (`SITE_URL`), never on the request's Host header."""

from urllib.parse import SplitResult, urlencode, urlsplit

from django.conf import settings
from django.urls import reverse


def site_url_parts() -> SplitResult:
    """`SITE_URL` split into scheme, netloc (host[:port]), hostname…"""
    return urlsplit(settings.SITE_URL)


def absolute_url(url: str) -> str:
    """`url` on the canonical origin. Storage URLs may already be absolute (S3) or
    protocol-relative (a CDN domain): those are kept, as https."""
    if url.startswith(("http://", "https://")):
        return url
    if url.startswith("//"):
        return f"https:{url}"
    return f"{settings.SITE_URL}{url}"


def absolute_reverse(
    viewname: str, *, kwargs: dict | None = None, query: dict | None = None
) -> str:
    """reverse() in the active language, made absolute, with an optional query string."""
    url = absolute_url(reverse(viewname, kwargs=kwargs))
    return f"{url}?{urlencode(query)}" if query else url


def is_site_url(url: str) -> bool:
    """Whether `url` points at the canonical origin (same scheme and host[:port])."""
    parts, origin = urlsplit(url), site_url_parts()
    return (parts.scheme, parts.netloc) == (origin.scheme, origin.netloc)
