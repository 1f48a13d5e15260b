"""Share cards, hreflang alternates, share links and feed discovery for public pages.

In a page's `{% block extra_head %}`: `{% share_card_question question %}` or
`{% share_card_event event %}` (canonical, hreflang, Open Graph, Twitter), and where the content
goes: `{% share_links %}` (or `{% share_links question %}` for the embed code as well).
"""

from django import template
from django.db.models.fields.files import FieldFile
from django.urls import reverse
from django.utils.translation import gettext as _

from reach import media, share

register = template.Library()


@register.filter
def media_url(file: FieldFile) -> str:
    """Absolute URL of a stored file (local media or S3), or "" when there is none."""
    return media.file_url(file)


def _feeds(event=None) -> list[dict]:
    """Feed discovery links: the event's answers on its pages, all answers elsewhere."""
    if event is None:
        names, kwargs, scope = ("feeds:answers_rss", "feeds:answers_atom"), {}, ""
    else:
        names, kwargs = ("feeds:event_rss", "feeds:event_atom"), {"slug": event.slug}
        scope = f" — {event.title}"
    return [
        {
            "type": content_type,
            "title": _("Video answers%(scope)s (%(format)s)") % {"scope": scope, "format": fmt},
            "href": share.absolute(reverse(name, kwargs=kwargs)),
        }
        for name, content_type, fmt in zip(
            names, ("application/rss+xml", "application/atom+xml"), ("RSS", "Atom"), strict=True
        )
    ]


@register.inclusion_tag("reach/_hreflang.html", takes_context=True)
def hreflang_links(context) -> dict:
    """`<link rel="alternate" hreflang>` for the current page in every language."""
    return {"alternates": share.language_alternates(context["request"].path)}


@register.inclusion_tag("reach/_share_card.html", takes_context=True)
def share_card_question(context, question) -> dict:
    return {
        "card": share.question_card(question),
        "alternates": share.language_alternates(context["request"].path),
        "feeds": _feeds(question.event),
    }


@register.inclusion_tag("reach/_share_card.html", takes_context=True)
def share_card_event(context, event) -> dict:
    request = context["request"]
    return {
        "card": share.event_card(event, request.path),
        "alternates": share.language_alternates(request.path),
        "feeds": _feeds(event),
    }


@register.inclusion_tag("reach/_share_links.html", takes_context=True)
def share_links(context, question=None, title=None) -> dict:
    """Share buttons for the current page; for an answered question, its embed code too."""
    request = context["request"]
    url = share.absolute(request.path)
    title = title or (question.title if question is not None else context.get("title", ""))
    embed_url = ""
    if question is not None and share.published_video(question) is not None:
        embed_url = share.absolute(reverse("reach:embed", kwargs={"public_id": question.public_id}))
    return {
        "share_url": url,
        "links": share.share_links(url, title),
        "embed_url": embed_url,
        "question": question,
    }
