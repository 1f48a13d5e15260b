"""Share cards, hreflang alternates, share links and feed discovery for public pages.

base.html puts `{% hreflang_links %}` in every page's head. In a page's `{% block extra_head %}`:
`{% share_card_question question %}` or `{% share_card_event event %}` (canonical, feeds, Open
Graph, Twitter); where the content goes: `{% share_links %}` (`{% share_links question %}` adds
the embed code of an answered question).
"""

from django import template
from django.db.models.fields.files import FieldFile
from django.urls import reverse
from django.utils.translation import gettext as _

from core.urls import absolute_reverse, absolute_url
from portal.reach import media, oembed, share
from portal.reach.answers import answer_of

register = template.Library()


@register.filter
def media_url(file: FieldFile) -> str:
    """Absolute URL of a stored file (local media or S3), or "" when there is none."""
    return media.file_url(file)


def _feeds(event=None, theme=None) -> list[dict]:
    """Feed discovery links: the answers of one event or theme, or all answers."""
    if event is not None:
        names, kwargs = ("feeds:event_rss", "feeds:event_atom"), {"slug": event.slug}
        scope = f" — {event.i18n.title}"
    elif theme is not None:
        names, kwargs = ("feeds:theme_rss", "feeds:theme_atom"), {"slug": theme.slug}
        scope = f" — {theme.localized_name}"
    else:
        names, kwargs, scope = ("feeds:answers_rss", "feeds:answers_atom"), {}, ""
    return [
        {
            "type": content_type,
            "title": _("Video answers%(scope)s (%(format)s)") % {"scope": scope, "format": fmt},
            "href": absolute_reverse(name, kwargs=kwargs),
        }
        for name, content_type, fmt in zip(
            names, ("application/rss+xml", "application/atom+xml"), ("RSS", "Atom"), strict=True
        )
    ]


@register.inclusion_tag("reach/_hreflang.html", takes_context=True)
def hreflang_links(context) -> dict:
    """`<link rel="alternate" hreflang>` for the current page in every language (base.html)."""
    request = context.get("request")
    return {"alternates": share.language_alternates(request.path) if request else []}


@register.inclusion_tag("reach/_feed_links.html")
def feed_links(event=None, theme=None) -> dict:
    """Feed discovery: `<link rel="alternate">` to the answers feeds (of an event, a theme, all)."""
    return {"feeds": _feeds(event or None, theme or None)}


@register.inclusion_tag("reach/_share_card.html", takes_context=True)
def share_card_question(context, question) -> dict:
    card = share.question_card(question)
    return {
        "card": card,
        "feeds": _feeds(question.event),
        # oEmbed discovery, for answers that have a player to embed.
        "oembed_url": oembed.discovery_url(card.url) if card.player else "",
    }


@register.inclusion_tag("reach/_share_card.html", takes_context=True)
def share_card_event(context, event) -> dict:
    return {"card": share.event_card(event, context["request"].path), "feeds": _feeds(event)}


@register.inclusion_tag("reach/_calendar_links.html")
def calendar_links(event=None) -> dict:
    """Links to add the event (its .ics) or subscribe to the tour calendar (webcal://)."""
    feed = absolute_reverse("events:calendar")
    return {
        "event": event,
        "ics_url": reverse("events:ics", kwargs={"slug": event.slug}) if event else "",
        "subscribe_url": "webcal://" + feed.split("://", 1)[1],
        "feed_url": feed,
    }


@register.inclusion_tag("reach/_share_links.html", takes_context=True)
def share_links(context, question=None, title=None, heading=True) -> dict:
    """Share buttons for the current page; for an answered question, its embed code too.

    `heading=False` when the page already titles the section.
    """
    request = context["request"]
    url = absolute_url(request.path)
    title = title or (question.title if question is not None else context.get("title", ""))
    embed_url = ""
    answer = answer_of(question) if question is not None else None
    if answer is not None:
        # Answered on stage: the links play the event's recording from the answer's moment.
        url = answer.at_moment(url)
        query = {"t": answer.start} if answer.start else None
        embed_url = absolute_reverse(
            "reach:embed", kwargs={"public_id": question.public_id}, query=query
        )
    return {
        "share_url": url,
        "links": share.share_links(url, title),
        "embed_url": embed_url,
        "question": question,
        "heading": heading,
    }


@register.inclusion_tag("reach/_footer_links.html")
def footer_follow_links() -> dict:
    """Footer items: the answers feed and the tour calendar, for people and their apps."""
    return {
        "feed_url": reverse("feeds:answers_rss"),
        "calendar_url": reverse("events:calendar"),
    }


@register.inclusion_tag("reach/_play_counter.html")
def play_counter(question) -> dict:
    """The script that counts plays of the question's answer (public pages, not staff previews)."""
    return {"question": question, "beacon_url": reverse("reach_beacon:play_beacon")}
