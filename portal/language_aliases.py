"""Language prefixes people type or other sites link to (`/zh/`, `/zh-CN/`, `/en-US/`, `/FR/`)
redirect permanently to the portal's own prefix (`/zh-hans/`, `/en/`, `/fr/`), keeping the rest
of the path and the query, instead of answering 404."""

import re

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponsePermanentRedirect
from django.urls import URLPattern, re_path
from django.utils.encoding import escape_uri_path
from django.utils.translation import get_supported_language_variant


def language_alias_pattern() -> URLPattern:
    """Matches `<language>[-_<subtag>…]` at the root for the portal's languages, in any case,
    except the portal's own prefixes (those are i18n_patterns')."""
    codes = [code for code, _name in settings.LANGUAGES]
    bases = sorted({code.split("-")[0] for code in codes})
    own = "|".join(re.escape(code) for code in codes)
    alias = rf"(?!(?:{own})(?:/|$))(?i:(?:{'|'.join(bases)})(?:[-_][0-9a-z]{{1,8}})*)"
    return re_path(rf"^(?P<alias>{alias})(?P<rest>/.*)?$", redirect_language_alias)


def redirect_language_alias(
    request: HttpRequest, alias: str, rest: str | None = None
) -> HttpResponsePermanentRedirect:
    try:
        language = get_supported_language_variant(alias.lower().replace("_", "-"))
    except LookupError:
        raise Http404 from None
    location = escape_uri_path(f"{request.META.get('SCRIPT_NAME', '')}/{language}{rest or '/'}")
    if request.META.get("QUERY_STRING"):
        location += "?" + request.META["QUERY_STRING"]
    return HttpResponsePermanentRedirect(location)
