"""Feeds, under the language prefix: /fr/feeds/… is the French feed, /en/feeds/… the English."""

from django.urls import path
from django.views.decorators.cache import cache_control

from portal.reach import feeds

app_name = "feeds"

# Feed readers poll: let a shared cache (CDN, proxy) answer them for a few minutes.
cached = cache_control(public=True, max_age=5 * 60)

urlpatterns = [
    path("feeds/answers.rss", cached(feeds.AnswersFeed()), name="answers_rss"),
    path("feeds/answers.atom", cached(feeds.AnswersAtomFeed()), name="answers_atom"),
    path(
        "feeds/events/<slug:slug>/answers.rss",
        cached(feeds.EventAnswersFeed()),
        name="event_rss",
    ),
    path(
        "feeds/events/<slug:slug>/answers.atom",
        cached(feeds.EventAnswersAtomFeed()),
        name="event_atom",
    ),
    path(
        "feeds/themes/<slug:slug>/answers.rss",
        cached(feeds.ThemeAnswersFeed()),
        name="theme_rss",
    ),
    path(
        "feeds/themes/<slug:slug>/answers.atom",
        cached(feeds.ThemeAnswersAtomFeed()),
        name="theme_atom",
    ),
]
