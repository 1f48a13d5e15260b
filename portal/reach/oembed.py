"""oEmbed answers for answered questions: sites that support it (CMS, forums, chat apps) turn a
pasted question URL into the embeddable player."""

from urllib.parse import urlsplit

from django.conf import settings
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.html import format_html

from core.urls import absolute_reverse, absolute_url, is_site_url
from portal.reach import media
from portal.reach.answers import answer_of
from portal.reach.selectors import answered_questions

DEFAULT_WIDTH = 640
CAPTION_HEIGHT = 40  # the link back under the video
PROVIDER_NAME = "Le Quai d’Orsay Hors les Murs"


def _question_from_url(url: str):
    """The answered question a portal URL points at, with the URL's language; else (None, "")."""
    parts = urlsplit(url)
    if not is_site_url(url):
        return None, ""
    # URLs resolve in their own language's prefix only.
    language = translation.get_language_from_path(parts.path) or settings.LANGUAGE_CODE
    try:
        with translation.override(language):
            match = resolve(parts.path)
    except Resolver404:
        return None, ""
    if match.view_name != "questions:detail":
        return None, ""
    question = answered_questions().filter(public_id=match.kwargs["public_id"]).first()
    return question, language


def _size(video, max_width: int | None, max_height: int | None) -> tuple[int, int]:
    ratio = (video.height / video.width) if video.width and video.height else 9 / 16
    width = min(DEFAULT_WIDTH, max_width or DEFAULT_WIDTH)
    height = round(width * ratio) + CAPTION_HEIGHT
    if max_height and height > max_height:
        height = max_height
        width = max(1, round((height - CAPTION_HEIGHT) / ratio))
    return width, height


def describe(url: str, *, max_width: int | None, max_height: int | None) -> dict | None:
    """The oEmbed "video" response for a question URL, or None if it has no public answer."""
    question, language = _question_from_url(url)
    if question is None:
        return None
    answer = answer_of(question)
    video = answer.video  # an answer given on stage: the event's recording, from its moment
    width, height = _size(video, max_width, max_height)
    query = {"lang": language} | ({"t": answer.start} if answer.start else {})
    src = absolute_reverse("reach:embed", kwargs={"public_id": question.public_id}, query=query)
    response = {
        "version": "1.0",
        "type": "video",
        "provider_name": PROVIDER_NAME,
        "provider_url": absolute_url("/"),
        "title": question.title,
        "width": width,
        "height": height,
        "html": format_html(
            '<iframe src="{}" width="{}" height="{}" title="{}" allow="fullscreen; '
            'picture-in-picture" allowfullscreen loading="lazy"></iframe>',
            src,
            width,
            height,
            question.title,
        ),
    }
    if video.poster and video.poster_width and video.poster_height:
        # The spec: a thumbnail_url comes with its width and height, or not at all.
        response["thumbnail_url"] = media.file_url(video.poster)
        response["thumbnail_width"] = video.poster_width
        response["thumbnail_height"] = video.poster_height
    return response


def discovery_url(page_url: str) -> str:
    return absolute_reverse("reach:oembed", query={"url": page_url})
