from django import template
from django.urls import NoReverseMatch, reverse, translate_url
from django.utils import translation
from django.utils.encoding import iri_to_uri

register = template.Library()


@register.simple_tag(takes_context=True)
def language_url(context, language_code: str) -> str:
    """The current page in another language (URL prefix swapped), for the language switcher.

    The request's own route is reversed in that language: translate_url() would resolve the
    path again for each of the five languages, a tenth of an event page's render."""
    request = context.get("request")
    if request is None:
        return "/"
    match = getattr(request, "resolver_match", None)
    if match is None or not match.url_name:  # an error page: no named route to reverse
        return translate_url(request.get_full_path(), language_code)
    with translation.override(language_code):
        try:
            path = reverse(match.view_name, args=match.args, kwargs=match.kwargs)
        except NoReverseMatch:
            return translate_url(request.get_full_path(), language_code)
    query = request.META.get("QUERY_STRING", "")
    return path + ("?" + iri_to_uri(query) if query else "")
