"""Anonymous public pages kept in the shared cache, and what makes them change.

A page is stored under its path, its normalised query, its language and *generations*: numbers
that the services bump, once their transaction has committed, when something a page shows
changes. A bumped generation makes every key built with the old one unreachable at once; the
old entries simply expire. Generations:

- ``site``: every public page (a question approved, merged, selected, answered, withdrawn; a
  video published or unpublished; captions; an event or theme edited; a deployment's migrate).
- ``event:<slug>`` and ``question:<public_id>``: a support counted changes only the page of
  the question and the page of its event.

Views never touch the cache: they are marked by ``core.cached_pages.public_page`` and the
services call ``site_changed()`` or ``supports_changed()``.
"""

import uuid
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import caches
from django.db import transaction

SITE = "site"
GENERATION_KEY = "pages:gen:{scope}"
# Generations outlive the entries they name; if one is evicted, a new value is drawn, which
# again makes the old entries unreachable.
GENERATION_TIMEOUT = 30 * 24 * 3600


def setting(name: str, default):
    """The page cache's settings are optional: PAGE_CACHE_ENABLED, PAGE_CACHE_ALIAS,
    PAGE_CACHE_TIMEOUT, PAGE_CACHE_RELEASE and the Cache-Control ages (core.cached_pages)."""
    return getattr(settings, name, default)


def page_cache():
    return caches[setting("PAGE_CACHE_ALIAS", "default")]


def event_scope(slug: str) -> str:
    return f"event:{slug}"


def question_scope(public_id: str) -> str:
    return f"question:{public_id}"


def fill_generations(keys: list[str], found: dict) -> list[str]:
    """The generations stored under `keys`, in order: those `found` by a read, the missing
    ones drawn and stored."""
    cache = page_cache()
    values = []
    for key in keys:
        value = found.get(key)
        if value is None:
            value = uuid.uuid4().hex[:12]
            # add(), not set(): two processes drawing at once agree on the first value stored.
            if not cache.add(key, value, GENERATION_TIMEOUT):
                value = cache.get(key) or value
        values.append(str(value))
    return values


def site_generation() -> str:
    """The "site" generation alone (one cache read), for what a process keeps of the data every
    page shows (events.selectors.public_event)."""
    key = GENERATION_KEY.format(scope=SITE)
    return fill_generations([key], {key: page_cache().get(key)})[0]


def _bump(scopes: Iterable[str]) -> None:
    page_cache().set_many(
        {GENERATION_KEY.format(scope=scope): uuid.uuid4().hex[:12] for scope in scopes},
        GENERATION_TIMEOUT,
    )


def bump_on_commit(*scopes: str) -> None:
    """Bump these generations once the current transaction commits (at once outside one)."""
    scopes = tuple(scopes)

    def bump_cached_pages() -> None:
        _bump(scopes)

    transaction.on_commit(bump_cached_pages)


def site_changed() -> None:
    """Something every public page may show changed: all cached pages are stale."""
    bump_on_commit(SITE)


def supports_changed(*, question_public_id: str, event_slug: str) -> None:
    """A question's support count changed: its page and its event's page are stale."""
    bump_on_commit(question_scope(question_public_id), event_scope(event_slug))


# Around an event's hours its page watches for the event to go live (questions.live.state).
EVENT_DAY_MARGIN = timedelta(hours=3)


def event_moments(event) -> list[datetime]:
    """When what a page says about an event changes by itself: its questions open and close, it
    starts and ends (upcoming or past), the live watch begins and ends."""
    return [
        event.questions_open_at,
        event.questions_close_at,
        event.starts_at,
        event.ends_at,
        event.starts_at - EVENT_DAY_MARGIN,
        event.ends_at + EVENT_DAY_MARGIN,
    ]


class ChangesPublicPagesAdmin:
    """ModelAdmin mixin for models public pages show (events, themes, questions, videos): a
    change saved or deleted in the admin makes every cached page stale."""

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        site_changed()

    def save_related(self, request, form, formsets, change) -> None:
        super().save_related(request, form, formsets, change)
        site_changed()

    def delete_model(self, request, obj) -> None:
        super().delete_model(request, obj)
        site_changed()

    def delete_queryset(self, request, queryset) -> None:
        super().delete_queryset(request, queryset)
        site_changed()
