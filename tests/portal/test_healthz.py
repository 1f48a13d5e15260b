import pytest

pytestmark = pytest.mark.django_db


def test_healthz_reports_every_dependency_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "cache", "broker", "storage", "ffmpeg"}


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


def test_healthz_fails_when_the_broker_is_unreachable(client, monkeypatch):
    from portal.celery import app

    monkeypatch.setattr(app.conf, "broker_url", "redis://127.0.0.1:1/0")
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["broker"]["status"] == "failing"
