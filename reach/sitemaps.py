"""Sitemaps of public pages in every language, each URL with its hreflang alternates."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from reach.selectors import sitemap_events, sitemap_questions


class MultilingualSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True  # the unprefixed URL, which picks the reader's language
    limit = 2000  # URLs per page; each carries 7 alternates

    @property
    def protocol(self) -> str:
        return urlsplit(settings.SITE_URL).scheme

    def get_domain(self, site=None) -> str:
        # Canonical host from settings, never the request's Host header.
        return urlsplit(settings.SITE_URL).netloc

    def lastmod(self, item):
        return item.updated_at


class EventSitemap(MultilingualSitemap):
    changefreq = "daily"
    priority = 0.8

    def items(self):
        return sitemap_events()

    def location(self, event) -> str:
        return reverse("events:detail", kwargs={"slug": event.slug})


class QuestionSitemap(MultilingualSitemap):
    changefreq = "weekly"
    priority = 0.6

    def items(self):
        return sitemap_questions()

    def location(self, question) -> str:
        return question.get_absolute_url()


# Events join once their public page is routed (events:detail).
SITEMAPS = {"questions": QuestionSitemap}
