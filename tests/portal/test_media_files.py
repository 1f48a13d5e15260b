"""Media on local disk (make run) are served with HTTP Range: the MP4 fallback can be sought."""

import pytest
from django.test import Client


@pytest.fixture
def mp4(settings):
    path = settings.MEDIA_ROOT / "answers" / "q1" / "v1" / "answer.mp4"
    path.parent.mkdir(parents=True)
    path.write_bytes(bytes(range(256)) * 40)
    return path


def test_a_range_request_gets_that_part_only(client, mp4):
    response = client.get("/media/answers/q1/v1/answer.mp4", HTTP_RANGE="bytes=1000-1099")
    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes 1000-1099/{mp4.stat().st_size}"
    assert response["Content-Type"] == "video/mp4"
    assert b"".join(response.streaming_content) == mp4.read_bytes()[1000:1100]


def test_the_whole_file_without_range_and_304_when_unchanged(client, mp4):
    response = client.get("/media/answers/q1/v1/answer.mp4")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == mp4.read_bytes()
    again = client.get("/media/answers/q1/v1/answer.mp4", HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304


def test_files_written_after_start_are_found(client, settings, mp4):
    assert client.get("/media/answers/q1/v2/answer.mp4").status_code == 404
    later = settings.MEDIA_ROOT / "answers" / "q1" / "v2" / "answer.mp4"
    later.parent.mkdir(parents=True)
    later.write_bytes(b"new version")
    assert client.get("/media/answers/q1/v2/answer.mp4").status_code == 200


def test_nothing_outside_the_media_folder_is_served(client, settings, mp4):
    (settings.MEDIA_ROOT.parent / "secret.txt").write_text("private")
    assert client.get("/media/../secret.txt").status_code == 404
    assert client.get("/media/%2e%2e/secret.txt").status_code == 404


def test_not_served_when_turned_off(settings, mp4):
    settings.SERVE_MEDIA = False  # production: the proxy, the bucket or its CDN serves media
    assert Client().get("/media/answers/q1/v1/answer.mp4").status_code == 404
