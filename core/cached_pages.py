"""Anonymous public pages answered from the shared cache (what makes them change: core.page_cache).

`@public_page` marks a view and says what its page depends on; `PageCacheMiddleware`, high in
the middleware stack, answers it. Who gets a cached page: a GET or HEAD without a session cookie
(staff are logged in: they always get a fresh page) and without a pending message. The query is
normalised to the parameters the view reads (`params`, sorted; utm_*, fbclid… are dropped, also
from what the view sees), so one shared link is one entry.

A hit is answered before sessions, CSRF, authentication and the CSP run, with one cache round
trip: the entry for the visitor's encoding (identity, gzip or Brotli, each stored on its own)
and the current generations of the page, read together. An entry records the generations it was
rendered under and is served only while they are all current. It carries the headers the rest
of the stack gave the page when it was rendered (language, CSP, framing…), so a hit answers
exactly what a render would.

A page is rendered for the cache with nothing personal: `cached_render_context` empties the CSRF
token and the messages; forms get their tokens from `portal.views.form_tokens` (forms.js). A
render that touched the session, asked for a CSRF token or a CSP nonce, or set a cookie is
served but never stored.
"""

import gzip
import hashlib
import logging
import math
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from functools import cache, lru_cache
from urllib.parse import urlencode

from django.conf import settings
from django.conf.urls.i18n import is_language_prefix_patterns_used
from django.contrib.staticfiles.storage import staticfiles_storage
from django.http import HttpRequest, HttpResponse, QueryDict
from django.urls import Resolver404, get_urlconf, resolve
from django.utils import timezone, translation
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date

from core.page_cache import GENERATION_KEY, SITE, fill_generations, page_cache, setting
from core.refused_text import carries_refused_text

try:
    import brotli
except ImportError:  # pragma: no cover - Brotli is a dependency; gzip still works without it
    brotli = None

logger = logging.getLogger(__name__)
ENTRY_KEY = "pages:entry:{digest}:{encoding}"
# How each stored encoding of a page is made, in the order a visitor's choice prefers them.
ENCODERS: dict[str, Callable[[bytes], bytes]] = {
    **({"br": lambda body: brotli.compress(body, quality=5)} if brotli is not None else {}),
    "gzip": lambda body: gzip.compress(body, compresslevel=6, mtime=0),
    "identity": lambda body: body,
}
ENCODINGS = tuple(ENCODERS)
MESSAGES_COOKIE = "messages"  # django.contrib.messages' CookieStorage
# Headers never stored as they were rendered: the server's, the body's own (per encoding), the
# validators (the entry's own), and cookies (a page that sets one is never stored).
UNSTORED_HEADERS = {
    "content-length",
    "content-encoding",
    "etag",
    "last-modified",
    "date",
    "set-cookie",
}
# What a 304 leaves out: it has no body.
BODY_HEADERS = ("content-encoding", "content-length", "content-type")
ScopesFor = Callable[[dict], Iterable[str]]


@dataclass(frozen=True)
class PageRule:
    """What a public page depends on (see `public_page`)."""

    params: tuple[str, ...] = ()
    refuse: tuple[str, ...] = ()
    scopes: ScopesFor | None = None
    timeout: int | None = None


@dataclass(frozen=True)
class Entry:
    """One encoding of a stored page: the generations it was rendered under, its validators,
    every header of the answer and the body."""

    generations: str
    etag: str
    modified: int
    headers: tuple[tuple[str, str], ...]
    body: bytes


def public_page(
    view=None,
    *,
    params: Iterable[str] = (),
    refuse: Iterable[str] = (),
    scopes: ScopesFor | None = None,
    timeout: int | None = None,
):
    """Let PageCacheMiddleware serve the view's anonymous GETs from the page cache. `params`:
    the query parameters the page depends on; `refuse`: parameters that, when given, make the
    page uncached (free-text search); `scopes(kwargs)`: the generations besides "site";
    `timeout`: how long an entry may live (the bound on support counts where no generation
    tracks them)."""
    rule = PageRule(tuple(params), tuple(refuse), scopes, timeout)

    def decorate(view_function):
        view_function.public_page = rule
        return view_function

    return decorate(view) if view is not None else decorate


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


def cached_render_context(request: HttpRequest) -> dict:
    """Context processor: a page rendered for the cache has no CSRF token and no messages.
    "NOTPROVIDED" is Django's own value for "no token here, on purpose": `{% csrf_token %}` then
    renders nothing without warning of a misconfiguration on every cache miss."""
    if is_cached_render(request):
        return {"csrf_token": "NOTPROVIDED", "messages": ()}
    return {}


# --- Which request, which entry -----------------------------------------------------------------


def page_rule(request: HttpRequest) -> PageRule | None:
    """The rule of the public page this GET or HEAD asks for, if it asks for one; sets the
    language the page will be rendered in."""
    if request.method not in ("GET", "HEAD"):
        return None
    urlconf = getattr(request, "urlconf", None) or get_urlconf() or settings.ROOT_URLCONF
    request.page_cache_language = request_language(request, urlconf)
    rule, kwargs = resolved_rule(urlconf, request.page_cache_language, request.path_info)
    request.page_cache_kwargs = kwargs
    return rule


@lru_cache(maxsize=4096)
def resolved_rule(urlconf: str, language: str, path: str) -> tuple[PageRule | None, dict]:
    """Resolving a path is a good share of a hit's CPU and gives the same answer for as long as
    the process lives (bounded: any path can be asked for). Language-prefixed patterns match
    the active language's prefix only, hence the language, as LocaleMiddleware activates it."""
    try:
        with translation.override(language):
            match = resolve(path, urlconf)
    except Resolver404:
        return None, {}
    return getattr(match.func, "public_page", None), match.kwargs


def may_use_cache(request: HttpRequest, rule: PageRule) -> bool:
    return (
        setting("PAGE_CACHE_ENABLED", True)
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and MESSAGES_COOKIE not in request.COOKIES
        and not any(request.GET.get(name) for name in rule.refuse)
        # Refused further down with a clear 400, not answered by ignoring the bad parameter.
        and not carries_refused_text(request)
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


def request_language(request: HttpRequest, urlconf: str) -> str:
    """The language LocaleMiddleware will activate for this request (it has not run yet)."""
    prefixed_patterns, prefixed_default = is_language_prefix_patterns_used(urlconf)
    language = translation.get_language_from_request(request, check_path=prefixed_patterns)
    if (
        prefixed_patterns
        and not prefixed_default
        and not translation.get_language_from_path(request.path_info)
    ):
        language = settings.LANGUAGE_CODE
    return language


def preferred_encoding(request: HttpRequest) -> str:
    accepted = set()
    for item in request.META.get("HTTP_ACCEPT_ENCODING", "").split(","):
        name, _, quality = item.strip().partition(";")
        if quality.replace(" ", "") not in ("q=0", "q=0.0", "q=0.00", "q=0.000"):
            accepted.add(name.strip().lower())
    return next(name for name in ENCODINGS if name in accepted or name == "identity")


@dataclass
class Lookup:
    """One anonymous request for a public page: where its entries live, and what it found."""

    request: HttpRequest
    language: str
    encoding: str  # the visitor's: identity, gzip or br
    digest: str
    generation_keys: list[str]

    @classmethod
    def start(cls, request: HttpRequest, rule: PageRule) -> "Lookup":
        query = normalise_query(request, rule.params)
        language = request.page_cache_language
        identity = "\n".join([request.path, query, language, release()])
        scopes = [SITE, *(rule.scopes(request.page_cache_kwargs) if rule.scopes else ())]
        return cls(
            request=request,
            language=language,
            encoding=preferred_encoding(request),
            digest=hashlib.sha256(identity.encode()).hexdigest(),
            generation_keys=[GENERATION_KEY.format(scope=scope) for scope in scopes],
        )

    def key(self, encoding: str) -> str:
        return ENTRY_KEY.format(digest=self.digest, encoding=encoding)

    def fetch(self) -> tuple[Entry | None, dict]:
        """The current entry for the visitor's encoding, or None; with what was read (one round
        trip: the entry and the generations together)."""
        wanted = self.key(self.encoding)
        found = page_cache().get_many([wanted, *self.generation_keys])
        entry = found.get(wanted)
        current = [found.get(key) for key in self.generation_keys]
        if entry is not None and None not in current and entry.generations == "-".join(current):
            return entry, found
        return None, found

    def prepare_render(self, found: dict) -> str:
        """Mark the request as rendered for the cache; the generations it is rendered under."""
        current = fill_generations(self.generation_keys, found)
        self.request.page_cache_render = True
        # language, release, site generation: what a shared fragment depends on.
        self.request.page_cache_version = "-".join([self.language, release(), current[0]])
        return "-".join(current)


# --- Storing and answering ----------------------------------------------------------------------


def entry_timeout(request: HttpRequest, timeout: int | None) -> int:
    seconds = timeout or setting("PAGE_CACHE_TIMEOUT", 3600)
    moment = getattr(request, "page_changes_at", None)
    if moment is not None:
        seconds = min(seconds, max(1, math.ceil((moment - timezone.now()).total_seconds())))
    return seconds


def storable(request: HttpRequest, response: HttpResponse, language: str) -> bool:
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
        # Served in the language its key names, never another (see request_language).
        and translation.get_language() == language
    )


def public_headers(response: HttpResponse) -> list[tuple[str, str]]:
    """Every header a hit gives: the page's own, and how long shared caches may keep it."""
    patch_vary_headers(response, ["Accept-Encoding"])
    patch_cache_control(
        response,
        public=True,
        max_age=setting("PAGE_CACHE_BROWSER_MAX_AGE", 0),
        s_maxage=setting("PAGE_CACHE_SHARED_MAX_AGE", 10),
        stale_while_revalidate=setting("PAGE_CACHE_STALE_WHILE_REVALIDATE", 30),
    )
    return [
        (name, value) for name, value in response.items() if name.lower() not in UNSTORED_HEADERS
    ]


def compressed_bodies(body: bytes) -> dict[str, bytes]:
    return {name: encode(body) for name, encode in ENCODERS.items()}


def make_entries(response: HttpResponse, generations: str) -> dict[str, Entry]:
    """The page in each encoding, as stored."""
    body = response.content
    etag = f'W/"{hashlib.blake2b(body, digest_size=10).hexdigest()}"'
    modified = int(time.time())
    headers = [*public_headers(response), ("ETag", etag), ("Last-Modified", http_date(modified))]
    entries = {}
    for encoding, encoded in compressed_bodies(body).items():
        extra = [("Content-Length", str(len(encoded)))]
        if encoding != "identity":
            extra.append(("Content-Encoding", encoding))
        entries[encoding] = Entry(generations, etag, modified, (*headers, *extra), encoded)
    return entries


def is_conditional(request: HttpRequest) -> bool:
    meta = request.META
    return "HTTP_IF_NONE_MATCH" in meta or "HTTP_IF_MODIFIED_SINCE" in meta


def respond(request: HttpRequest, entry: Entry) -> HttpResponse:
    response = None
    if is_conditional(request):
        response = get_conditional_response(request, etag=entry.etag, last_modified=entry.modified)
    if response is None:
        response = HttpResponse(entry.body)
    for name, value in entry.headers:
        if response.status_code == 200 or name.lower() not in BODY_HEADERS:
            response[name] = value
    return response


def private(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """A page rendered for one visitor: no shared cache may keep it."""
    if not response.has_header("Cache-Control"):
        patch_cache_control(response, private=True, no_cache=True)
    return response


class PageCacheMiddleware:
    """Answers public pages' anonymous GETs from the page cache, and stores what it renders.

    Placed after the static and media files and before the CSP, sessions, language and CSRF:
    a hit skips them all, and a render is stored with the headers they gave it."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        rule = page_rule(request)
        if rule is None:
            return self.get_response(request)
        if not may_use_cache(request, rule):
            return private(request, self.get_response(request))
        request.get_host()  # a host outside ALLOWED_HOSTS is refused, as for any request
        lookup = Lookup.start(request, rule)
        entry, found = lookup.fetch()
        if entry is not None:
            return respond(request, entry)
        generations = lookup.prepare_render(found)
        response = self.get_response(request)
        if not storable(request, response, lookup.language):
            return private(request, response)
        entries = make_entries(response, generations)
        page_cache().set_many(
            {lookup.key(encoding): entry for encoding, entry in entries.items()},
            entry_timeout(request, rule.timeout),
        )
        return respond(request, entries[lookup.encoding])
