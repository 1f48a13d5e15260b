"""Unprefixed URLs: crawlers and embedding sites use them as they are, in no language."""

from django.contrib.sitemaps import views as sitemap_views
from django.urls import path
from django.views.decorators.cache import cache_page

from portal.reach import views
from portal.reach.sitemaps import SITEMAPS

app_name = "reach"
SITEMAP_CACHE_SECONDS = 30 * 60

urlpatterns = [
    path("robots.txt", views.robots_txt, name="robots"),
    path(
        "sitemap.xml",
        cache_page(SITEMAP_CACHE_SECONDS)(views.sitemap_index),
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        cache_page(SITEMAP_CACHE_SECONDS)(sitemap_views.sitemap),
        {"sitemaps": SITEMAPS},
        name="sitemap_section",
    ),
    path("embed/<str:public_id>/", views.embed, name="embed"),
    path("oembed/", views.oembed_view, name="oembed"),
]
