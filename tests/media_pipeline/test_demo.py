import pytest
from django.core.files.storage import storages
from django.core.management import call_command

from media_pipeline.demo import DEMO_PUBLIC_ID
from media_pipeline.models import AnswerVideo, VideoState
from media_pipeline.storage_ops import list_tree
from questions.models import OutboundEmail

pytestmark = [pytest.mark.slow, pytest.mark.django_db]


def test_seed_demo_publishes_a_generated_answer_through_the_real_pipeline(monkeypatch):
    monkeypatch.setenv("DEMO_ADMIN_PASSWORD", "demo-password-for-tests")
    call_command("seed_demo", verbosity=0)
    call_command("seed_demo", verbosity=0)

    video = AnswerVideo.objects.select_related("question").get(question__public_id=DEMO_PUBLIC_ID)
    assert video.state == VideoState.PUBLISHED
    assert video.question.state == "answered"
    assert round(video.duration_seconds) == 10
    assert list(video.renditions.values_list("name", flat=True)) == ["360p", "240p"]
    assert video.captions.filter(language="fr").exists() and video.transcript
    versions = {
        name.split("/")[2]
        for name in list_tree(storages["default"], f"answers/{DEMO_PUBLIC_ID}")
        if "/captions" not in name
    }
    assert versions == {video.output_version}
    assert OutboundEmail.objects.filter(kind="question_answered").count() == 1
