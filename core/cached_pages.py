"""`@public_page`: a view's anonymous GET answered from the shared cache (see core.page_cache).

Who gets a cached page: a GET or HEAD without a session cookie (staff are logged in: they always
get a fresh page) and without a pending message. The query is normalised to the parameters the
view reads (`params`, sorted; utm_*, fbclid… are dropped, also from what the view sees), so one
shared link is one entry.

A page is rendered for the cache with nothing personal: `cached_render_context` empties the CSRF
token and the messages; forms get their tokens from `portal.views.form_tokens` (forms.js). A
render that touched the session, asked for a CSRF token or a CSP nonce, or set a cookie is
served but never stored. Stored entries carry the body, its gzip and Brotli forms and an ETag,
so a hit costs one cache read and answers 304 to a matching If-None-Match.
"""

import gzip
import hashlib
import logging
import math
import time
from collections.abc import Callable, Iterable
from datetime import datetime
from functools import cache, wraps
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage
from django.http import HttpRequest, HttpResponse, QueryDict
from django.utils import timezone, translation
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date

from core.page_cache import generations, page_cache, setting

try:
    import brotli
except ImportError:  # pragma: no cover - Brotli is a dependency; gzip still works without it
    brotli = None

logger = logging.getLogger(__name__)
ENTRY_KEY = "pages:entry:{digest}"
MESSAGES_COOKIE = "messages"  # django.contrib.messages' CookieStorage
ScopesFor = Callable[[dict], Iterable[str]]
# Headers a view sets that are part of what it answers (the API's next page, CORS): stored
# with the entry and given again on every hit.
KEPT_HEADERS = ("Link", "Access-Control-Allow-Origin")


@cache
def release() -> str:
    """Changes with each deployment's static files: old pages name files that are gone."""
    explicit = setting("PAGE_CACHE_RELEASE", "")
    return explicit or getattr(staticfiles_storage, "manifest_hash", "") or ""


def is_cached_render(request: HttpRequest) -> bool:
    """True while a view renders a page that will be stored for everyone."""
    return getattr(request, "page_cache_render", False)


def fragment_version(request: HttpRequest) -> str:
    """For a part of a cached page that is the same for every visitor and changes only with the
    "site" generation (a blank form: an event or theme edited): what it depends on besides its
    own identity (language, release, site generation); "" otherwise. A support, which bumps only
    its event's generation, does not make the form render again."""
    return getattr(request, "page_cache_version", "") if is_cached_render(request) else ""


def changes_at(request: HttpRequest, *moments: datetime) -> None:
    """The page being rendered changes by itself at these moments (questions open or close, an
    event starts…): its cached copy expires at the first one still to come."""
    now = timezone.now()
    future = [moment for moment in moments if moment and moment > now]
    if future:
        current = getattr(request, "page_changes_at", None)
        request.page_changes_at = min([*future, *([current] if current else [])])


def entry_timeout(request: HttpRequest, timeout: int | None) -> int:
    seconds = timeout or setting("PAGE_CACHE_TIMEOUT", 3600)
    moment = getattr(request, "page_changes_at", None)
    if moment is not None:
        seconds = min(seconds, max(1, math.ceil((moment - timezone.now()).total_seconds())))
    return seconds


def cached_render_context(request: HttpRequest) -> dict:
    """Context processor: a page rendered for the cache has no CSRF token and no messages.
    "NOTPROVIDED" is Django's own value for "no token here, on purpose": `{% csrf_token %}` then
    renders nothing without warning of a misconfiguration on every cache miss."""
    if is_cached_render(request):
        return {"csrf_token": "NOTPROVIDED", "messages": ()}
    return {}


def may_use_cache(request: HttpRequest, refuse: Iterable[str]) -> bool:
    return (
        setting("PAGE_CACHE_ENABLED", True)
        and request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and MESSAGES_COOKIE not in request.COOKIES
        and not any(request.GET.get(name) for name in refuse)
    )


def normalise_query(request: HttpRequest, params: Iterable[str]) -> str:
    """Keep only `params` (sorted, short values), in request.GET too."""
    pairs = [
        (name, value[:40]) for name in sorted(params) for value in request.GET.getlist(name)[:1]
    ]
    query = urlencode(pairs)
    request.GET = QueryDict(query)
    request.META["QUERY_STRING"] = query
    return query


def entry_key(request: HttpRequest, query: str, scopes: Iterable[str]) -> str:
    parts = [request.path, query, translation.get_language() or "", release()]
    parts += generations(scopes)  # "site" first
    request.page_cache_version = "-".join(parts[2:5])  # language, release, site generation
    return ENTRY_KEY.format(digest=hashlib.sha256("\n".join(parts).encode()).hexdigest())


def storable(request: HttpRequest, response: HttpResponse) -> bool:
    personal = (
        request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        or getattr(request, "_csp_nonce", None)
        or (hasattr(request, "session") and request.session.accessed)
    )
    if personal:
        logger.warning("%s rendered something personal: not cached", request.path)
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not response.has_header("Cache-Control")
        and not personal
    )


def make_entry(response: HttpResponse) -> dict:
    body = response.content
    return {
        "identity": body,
        "gzip": gzip.compress(body, compresslevel=6, mtime=0),
        "br": brotli.compress(body, quality=5) if brotli else None,
        "type": response["Content-Type"],
        "etag": f'W/"{hashlib.blake2b(body, digest_size=10).hexdigest()}"',
        "modified": int(time.time()),
        "headers": {name: response[name] for name in KEPT_HEADERS if response.has_header(name)},
    }


def preferred_encoding(request: HttpRequest, entry: dict) -> str:
    accepted = set()
    for item in request.META.get("HTTP_ACCEPT_ENCODING", "").split(","):
        name, _, quality = item.strip().partition(";")
        if quality.replace(" ", "") not in ("q=0", "q=0.0", "q=0.00", "q=0.000"):
            accepted.add(name.strip().lower())
    if "br" in accepted and entry["br"] is not None:
        return "br"
    return "gzip" if "gzip" in accepted else "identity"


def public_headers(response: HttpResponse, entry: dict) -> HttpResponse:
    for name, value in entry.get("headers", {}).items():
        response[name] = value
    response["ETag"] = entry["etag"]
    response["Last-Modified"] = http_date(entry["modified"])
    patch_vary_headers(response, ["Accept-Encoding"])
    patch_cache_control(
        response,
        public=True,
        max_age=setting("PAGE_CACHE_BROWSER_MAX_AGE", 0),
        s_maxage=setting("PAGE_CACHE_SHARED_MAX_AGE", 10),
        stale_while_revalidate=setting("PAGE_CACHE_STALE_WHILE_REVALIDATE", 30),
    )
    return response


def respond(request: HttpRequest, entry: dict) -> HttpResponse:
    conditional = get_conditional_response(
        request, etag=entry["etag"], last_modified=entry["modified"]
    )
    if conditional is not None:
        return public_headers(conditional, entry)
    encoding = preferred_encoding(request, entry)
    response = HttpResponse(entry[encoding], content_type=entry["type"])
    if encoding != "identity":
        response["Content-Encoding"] = encoding
    return public_headers(response, entry)


def private(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """A page rendered for one visitor: no shared cache may keep it."""
    if request.method in ("GET", "HEAD") and not response.has_header("Cache-Control"):
        patch_cache_control(response, private=True, no_cache=True)
    return response


def public_page(
    view=None,
    *,
    params: Iterable[str] = (),
    refuse: Iterable[str] = (),
    scopes: ScopesFor | None = None,
    timeout: int | None = None,
):
    """Serve the view's anonymous GETs from the page cache. `params`: the query parameters the
    page depends on; `refuse`: parameters that, when given, make the page uncached (free-text
    search); `scopes(kwargs)`: the generations besides "site"; `timeout`: how long an entry may
    live (the bound on support counts where no generation tracks them)."""

    def decorate(view_function):
        @wraps(view_function)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if not may_use_cache(request, refuse):
                response = view_function(request, *args, **kwargs)
                return private(request, response)
            query = normalise_query(request, params)
            key = entry_key(request, query, scopes(kwargs) if scopes else ())
            cache_backend = page_cache()
            entry = cache_backend.get(key)
            if entry is None:
                request.page_cache_render = True
                response = view_function(request, *args, **kwargs)
                if not storable(request, response):
                    return private(request, response)
                entry = make_entry(response)
                cache_backend.set(key, entry, entry_timeout(request, timeout))
            return respond(request, entry)

        return wrapper

    return decorate(view) if view is not None else decorate
