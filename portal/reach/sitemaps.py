"""Sitemaps of public pages in every language, each URL with its hreflang alternates."""

from datetime import datetime
from math import ceil

from django.contrib.sitemaps import Sitemap
from django.core.paginator import Paginator
from django.db.models import Count, Max, QuerySet
from django.urls import reverse

from core.urls import site_url_parts
from portal.reach.selectors import sitemap_events, sitemap_questions


class ItemsInEachLanguage:
    """(item, language) pairs of a queryset, loaded one page at a time.

    Django's i18n sitemap builds every pair in memory for each page; with many thousands of
    public questions that would load them all to render 2,000 URLs.
    """

    def __init__(self, queryset: QuerySet, languages: list[str]):
        self.queryset = queryset
        self.languages = languages

    def count(self) -> int:
        return self.queryset.count() * len(self.languages)

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: slice) -> list[tuple]:
        width = len(self.languages)
        first, last = index.start or 0, index.stop
        items = self.queryset[first // width : ceil(last / width)]
        pairs = [(item, language) for item in items for language in self.languages]
        offset = first - (first // width) * width
        return pairs[offset : offset + (last - first)]


class MultilingualSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True  # the unprefixed URL, which picks the reader's language
    limit = 2000  # URLs per page; each carries 7 alternates

    @property
    def protocol(self) -> str:
        return site_url_parts().scheme

    def get_domain(self, site=None) -> str:
        # Canonical host from settings, never the request's Host header.
        return site_url_parts().netloc

    def lastmod(self, item):
        return item.updated_at

    @property
    def paginator(self) -> Paginator:
        return Paginator(ItemsInEachLanguage(self.items(), self._languages()), self.limit)

    def url_count_and_lastmod(self) -> tuple[int, datetime | None]:
        """For the index: counted in the database rather than by loading every item."""
        stats = self.items().aggregate(count=Count("pk"), lastmod=Max("updated_at"))
        return stats["count"] * len(self._languages()), stats["lastmod"]


class PageSitemap(MultilingualSitemap):
    """The portal's own pages, by URL name, with how often they change."""

    pages = {
        "home": "daily",
        "questions:search": "daily",  # without a query: the index of public questions
        "privacy": "monthly",
        "legal_notice": "monthly",
        "accessibility": "monthly",
        "open_data": "monthly",
    }
    lastmod = None  # written in templates: no date worth announcing
    paginator = Sitemap.paginator  # a handful of pages: Django's own

    def items(self) -> list[str]:
        return list(self.pages)

    def location(self, name: str) -> str:
        return reverse(name)

    def changefreq(self, name: str) -> str:
        return self.pages[name]

    def url_count_and_lastmod(self) -> tuple[int, datetime | None]:
        return len(self.pages) * len(self._languages()), None


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


SITEMAPS = {"pages": PageSitemap, "events": EventSitemap, "questions": QuestionSitemap}
