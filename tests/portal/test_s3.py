"""Media storage on a real S3 server: private sources, public outputs, multipart uploads."""

import io
import os
import re
import time
import urllib.parse

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages

from media_pipeline import uploads
from media_pipeline.models import AnswerVideo, VideoState
from media_pipeline.services import captions, staff_actions
from questions.models import QuestionState
from tests.factories import QuestionFactory, UserFactory
from tests.media_pipeline.conftest import make_clip
from tests.s3 import http_get
from tests.worker import running_worker

pytestmark = pytest.mark.slow


def test_a_private_source_is_not_readable_anonymously_but_through_a_signed_url(s3):
    private = storages["private"]
    name = private.save("sources/q1/source", ContentFile(b"raw interview footage"))
    assert name == "sources/q1/source"
    stored = s3.client.head_object(Bucket=s3.bucket, Key=f"private/{name}")
    assert stored["ContentLength"] == len(b"raw interview footage")

    signed = private.url(name)
    assert "X-Amz-Signature=" in signed
    assert http_get(signed) == (200, b"raw interview footage")
    status, _ = http_get(signed.split("?", 1)[0])
    assert status == 403


def test_a_published_output_is_readable_by_anyone_at_a_plain_url(s3):
    public = storages["default"]
    name = public.save("answers/abc/v1/master.m3u8", ContentFile(b"#EXTM3U\n"))
    url = public.url(name)
    assert "?" not in url and url.startswith(f"{s3.endpoint}/{s3.bucket}/public/")
    assert http_get(url) == (200, b"#EXTM3U\n")


def test_a_large_file_goes_up_in_parts_and_comes_back_whole(s3):
    content = os.urandom(13 * 1024 * 1024)  # above boto3's 8 MB multipart threshold
    private = storages["private"]
    name = private.save("sources/q2/source", ContentFile(content))
    etag = s3.client.head_object(Bucket=s3.bucket, Key=f"private/{name}")["ETag"]
    assert etag.strip('"').endswith("-2"), "uploaded as a two-part multipart upload"
    with private.open(name, "rb") as handle:
        assert handle.read() == content
    assert private.size(name) == len(content)


@pytest.mark.django_db(transaction=True)
def test_upload_probe_transcode_publish_on_s3_then_play_over_http(s3, tmp_path):
    """The whole media journey on the S3 server, with a real worker, read back as a player
    would: master playlist, a rendition playlist, its init and first segments."""
    question = QuestionFactory(state=QuestionState.SELECTED)
    staff = UserFactory(groups=["Spokesperson staff"])
    clip = make_clip(tmp_path / "answer.mp4", seconds=2, size="640x360")
    content = clip.read_bytes()

    worker_env = s3.env | {
        "MEDIA_LADDER_HEIGHTS": "360,240",
        "MEDIA_HLS_SEGMENT_SECONDS": "1",
        "MEDIA_X264_PRESET": "ultrafast",
    }
    with running_worker(queues="default,media", env=worker_env, log_name="worker-s3.log"):
        # Upload: a resumable upload in two chunks; the last one hands the file to storage.
        session = uploads.create_upload(
            question=question,
            user=staff,
            length=len(content),
            content_type="video/mp4",
            filename="answer.mp4",
        )
        half = len(content) // 2
        uploads.append_chunk(
            session=session, offset=0, stream=io.BytesIO(content[:half]), chunk_length=half
        )
        uploads.append_chunk(
            session=session,
            offset=half,
            stream=io.BytesIO(content[half:]),
            chunk_length=len(content) - half,
        )
        video = AnswerVideo.objects.get(question=question)
        source_key = f"private/{video.source.name}"
        assert s3.client.head_object(Bucket=s3.bucket, Key=source_key)["ContentLength"] == len(
            content
        )
        # Probe and transcode happen in the worker, reading and writing the bucket.
        deadline = time.monotonic() + 180
        while video.state not in (VideoState.READY, VideoState.FAILED):
            assert time.monotonic() < deadline, f"still {video.state} at {video.progress}%"
            time.sleep(0.5)
            video.refresh_from_db()
    assert video.state == VideoState.READY, video.error_reason + video.error_log[-1500:]
    assert video.height == 360 and video.duration_seconds == pytest.approx(2, abs=0.2)

    video = captions.set_transcript(video=video, text="Merci pour votre question.")
    captions.set_caption(
        video=video, language="fr", content=b"WEBVTT\n\n00:00.000 --> 00:01.000\nMerci.\n"
    )
    video = staff_actions.publish_video(video=video, actor=staff)
    question.refresh_from_db()
    assert question.state == QuestionState.ANSWERED

    master_url = video.hls_master.url
    assert master_url.startswith(f"{s3.endpoint}/{s3.bucket}/public/answers/")
    status, master = http_get(master_url)
    assert status == 200 and master.startswith(b"#EXTM3U")
    variants = [line for line in master.decode().splitlines() if line and line[0] != "#"]
    assert len(variants) == 2  # 360p and 240p: never upscaled
    variant_url = urllib.parse.urljoin(master_url, variants[-1])
    status, playlist = http_get(variant_url)
    assert status == 200 and b"#EXT-X-ENDLIST" in playlist
    segment_names = re.findall(r'URI="([^"]+)"', playlist.decode()) + [
        line for line in playlist.decode().splitlines() if line and line[0] != "#"
    ]
    assert len(segment_names) >= 2
    for segment in segment_names[:2]:
        status, data = http_get(urllib.parse.urljoin(variant_url, segment))
        assert status == 200 and len(data) > 100
    assert http_get(video.mp4.url)[0] == 200
    assert http_get(video.poster.url)[0] == 200
    # The source stays private after publication.
    assert http_get(f"{s3.endpoint}/{s3.bucket}/{source_key}")[0] == 403


@pytest.mark.django_db
def test_captions_are_stored_as_webvtt_whatever_they_contain(s3):
    video = AnswerVideo.objects.create(question=QuestionFactory(state=QuestionState.SELECTED))
    content = b"WEBVTT\n\n00:00.000 --> 00:01.000\n<script>alert(1)</script>\n"
    caption = captions.set_caption(video=video, language="fr", content=content)
    stored = s3.client.head_object(Bucket=s3.bucket, Key=f"public/{caption.file.name}")
    assert stored["ContentType"] == "text/vtt; charset=utf-8"
