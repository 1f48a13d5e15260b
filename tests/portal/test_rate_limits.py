"""Every public POST is rate-limited per real client, found behind the proxy (portal.security)."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from questions.models import QuestionState
from tests.factories import EventFactory, QuestionFactory
from tests.questions.conftest import question_data

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.1"  # REMOTE_ADDR: our load balancer


def endpoints() -> list[tuple[str, str, callable]]:
    """(rate setting, URL, form data for the n-th post) of each public POST endpoint."""
    event = EventFactory()
    question = QuestionFactory(state=QuestionState.APPROVED)
    return [
        (
            "RATELIMIT_QUESTION_PER_IP",
            reverse("events:detail", kwargs={"slug": event.slug}),
            lambda n: question_data(
                event,
                email=f"c{n}@example.org",
                title=f"Question {n} ?",
                submission_token=f"{n:032x}",
            ),
        ),
        (
            "RATELIMIT_RESEND_PER_IP",
            reverse("questions:resend"),
            lambda n: {"email": f"c{n}@ex.org"},
        ),
        (
            "RATELIMIT_SUPPORT_PER_IP",
            reverse("questions:support", kwargs={"public_id": question.public_id}),
            lambda n: {"email": ""},
        ),
    ]


def post_as(client, url: str, data: dict, *, client_ip: str, forged: str):
    # The client forges the left-most entry; the proxy appended the address it saw.
    return client.post(url, data, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"{forged}, {client_ip}")


def test_each_public_post_is_limited_per_client_ip_behind_the_proxy(client, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for setting, url, data in endpoints():
        cache.clear()
        setting_value = "2/h"
        setattr(settings, setting, setting_value)
        for n in range(2):
            response = post_as(client, url, data(n), client_ip="203.0.113.5", forged=f"6.6.6.{n}")
            assert response.status_code != 429, (url, n)
        # Changing the forged entry does not help: the third post from that client is refused.
        refused = post_as(client, url, data(2), client_ip="203.0.113.5", forged="7.7.7.7")
        assert refused.status_code == 429, url
        assert "fr-" in refused.content.decode()  # the friendly DSFR page, not a bare error
        # Another citizen behind the same proxy is not affected.
        other = post_as(client, url, data(3), client_ip="203.0.113.9", forged="6.6.6.0")
        assert other.status_code != 429, url
