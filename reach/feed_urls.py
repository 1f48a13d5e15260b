"""Feeds, under the language prefix: /fr/feeds/… is the French feed, /en/feeds/… the English."""

from django.urls import path

from reach import feeds

app_name = "feeds"

urlpatterns = [
    path("feeds/answers.rss", feeds.AnswersFeed(), name="answers_rss"),
    path("feeds/answers.atom", feeds.AnswersAtomFeed(), name="answers_atom"),
    path("feeds/events/<slug:slug>/answers.rss", feeds.EventAnswersFeed(), name="event_rss"),
    path("feeds/events/<slug:slug>/answers.atom", feeds.EventAnswersAtomFeed(), name="event_atom"),
    path("feeds/themes/<slug:slug>/answers.rss", feeds.ThemeAnswersFeed(), name="theme_rss"),
    path("feeds/themes/<slug:slug>/answers.atom", feeds.ThemeAnswersAtomFeed(), name="theme_atom"),
]
