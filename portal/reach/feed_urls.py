"""Feeds, under the language prefix: /fr/feeds/… is the French feed, /en/feeds/… the English."""

from django.urls import path
from django.views.decorators.cache import cache_control

from portal.reach import feeds
from portal.statistics.decorators import counted

app_name = "feeds"

# Feed readers poll: let a shared cache (CDN, proxy) answer them for a few minutes.
cached = cache_control(public=True, max_age=5 * 60)

# (URL prefix, name prefix, RSS feed, Atom feed)
SCOPES = [
    ("feeds/", "answers", feeds.AnswersFeed, feeds.AnswersAtomFeed),
    ("feeds/events/<slug:slug>/", "event", feeds.EventAnswersFeed, feeds.EventAnswersAtomFeed),
    ("feeds/themes/<slug:slug>/", "theme", feeds.ThemeAnswersFeed, feeds.ThemeAnswersAtomFeed),
]


def feed_key(request, kwargs) -> str:
    """The feed without its language: "answers.rss", "event/lyon.atom", …"""
    return request.path.split("/feeds/", 1)[-1].replace("/answers", "").replace("s/", "/", 1)


count_feed = counted("feed", feed_key)

urlpatterns = [
    path(f"{prefix}answers.{ext}", cached(count_feed(feed())), name=f"{name}_{ext}")
    for prefix, name, rss_feed, atom_feed in SCOPES
    for ext, feed in (("rss", rss_feed), ("atom", atom_feed))
]
