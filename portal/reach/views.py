from math import ceil

from django.conf import settings
from django.contrib.sitemaps.views import SitemapIndexItem, x_robots_tag
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.template.response import TemplateResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from core.urls import absolute_reverse, absolute_url
from portal.reach import oembed
from portal.reach.answers import answer_of
from portal.reach.selectors import embeddable_question
from portal.reach.sitemaps import SITEMAPS
from portal.security import allow_framing
from portal.statistics.decorators import counted


@require_safe
@cache_control(public=True, max_age=24 * 3600)
def robots_txt(request: HttpRequest) -> HttpResponse:
    sitemap_url = absolute_reverse("reach:sitemap")
    # Plain prefixes, one per language: wildcards (`/*/staff/`) are an extension that some
    # parsers (Python's urllib.robotparser among them) read as a literal path.
    staff = [f"Disallow: /{code}/staff/" for code, _name in settings.LANGUAGES]
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /i18n/",
        *staff,  # the spokesperson staff's pages, behind a login anyway
        f"Sitemap: {sitemap_url}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@require_safe
@x_robots_tag
def sitemap_index(request: HttpRequest) -> TemplateResponse:
    """Index of the sitemap pages, counted in the database rather than by loading every item."""
    entries = []
    for section, sitemap_class in SITEMAPS.items():
        sitemap = sitemap_class()
        url_count, lastmod = sitemap.url_count_and_lastmod()
        url = absolute_reverse("reach:sitemap_section", kwargs={"section": section})
        for page in range(1, max(1, ceil(url_count / sitemap.limit)) + 1):
            location = url if page == 1 else f"{url}?p={page}"
            entries.append(SitemapIndexItem(location, lastmod))
    return TemplateResponse(
        request, "sitemap_index.xml", {"sitemaps": entries}, content_type="application/xml"
    )


def _requested_language(request: HttpRequest) -> str | None:
    """The supported language named by `?lang=`, chosen by the embedding site, if any."""
    requested = request.GET.get("lang", "")
    if not (requested and translation.check_for_language(requested)):
        return None
    try:
        return translation.get_supported_language_variant(requested)
    except LookupError:  # a language Django knows but the portal does not offer, e.g. "pt"
        return None


@require_safe
@allow_framing  # CSP frame-ancestors from EMBED_FRAME_ANCESTORS, no X-Frame-Options
@cache_control(public=True, max_age=5 * 60)
@counted("embed", lambda request, kwargs: kwargs["public_id"])
def embed(request: HttpRequest, public_id: str) -> HttpResponse:
    """The answer's player alone, for any site to frame (the only page allowed in a frame)."""
    question = get_object_or_404(embeddable_question(public_id))
    answer = answer_of(question)  # answered on stage: the event's recording from its moment
    language = _requested_language(request)
    # Without `?lang=`, the visitor's language (LocaleMiddleware: language cookie, then
    # Accept-Language) is used.
    with translation.override(language or translation.get_language()):
        response = render(
            request,
            "reach/embed.html",
            {
                "question": question,
                "event": question.event,
                "video": answer.video,
                "chapter": answer.chapter,
                "question_url": absolute_url(question.get_absolute_url()),
            },
        )
    response["Content-Language"] = language or translation.get_language()
    if language is None:
        # A shared cache must then key on both, or it serves one visitor's language to others.
        patch_vary_headers(response, ("Accept-Language", "Cookie"))
    return response


@require_safe
@cache_control(public=True, max_age=60 * 60)
@counted("oembed")
def oembed_view(request: HttpRequest) -> HttpResponse:
    """oEmbed (https://oembed.com): paste a question's URL in a CMS, get the player's iframe."""
    if request.GET.get("format", "json") != "json":
        return HttpResponse(status=501)  # the spec's answer for formats not offered
    answer = oembed.describe(
        request.GET.get("url", ""),
        max_width=_positive_int(request.GET.get("maxwidth")),
        max_height=_positive_int(request.GET.get("maxheight")),
    )
    if answer is None:
        raise Http404
    return JsonResponse(answer, json_dumps_params={"ensure_ascii": False})


def _positive_int(value: str | None) -> int | None:
    try:
        number = int(value or "")
    except ValueError:
        return None
    return number if number > 0 else None
