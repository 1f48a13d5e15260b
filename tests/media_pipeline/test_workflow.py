"""The video workflow table answers the services, the staff page and the admin alike."""

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from media_pipeline import selectors, workflow
from media_pipeline.exceptions import PublishRefused, RetryRefused, UploadConflict
from media_pipeline.models import AnswerVideo, Caption, VideoState
from portal.roles import SPOKESPERSON_STAFF
from questions.models import QuestionState
from tests.factories import QuestionFactory, UserFactory
from tests.media_pipeline.conftest import attach

pytestmark = pytest.mark.django_db

S = VideoState


def video_in(state: str) -> AnswerVideo:
    return AnswerVideo(state=state)


def publishable(question) -> AnswerVideo:
    """A ready video with reviewed French captions and a transcript: the publish guard passes."""
    video = AnswerVideo.objects.create(question=question, state=S.READY, transcript="Bonjour.")
    Caption.objects.create(video=video, language="fr", file="c.vtt", reviewed_at=timezone.now())
    return video


@pytest.mark.parametrize(
    ("action", "allowed"),
    [
        (workflow.UPLOAD, {S.UPLOADING, S.UPLOADED, S.PROCESSING, S.READY, S.FAILED}),
        (workflow.PROCESS, {S.UPLOADED}),
        (workflow.FINISH, {S.PROCESSING}),
        (workflow.FAIL, {S.UPLOADED, S.PROCESSING}),
        (workflow.RELEASE, {S.PROCESSING}),
        (workflow.RETRY, {S.FAILED}),
        (workflow.PUBLISH, {S.READY}),
    ],
)
def test_each_action_is_allowed_from_its_states_only(action, allowed):
    assert {state for state in S.values if action.allows(video_in(state))} == allowed


def test_a_question_receives_an_answer_video_while_its_own_workflow_lets_it_be_answered():
    # Selected for a video answer, or answered on stage on a tour day (the video comes after).
    accepting = {QuestionState.SELECTED, QuestionState.ON_STAGE}
    for state in QuestionState.values:
        question = QuestionFactory(state=state)
        assert workflow.question_accepts_answer(question) == (state in accepting)
        if state not in accepting:
            with pytest.raises(UploadConflict):
                workflow.check_question_accepts_answer(question)
    assert {q.state for q in selectors.questions_awaiting_video()} == accepting


def test_a_refused_action_raises_its_domain_error_with_the_clearest_reason(settings):
    settings.LANGUAGE_CODE = "en"
    with pytest.raises(PublishRefused, match="already published"):
        workflow.PUBLISH.apply(video_in(S.PUBLISHED))
    with pytest.raises(PublishRefused, match="ready"):
        workflow.PUBLISH.apply(video_in(S.FAILED))
    with pytest.raises(RetryRefused):
        workflow.RETRY.apply(video_in(S.READY))
    with pytest.raises(UploadConflict, match="already published"):
        workflow.UPLOAD.apply(video_in(S.PUBLISHED))
    assert workflow.UPLOAD.allows(None)  # a question without a video may receive one


def test_applying_an_action_moves_the_state_and_stamps_its_time(selected_question):
    video = publishable(selected_question)
    workflow.PUBLISH.apply(video)
    assert video.state == S.PUBLISHED and video.published_at is not None


def test_buttons_need_the_state_and_the_permission(selected_question):
    staff = UserFactory(groups=[SPOKESPERSON_STAFF])
    ready, failed = publishable(selected_question), video_in(S.FAILED)
    assert workflow.controls(ready, staff).can_publish
    assert not workflow.controls(failed, staff).can_publish
    assert workflow.controls(failed, staff).can_retry and workflow.controls(failed).failed
    assert workflow.controls(video_in(S.PROCESSING)).busy
    assert workflow.controls(None, staff, question=selected_question).can_upload
    published = video_in(S.PUBLISHED)
    assert not workflow.controls(published, staff, question=selected_question).can_upload
    # The group grants publication; a user outside it with only the change permission does not.
    change_only = UserFactory()
    change_only.user_permissions.add(Permission.objects.get(codename="change_answervideo"))
    assert workflow.controls(failed, change_only).can_retry
    assert not workflow.controls(ready, change_only).can_publish


def test_the_staff_page_hides_publication_from_staff_who_may_not_publish(
    client, selected_question, clip
):
    user = UserFactory()
    user.user_permissions.add(Permission.objects.get(codename="change_answervideo"))
    client.force_login(user)
    video = attach(selected_question, clip)
    AnswerVideo.objects.filter(pk=video.pk).update(state=S.READY)
    html = client.get(reverse("media_pipeline:staff")).content.decode()
    assert f'id="video-state-{video.pk}"' in html and "fr-badge--info" in html
    assert f'id="video-publish-{video.pk}"' not in html
    assert f'id="upload-{selected_question.public_id}"' in html  # replacing is still allowed


def test_the_admin_of_a_published_video_offers_no_upload_and_refuses_one(
    client, selected_question, clip
):
    client.force_login(UserFactory(groups=[SPOKESPERSON_STAFF]))
    video = attach(selected_question, clip)
    AnswerVideo.objects.filter(pk=video.pk).update(state=S.PUBLISHED, hls_master="x.m3u8")
    change_url = reverse("admin:media_pipeline_answervideo_change", args=[video.pk])
    page = client.get(change_url).content.decode()
    assert 'name="upload"' not in page
    assert reverse("admin:media_pipeline_answervideo_publish", args=[video.pk]) not in page
    with open(clip, "rb") as handle:
        response = client.post(
            change_url,
            {
                "upload": SimpleUploadedFile("again.mp4", handle.read(), "video/mp4"),
                "transcript": "",
                "language": "fr",
                "renditions-TOTAL_FORMS": 0,
                "renditions-INITIAL_FORMS": 0,
                "captions-TOTAL_FORMS": 0,
                "captions-INITIAL_FORMS": 0,
            },
        )
    assert response.status_code == 200  # the form says why, nothing changes
    video.refresh_from_db()
    assert video.state == S.PUBLISHED
