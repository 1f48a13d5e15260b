"""Captions stored before cues had rows get them from their files (search and editor)."""

import io

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command

from media_pipeline.models import AnswerVideo, Caption, VideoState

pytestmark = pytest.mark.django_db

VTT = b"WEBVTT\n\n00:01.000 --> 00:02.500\nLes ambassades &amp; consulats.\n"


def test_old_caption_files_get_their_cues_once(selected_question):
    video = AnswerVideo.objects.create(question=selected_question, state=VideoState.READY)
    old = Caption(video=video, language="fr")
    old.file.save("old.vtt", ContentFile(VTT))
    broken = Caption(video=video, language="en")
    broken.file.save("broken.vtt", ContentFile(b"not captions"))
    out, err = io.StringIO(), io.StringIO()
    call_command("index_caption_cues", stdout=out, stderr=err)
    assert list(old.cues.values_list("start", "end", "text")) == [
        (1.0, 2.5, "Les ambassades & consulats.")
    ]
    assert "1 caption file(s) indexed, 1 failed" in out.getvalue()
    assert f"caption {broken.pk}" in err.getvalue()
    call_command("index_caption_cues", stdout=io.StringIO(), stderr=io.StringIO())
    assert old.cues.count() == 1  # not twice
