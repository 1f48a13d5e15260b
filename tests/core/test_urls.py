"""Absolute links use the canonical origin (SITE_URL), whatever host the request came on."""

import pytest

from core.urls import absolute_reverse, absolute_url, is_site_url, site_url_parts

SITE = "https://horslesmurs.example"


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = SITE


def test_a_site_path_gets_the_canonical_origin():
    assert absolute_url("/fr/a-propos/") == f"{SITE}/fr/a-propos/"


def test_storage_urls_already_absolute_are_kept_and_protocol_relative_ones_become_https():
    assert absolute_url("https://cdn.example/a.mp4") == "https://cdn.example/a.mp4"
    assert absolute_url("//cdn.example/a.mp4") == "https://cdn.example/a.mp4"


def test_a_reversed_url_is_in_the_active_language_with_its_query_string():
    url = absolute_reverse("reach:oembed", query={"url": f"{SITE}/fr/q/é?x=1"})
    assert url == f"{SITE}/oembed/?url=https%3A%2F%2Fhorslesmurs.example%2Ffr%2Fq%2F%C3%A9%3Fx%3D1"
    assert absolute_reverse("events:detail", kwargs={"slug": "lyon"}) == f"{SITE}/fr/events/lyon/"


def test_only_urls_on_the_canonical_scheme_and_host_belong_to_the_site():
    assert is_site_url(f"{SITE}/fr/")
    assert not is_site_url("http://horslesmurs.example/fr/")
    assert not is_site_url("https://horslesmurs.example.evil/fr/")
    assert site_url_parts().hostname == "horslesmurs.example"
