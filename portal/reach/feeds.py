"""RSS 2.0 and Atom feeds of answered questions: all, per event, per theme, in the URL's language.

Each entry carries the answer's MP4 and its poster: RSS allows one enclosure per item, so there the
MP4 is the enclosure and the poster a Media RSS thumbnail; Atom carries both as enclosure links.
Media RSS elements (`media:content`, `media:thumbnail`) are added to both for video-aware readers.
"""

from django.contrib.syndication.views import Feed
from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.feedgenerator import Atom1Feed, Enclosure, Rss201rev2Feed
from django.utils.translation import gettext as _

from core.urls import absolute_reverse, absolute_url
from events.models import Event, Theme
from portal.reach import media
from portal.reach.answers import answer_of
from portal.reach.selectors import answered_questions
from questions.models import Question

MEDIA_RSS_NS = "http://search.yahoo.com/mrss/"
FEED_LENGTH = 50


class MediaRssMixin:
    """Adds Media RSS video and thumbnail elements to each item (item["media"])."""

    def add_media_namespace(self, attrs: dict) -> dict:
        attrs["xmlns:media"] = MEDIA_RSS_NS
        return attrs

    def add_media_elements(self, handler, item: dict) -> None:
        video = item.get("media")
        if not video:
            return
        content = {"url": video["url"], "type": video["type"], "medium": "video"}
        if video.get("length"):
            content["fileSize"] = str(video["length"])
        if video.get("duration"):
            content["duration"] = str(round(video["duration"]))
        for dimension in ("width", "height"):
            if video.get(dimension):
                content[dimension] = str(video[dimension])
        handler.addQuickElement("media:content", None, content)
        if video.get("thumbnail"):
            handler.addQuickElement("media:thumbnail", None, {"url": video["thumbnail"]})


class MediaRss201Feed(MediaRssMixin, Rss201rev2Feed):
    def rss_attributes(self) -> dict:
        return self.add_media_namespace(super().rss_attributes())

    def add_item_elements(self, handler, item) -> None:
        super().add_item_elements(handler, item)
        self.add_media_elements(handler, item)


class MediaAtomFeed(MediaRssMixin, Atom1Feed):
    def root_attributes(self) -> dict:
        return self.add_media_namespace(super().root_attributes())

    def add_item_elements(self, handler, item) -> None:
        super().add_item_elements(handler, item)
        self.add_media_elements(handler, item)


def _enclosure(file, default_type: str, sizes: dict[str, int]) -> Enclosure:
    return Enclosure(
        media.file_url(file), str(sizes.get(file.name, 0)), media.mime_type(file, default_type)
    )


class AnswersFeed(Feed):
    """All answered questions; subclasses narrow the scope (event, theme)."""

    feed_type = MediaRss201Feed
    description_template = "reach/feeds/answer_description.html"
    feed_url_name = "feeds:answers_rss"

    # --- the feed -------------------------------------------------------------------------------
    def get_object(self, request: HttpRequest, **kwargs):
        return None

    def scoped(self, obj, questions: QuerySet[Question]) -> QuerySet[Question]:
        return questions

    def title(self, obj) -> str:
        return _("Video answers — Le Quai d’Orsay Hors les Murs")

    def description(self, obj) -> str:
        return _("The spokesperson’s video answers to citizens’ foreign-policy questions.")

    def subtitle(self, obj) -> str:  # Atom's name for the description
        return self.description(obj)

    def link(self, obj) -> str:
        return absolute_reverse("home")

    def feed_url(self, obj) -> str:
        return absolute_reverse(self.feed_url_name, kwargs=self.url_kwargs(obj))

    def url_kwargs(self, obj) -> dict:
        return {}

    def author_name(self, obj) -> str:
        return _("French Ministry for Europe and Foreign Affairs")

    def items(self, obj) -> list[Question]:
        questions = list(self.scoped(obj, answered_questions())[:FEED_LENGTH])
        for question in questions:
            # Its own video, or its moment in the event's recording (answered on stage).
            question.answer = answer_of(question)
        files = [file for q in questions for file in (q.answer.video.mp4, q.answer.video.poster)]
        # The feed object serves every request: sizes travel with the items, not on `self`.
        sizes = media.file_sizes(files)
        for question in questions:
            question.file_sizes = sizes
        return questions

    # --- each entry -----------------------------------------------------------------------------
    def item_title(self, question: Question) -> str:
        return question.title

    def item_link(self, question: Question) -> str:
        # An answer given on stage: the page plays the recording from that moment.
        return question.answer.at_moment(absolute_url(question.get_absolute_url()))

    def item_guid(self, question: Question) -> str:
        return absolute_url(question.get_absolute_url())  # stable when a chapter's times change

    def item_guid_is_permalink(self, question: Question) -> bool:
        return True

    def item_pubdate(self, question: Question):
        return question.answered_at or self._published_at(question)

    def item_updateddate(self, question: Question):
        return self._published_at(question) or question.answered_at

    @staticmethod
    def _published_at(question: Question):
        answer = question.answer
        return answer.chapter.published_at if answer.chapter else answer.video.published_at

    def item_categories(self, question: Question) -> list[str]:
        return [question.theme.localized_name]

    def item_enclosures(self, question: Question) -> list[Enclosure]:
        answer = question.answer
        video = answer.video
        enclosures = []
        if video.mp4:
            enclosure = _enclosure(video.mp4, "video/mp4", question.file_sizes)
            # The recording's file, with the moment as a media fragment (#t=start,end).
            enclosure.url = answer.media_url(video.mp4)
            enclosures.append(enclosure)
        if video.poster and self.feed_type is MediaAtomFeed:
            enclosures.append(_enclosure(video.poster, "image/jpeg", question.file_sizes))
        return enclosures

    def item_extra_kwargs(self, question: Question) -> dict:
        answer = question.answer
        video = answer.video
        if not video.mp4:
            return {}
        return {
            "media": {
                "url": answer.media_url(video.mp4),
                "type": media.mime_type(video.mp4, "video/mp4"),
                "length": question.file_sizes.get(video.mp4.name, 0),
                "duration": answer.duration,
                "width": video.width,
                "height": video.height,
                "thumbnail": media.file_url(video.poster),
            }
        }


class EventAnswersFeed(AnswersFeed):
    feed_url_name = "feeds:event_rss"

    def get_object(self, request: HttpRequest, slug: str) -> Event:
        return get_object_or_404(Event.objects.published(), slug=slug)

    def scoped(self, event: Event, questions: QuerySet[Question]) -> QuerySet[Question]:
        return questions.filter(event=event)

    def url_kwargs(self, event: Event) -> dict:
        return {"slug": event.slug}

    def title(self, event: Event) -> str:
        return _("Video answers — %(event)s") % {"event": event.i18n.title}

    def description(self, event: Event) -> str:
        return _("The spokesperson’s video answers to the questions asked for %(event)s.") % {
            "event": event.i18n.title
        }

    def link(self, event: Event) -> str:
        return absolute_reverse("events:detail", kwargs={"slug": event.slug})


class ThemeAnswersFeed(AnswersFeed):
    feed_url_name = "feeds:theme_rss"

    def get_object(self, request: HttpRequest, slug: str) -> Theme:
        return get_object_or_404(Theme, slug=slug)

    def scoped(self, theme: Theme, questions: QuerySet[Question]) -> QuerySet[Question]:
        return questions.filter(theme=theme)

    def url_kwargs(self, theme: Theme) -> dict:
        return {"slug": theme.slug}

    def title(self, theme: Theme) -> str:
        return _("Video answers on %(theme)s — Le Quai d’Orsay Hors les Murs") % {
            "theme": theme.localized_name
        }

    def description(self, theme: Theme) -> str:
        return _("The spokesperson’s video answers to citizens’ questions on %(theme)s.") % {
            "theme": theme.localized_name
        }


class AnswersAtomFeed(AnswersFeed):
    feed_type = MediaAtomFeed
    feed_url_name = "feeds:answers_atom"


class EventAnswersAtomFeed(EventAnswersFeed):
    feed_type = MediaAtomFeed
    feed_url_name = "feeds:event_atom"


class ThemeAnswersAtomFeed(ThemeAnswersFeed):
    feed_type = MediaAtomFeed
    feed_url_name = "feeds:theme_atom"
