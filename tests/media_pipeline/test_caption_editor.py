"""The caption editor's page and endpoints: staff only, the stored cues in, saved cues out as a
WebVTT file the player reads, reviewed or still a draft; WebVTT and SubRip imports read by
webvtt-py; other languages start from a copy of the French cues."""

import io
import json

import pytest
import webvtt
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from media_pipeline.models import AnswerVideo, Caption, VideoState
from media_pipeline.services import captions
from tests.factories import QuestionFactory, UserFactory

pytestmark = pytest.mark.django_db

DRAFT = (
    b"WEBVTT\n\n00:00.500 --> 00:02.000\nBonjour &amp; bienvenue.\n\n"
    b"00:02.500 --> 00:04.000\nMerci.\n"
)
SRT = (
    "1\n00:00:01,000 --> 00:00:02,500\nPremière ligne\nseconde ligne\n\n"
    "2\n00:00:03,000 --> 00:00:04,000\n<i>Fin</i>\n"
)


@pytest.fixture
def video(selected_question):
    prefix = f"answers/{selected_question.public_id}/v1"
    mp4 = default_storage.save(f"{prefix}/video.mp4", io.BytesIO(b"\x00" * 100))
    video = AnswerVideo.objects.create(
        question=selected_question,
        state=VideoState.READY,
        hls_master=f"{prefix}/master.m3u8",
        mp4=mp4,
        ready_at=timezone.now(),
    )
    captions.set_caption(video=video, language="fr", content=DRAFT, automatic=True, reviewed=False)
    return video


def editor_url(video, language="fr"):
    return reverse("media_pipeline:caption_editor", args=[video.pk, language])


def editor_data(response) -> dict:
    html = response.content.decode()
    start = html.index('id="caption-editor-data" type="application/json">') + 49
    return json.loads(html[start : html.index("</script>", start)])


def test_the_editor_is_for_video_staff_only(client, video):
    response = client.get(editor_url(video))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    client.force_login(UserFactory())
    assert client.get(editor_url(video)).status_code == 403
    client.logout()
    save = reverse("media_pipeline:caption_save", args=[video.pk, "fr"])
    assert client.post(save, "{}", content_type="application/json").status_code == 403


def test_the_page_carries_the_draft_cues_with_a_constant_number_of_queries(
    client, staff, video, django_assert_max_num_queries
):
    captions.set_caption(video=video, language="ar", content=DRAFT)
    with django_assert_max_num_queries(10):
        response = client.get(editor_url(video))
    assert response.status_code == 200
    data = editor_data(response)
    assert data["stored"]["cues"] == [
        {"start": 0.5, "end": 2.0, "text": "Bonjour & bienvenue."},
        {"start": 2.5, "end": 4.0, "text": "Merci."},
    ]
    assert data["stored"]["automatic"] and not data["stored"]["reviewed"]
    assert data["maxLineChars"] == 42 and data["copyFrom"] == []
    html = response.content.decode()
    assert "Automatique, non relu" in html or "Automatic, not reviewed" in html
    assert "<script>" not in html.replace("<script src", "")  # no inline script (CSP)


def test_saving_makes_the_webvtt_file_and_keeps_a_draft_until_marked_reviewed(client, staff, video):
    url = reverse("media_pipeline:caption_save", args=[video.pk, "fr"])
    cues = [
        {"start": 0.5, "end": 2.2, "text": "Bonjour <et> bienvenue."},
        {"start": 2.5, "end": 4.0, "text": "Merci\npour la question."},
    ]
    response = client.post(url, json.dumps({"cues": cues}), content_type="application/json")
    assert response.status_code == 200 and response.json()["reviewed"] is False
    caption = Caption.objects.get(video=video, language="fr")
    assert caption.automatic and not caption.is_reviewed
    with caption.file.open("rb") as handle:
        parsed = webvtt.from_buffer(io.StringIO(handle.read().decode()))
    assert [c.text for c in parsed] == ["Bonjour &lt;et&gt; bienvenue.", "Merci\npour la question."]

    response = client.post(
        url, json.dumps({"cues": cues, "reviewed": True}), content_type="application/json"
    )
    caption.refresh_from_db()
    assert caption.is_reviewed and caption.reviewed_by == staff
    video.refresh_from_db()
    assert video.transcript == "Bonjour <et> bienvenue. Merci pour la question."


def test_a_cue_that_ends_before_it_starts_is_refused_with_a_reason(client, staff, video):
    url = reverse("media_pipeline:caption_save", args=[video.pk, "fr"])
    bad = [{"start": 3, "end": 2, "text": "Non."}]
    response = client.post(url, json.dumps({"cues": bad}), content_type="application/json")
    assert (
        response.status_code == 400
        and "after it starts" in response.json()["error"]
        or ("après" in response.json()["error"])
    )
    garbage = client.post(url, "[1, 2", content_type="application/json")
    assert garbage.status_code == 400


def test_import_reads_subrip_and_webvtt_without_storing_anything(client, staff, video):
    url = reverse("media_pipeline:caption_import", args=[video.pk, "fr"])
    srt = io.BytesIO(SRT.encode())
    srt.name = "sous-titres.srt"
    response = client.post(url, {"file": srt})
    assert response.json()["cues"] == [
        {"start": 1.0, "end": 2.5, "text": "Première ligne\nseconde ligne"},
        {"start": 3.0, "end": 4.0, "text": "Fin"},
    ]
    broken = io.BytesIO(b"not captions at all")
    broken.name = "x.vtt"
    assert client.post(url, {"file": broken}).status_code == 400
    assert Caption.objects.get(video=video).cues.count() == 2  # nothing changed


def test_another_language_starts_from_a_copy_of_the_french_cues(client, staff, video):
    data = editor_data(client.get(editor_url(video, "en")))
    assert data["stored"]["cues"] == [] and len(data["copyFrom"]) == 2
    assert client.get(editor_url(video, "xx")).status_code == 404


def test_the_staff_page_links_each_caption_to_the_editor_and_labels_drafts(client, staff, video):
    QuestionFactory()
    html = client.get(reverse("media_pipeline:staff")).content.decode()
    assert editor_url(video) in html
    assert 'data-role="draft-badge"' in html
