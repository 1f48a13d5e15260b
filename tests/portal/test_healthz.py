"""/healthz: liveness for anyone; the deep check (loopback, the test client's address, or a
token) names each dependency."""

from datetime import timedelta

import pytest
from django.utils import timezone

from questions.models import OutboundEmail
from tests.broker import broker_unreachable

pytestmark = pytest.mark.django_db
CHECKS = {"database", "cache", "broker", "storage", "ffmpeg", "outbox"}


def test_healthz_reports_every_dependency_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == CHECKS


def waiting_email(minutes: int) -> OutboundEmail:
    message = OutboundEmail.objects.create(
        to="citoyen@example.org", subject="s", body_text="b", language="fr", kind="test"
    )
    created = timezone.now() - timedelta(minutes=minutes)
    OutboundEmail.objects.filter(pk=message.pk).update(created_at=created)
    return message


def test_healthz_reports_the_outbox_backlog_and_fails_when_it_grows_old(client, settings):
    settings.OUTBOX_BACKLOG_ALERT_SECONDS = 15 * 60
    waiting_email(minutes=2)
    outbox = client.get("/healthz").json()["checks"]["outbox"]
    assert outbox["status"] == "ok" and outbox["pending"] == 1
    assert 110 < outbox["oldest_pending_seconds"] < 130
    waiting_email(minutes=20)  # the SMTP server has been down for a while
    response = client.get("/healthz")
    assert response.status_code == 503
    outbox = response.json()["checks"]["outbox"]
    assert outbox["status"] == "failing"
    assert outbox["error"] == "RuntimeError: 2 e-mails waiting, the oldest for 20 min"


def test_healthz_fails_when_ffmpeg_is_missing(client, settings):
    settings.FFMPEG_BINARY = "ffmpeg-that-does-not-exist"
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["checks"]["ffmpeg"]["status"] == "failing"
    assert "ffmpeg-that-does-not-exist" in body["checks"]["ffmpeg"]["error"]
    assert body["checks"]["database"]["status"] == "ok"


def test_healthz_fails_when_storage_is_not_writable(client, settings, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the media folder should be")
    settings.MEDIA_ROOT = blocker
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["storage"]["status"] == "failing"


def test_healthz_fails_when_the_broker_is_unreachable(client):
    with broker_unreachable():
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["broker"]["status"] == "failing"


OUTSIDE = "203.0.113.7"


def test_the_public_gets_only_liveness_whatever_fails(client, settings):
    settings.FFMPEG_BINARY = "ffmpeg-that-does-not-exist"
    response = client.get("/healthz", REMOTE_ADDR=OUTSIDE)
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert response["Cache-Control"].startswith("max-age=0")


def test_the_public_never_writes_to_storage(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    assert client.get("/healthz", REMOTE_ADDR=OUTSIDE).json() == {"status": "ok"}
    assert list(tmp_path.iterdir()) == []


def test_the_deep_check_with_the_token_from_anywhere(client, settings):
    settings.HEALTHZ_TOKEN = "s3cret-token-for-monitoring"
    response = client.get(
        "/healthz",
        REMOTE_ADDR=OUTSIDE,
        HTTP_AUTHORIZATION="Bearer s3cret-token-for-monitoring",
    )
    assert response.status_code == 200
    assert set(response.json()["checks"]) == CHECKS


@pytest.mark.parametrize("header", ["Bearer wrong", "Bearer ", "Basic s3cret-token", ""])
def test_a_wrong_or_missing_token_gets_liveness_only(client, settings, header):
    settings.HEALTHZ_TOKEN = "s3cret-token"
    response = client.get("/healthz", REMOTE_ADDR=OUTSIDE, HTTP_AUTHORIZATION=header)
    assert response.json() == {"status": "ok"}


def test_an_empty_token_setting_never_opens_the_deep_check(client, settings):
    settings.HEALTHZ_TOKEN = ""
    response = client.get("/healthz", REMOTE_ADDR=OUTSIDE, HTTP_AUTHORIZATION="Bearer ")
    assert response.json() == {"status": "ok"}


def test_a_local_proxy_does_not_make_a_remote_visitor_local(client, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    response = client.get("/healthz", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=OUTSIDE)
    assert response.json() == {"status": "ok"}
