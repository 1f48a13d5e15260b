import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from media_pipeline.models import AnswerVideo, Caption, VideoState
from media_pipeline.services import processing
from portal.roles import SPOKESPERSON_STAFF
from tests.factories import UserFactory
from tests.media_pipeline.conftest import attach

pytestmark = pytest.mark.django_db

VTT = b"WEBVTT\n\n00:00.000 --> 00:01.000\nBonjour.\n"


@pytest.fixture
def staff(client):
    user = UserFactory(groups=[SPOKESPERSON_STAFF])
    client.force_login(user)
    return user


def test_a_small_file_uploaded_in_the_admin_enters_the_pipeline(
    client, staff, selected_question, clip, django_capture_on_commit_callbacks
):
    with open(clip, "rb") as handle, django_capture_on_commit_callbacks() as callbacks:
        response = client.post(
            reverse("admin:media_pipeline_answervideo_add"),
            {
                "question": selected_question.pk,
                "upload": handle,
                "language": "fr",
                "renditions-TOTAL_FORMS": 0,
                "renditions-INITIAL_FORMS": 0,
                "captions-TOTAL_FORMS": 0,
                "captions-INITIAL_FORMS": 0,
            },
        )
    assert response.status_code == 302, response.content.decode()[:3000]
    video = AnswerVideo.objects.get(question=selected_question)
    assert video.state == VideoState.UPLOADED and video.uploaded_by == staff
    # The processing task, and the admin's change makes the cached public pages stale.
    assert [callback.__name__ for callback in callbacks][1:] == ["bump_cached_pages"]
    assert len(callbacks) == 2


@pytest.mark.slow  # transcodes with ffmpeg
def test_the_admin_shows_progress_and_retries_and_publishes_through_the_services(
    client, staff, selected_question, clip
):
    video = attach(selected_question, clip)
    AnswerVideo.objects.filter(pk=video.pk).update(
        state=VideoState.FAILED, error_reason="Le fichier est vide."
    )
    change_url = reverse("admin:media_pipeline_answervideo_change", args=[video.pk])
    page = client.get(change_url).content.decode()
    assert "hlm-admin-progress" in page and "<progress" in page
    assert "Le fichier est vide." in page
    assert "media_pipeline/status.js" in page
    assert reverse("admin:media_pipeline_answervideo_retry", args=[video.pk]) in page

    retry_url = reverse("admin:media_pipeline_answervideo_retry", args=[video.pk])
    assert client.get(retry_url).status_code == 403  # state changes only by POST
    client.post(reverse("admin:media_pipeline_answervideo_retry", args=[video.pk]))
    video.refresh_from_db()
    assert video.state == VideoState.UPLOADED

    processing.process_video(video_id=video.pk)
    client.post(reverse("admin:media_pipeline_answervideo_publish", args=[video.pk]))
    video.refresh_from_db()
    assert video.state == VideoState.READY  # refused: no captions, no transcript yet

    response = client.post(
        change_url,
        {
            "transcript": "Bonjour.",
            "language": "fr",
            "renditions-TOTAL_FORMS": 0,
            "renditions-INITIAL_FORMS": 0,
            "captions-TOTAL_FORMS": 1,
            "captions-INITIAL_FORMS": 0,
            "captions-0-language": "fr",
            "captions-0-label": "",
            "captions-0-file": SimpleUploadedFile("x.vtt", b"not webvtt", "text/vtt"),
        },
    )
    assert response.status_code == 200  # the invalid WebVTT file is refused with the form
    assert "WEBVTT" in response.content.decode()

    client.post(
        change_url,
        {
            "transcript": "Bonjour.",
            "language": "fr",
            "renditions-TOTAL_FORMS": 0,
            "renditions-INITIAL_FORMS": 0,
            "captions-TOTAL_FORMS": 1,
            "captions-INITIAL_FORMS": 0,
            "captions-0-language": "fr",
            "captions-0-label": "",
            "captions-0-file": SimpleUploadedFile("fr.vtt", VTT, "text/vtt"),
        },
    )
    video.refresh_from_db()
    assert video.transcript == "Bonjour."
    assert video.captions.get().is_reviewed  # written by a person, not a speech draft
    client.post(reverse("admin:media_pipeline_answervideo_publish", args=[video.pk]))
    video.refresh_from_db()
    assert video.state == VideoState.PUBLISHED
    selected_question.refresh_from_db()
    assert selected_question.state == "answered"


def inline_post(client, url, *rows, transcript=""):
    data = {
        "transcript": transcript,
        "language": "fr",
        "renditions-TOTAL_FORMS": 0,
        "renditions-INITIAL_FORMS": 0,
        "captions-TOTAL_FORMS": len(rows),
        "captions-INITIAL_FORMS": sum(1 for row in rows if "id" in row),
    }
    for index, row in enumerate(rows):
        data.update({f"captions-{index}-{name}": value for name, value in row.items()})
    return client.post(url, data)


def test_the_caption_inline_goes_through_the_services_and_leaves_no_file_behind(
    client, staff, selected_question, clip, django_capture_on_commit_callbacks
):
    video = attach(selected_question, clip)
    url = reverse("admin:media_pipeline_answervideo_change", args=[video.pk])
    storage = Caption._meta.get_field("file").storage

    vtt = SimpleUploadedFile("fr.vtt", VTT, "text/vtt")
    with django_capture_on_commit_callbacks(execute=True):
        response = inline_post(client, url, {"language": "fr", "label": "", "file": vtt})
    assert response.status_code == 302
    first = video.captions.get()
    assert first.label == "Français" and storage.exists(first.file.name)

    replacement = SimpleUploadedFile("fr2.vtt", VTT.replace(b"Bonjour", b"Salut"), "text/vtt")
    row = {"id": first.pk, "video": video.pk, "language": "fr", "label": "VF", "file": replacement}
    with django_capture_on_commit_callbacks(execute=True):
        assert inline_post(client, url, row).status_code == 302
    second = video.captions.get()
    assert second.label == "VF" and b"Salut" in second.file.read()
    assert not storage.exists(first.file.name)  # the replaced file left the storage

    row = {"id": second.pk, "video": video.pk, "language": "ar", "label": "", "file": ""}
    with django_capture_on_commit_callbacks(execute=True):
        assert inline_post(client, url, row).status_code == 302
    moved = video.captions.get()
    assert moved.language == "ar" and b"Salut" in moved.file.read()
    assert not storage.exists(second.file.name)

    row = {"id": moved.pk, "video": video.pk, "language": "ar", "label": "", "DELETE": "on"}
    with django_capture_on_commit_callbacks(execute=True):
        assert inline_post(client, url, row).status_code == 302
    assert not video.captions.exists() and not storage.exists(moved.file.name)


def test_a_caption_uploaded_in_the_admin_never_keeps_the_uploaders_name(
    client, staff, selected_question, clip, django_capture_on_commit_callbacks
):
    video = attach(selected_question, clip)
    url = reverse("admin:media_pipeline_answervideo_change", args=[video.pk])
    evil = SimpleUploadedFile("evil.html", VTT + b"<script>alert(1)</script>\n", "text/html")
    with django_capture_on_commit_callbacks(execute=True):
        response = inline_post(client, url, {"language": "fr", "label": "", "file": evil})
    assert response.status_code == 302
    name = video.captions.get().file.name
    assert "evil" not in name and name.endswith(".vtt")
    assert name.startswith(f"captions/{selected_question.public_id}-fr-")
    served = client.get(video.captions.get().file.url)
    assert served.status_code == 200
    assert served["Content-Type"] == "text/vtt; charset=utf-8"


def test_a_caption_file_with_any_name_is_served_as_webvtt(client, settings):
    stored = settings.MEDIA_ROOT / "captions" / "old-upload.html"
    stored.parent.mkdir(parents=True, exist_ok=True)
    stored.write_bytes(VTT + b"<script>alert(1)</script>\n")
    served = client.get("/media/captions/old-upload.html")
    assert served.status_code == 200
    assert served["Content-Type"] == "text/vtt; charset=utf-8"


def test_a_long_ffmpeg_log_shows_folded_and_only_its_end(client, staff, selected_question, clip):
    video = attach(selected_question, clip)
    log = "\n".join(f"frame={number} ligne {number}" for number in range(1, 3001))
    AnswerVideo.objects.filter(pk=video.pk).update(
        state=VideoState.FAILED, error_reason="Le fichier est illisible.", error_log=log
    )
    page = client.get(reverse("admin:media_pipeline_answervideo_change", args=[video.pk]))
    html = page.content.decode()
    assert '<details class="hlm-technical-log">' in html
    assert "ligne 3000" in html and "ligne 2961" in html  # the end, where the cause is
    assert '<pre dir="ltr">' in html  # read left to right in Arabic too
    assert '<code dir="ltr">{' in html  # and so is what ffprobe found
    assert "ligne 2960\n" not in html and "ligne 1\n" not in html
    assert "3000" in html.split("<summary>")[1].split("</summary>")[0]  # says how long it is
