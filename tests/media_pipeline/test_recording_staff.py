"""The staff half of an event's recording: uploaded through the same resumable endpoint as answers
(metadata `event`), then its chapters placed on the staff page's timeline and published; the
admin shows which event a recording belongs to, and its chapters."""

from datetime import timedelta

import pytest
from django.core.files.storage import storages
from django.urls import reverse
from django.utils import timezone, translation

from media_pipeline.models import AnswerVideo, RecordingChapter, UploadSession, VideoState
from media_pipeline.recording_views import parse_clock
from media_pipeline.services import recordings
from portal.roles import MODERATORS, SPOKESPERSON_STAFF
from questions.live import services as live
from questions.models import Question
from questions.models import QuestionState as S
from tests.factories import EventFactory, QuestionFactory, UserFactory
from tests.media_pipeline.test_tus import head, metadata, patch

pytestmark = pytest.mark.django_db


def started_event(**fields):
    """An event that began two hours ago: its recording may be uploaded."""
    starts = timezone.now() - timedelta(hours=2)
    return EventFactory(starts_at=starts, ends_at=starts + timedelta(hours=1), **fields)


def create_recording_upload(client, event, length, filetype="video/mp4", **extra):
    return client.post(
        reverse("media_pipeline:upload_create"),
        headers={
            "Tus-Resumable": "1.0.0",
            "Upload-Length": str(length),
            "Upload-Metadata": metadata(
                event=event.slug, filename="captation.mp4", filetype=filetype, **extra
            ),
        },
    )


def on_stage(event, minutes_in: float, minutes_long: float, **fields) -> Question:
    moderator = UserFactory(is_superuser=True)
    question = QuestionFactory(event=event, **fields)
    question = live.start_answering(question=question, actor=moderator)
    question = live.answer_on_stage(question=question, actor=moderator)
    started = event.starts_at + timedelta(minutes=minutes_in)
    Question.objects.filter(pk=question.pk).update(
        stage_started_at=started, stage_ended_at=started + timedelta(minutes=minutes_long)
    )
    return question


def processed_recording(event, *, state=VideoState.READY, minutes=60) -> AnswerVideo:
    recording = AnswerVideo.objects.create(
        event=event,
        state=state,
        duration_seconds=minutes * 60,
        hls_master=f"recordings/{event.slug}/v1/master.m3u8",
        mp4=f"recordings/{event.slug}/v1/video.mp4",
    )
    recordings.prefill_chapters(recording)
    return recording


def test_an_event_recording_is_uploaded_through_the_same_resumable_endpoint(
    client, staff, clip, django_capture_on_commit_callbacks
):
    event = started_event()
    data = clip.read_bytes()
    created = create_recording_upload(client, event, len(data))
    assert created.status_code == 201
    url = created["Location"]
    session = UploadSession.objects.get()
    assert session.event == event and session.question is None
    half = len(data) // 2
    assert patch(client, url, 0, data[:half]).status_code == 204
    assert head(client, url)["Upload-Offset"] == str(half)
    with django_capture_on_commit_callbacks() as callbacks:
        done = patch(client, url, half, data[half:])
    assert done.status_code == 204 and len(callbacks) == 1  # processing queued once
    recording = AnswerVideo.objects.get(event=event)
    assert recording.question is None and recording.state == VideoState.UPLOADED
    assert recording.uploaded_by == staff
    assert recording.source.name.startswith(f"sources/events/{event.pk}/")
    with storages["private"].open(recording.source.name) as stored:
        assert stored.read() == data
    assert done["Hlm-Video-Status"] == reverse("media_pipeline:video_status", args=[recording.pk])


def test_a_recording_upload_is_refused_with_the_same_limits_and_a_reason(client, staff, settings):
    settings.MEDIA_MAX_UPLOAD_BYTES = 1000
    event = started_event()
    with translation.override("en"):
        assert create_recording_upload(client, event, 1001).status_code == 413
        assert create_recording_upload(client, event, 10, "text/plain").status_code == 415
        future = EventFactory()  # in a week: nothing recorded yet
        early = create_recording_upload(client, future, 10)
        assert early.status_code == 409
        assert "once the event has started" in early.content.decode()
        draft = started_event(is_published=False)
        assert create_recording_upload(client, draft, 10).status_code == 409
        unknown = client.post(
            reverse("media_pipeline:upload_create"),
            headers={"Tus-Resumable": "1.0.0", "Upload-Length": "10", **_meta(event="nope")},
        )
        assert unknown.status_code == 404
        question = QuestionFactory(state=S.SELECTED, event=event)
        both = create_recording_upload(client, event, 10, question=question.public_id)
        assert both.status_code == 400
    AnswerVideo.objects.create(
        event=event, state=VideoState.PUBLISHED, hls_master="recordings/x/master.m3u8"
    )
    assert create_recording_upload(client, event, 10).status_code == 409  # published: final
    assert not UploadSession.objects.exists()


def _meta(**values):
    return {"Upload-Metadata": metadata(**values)}


def test_only_the_spokesperson_staff_may_upload_a_recording(client):
    event = started_event()
    client.force_login(UserFactory(groups=[MODERATORS]))
    assert create_recording_upload(client, event, 10).status_code == 403
    client.logout()
    assert create_recording_upload(client, event, 10).status_code == 403
    assert not UploadSession.objects.exists()


def test_the_recording_page_is_for_the_spokesperson_staff_only(client):
    event = started_event()
    url = reverse("media_pipeline:staff_recording", args=[event.slug])
    response = client.get(url)
    assert response.status_code == 302 and "login" in response["Location"]
    client.force_login(UserFactory())  # a citizen's account
    assert client.get(url).status_code == 403
    client.force_login(UserFactory(groups=[MODERATORS]))
    assert client.get(url).status_code == 403
    for name in ("recording_chapters", "recording_prefill", "recording_publish_chapters"):
        assert client.post(reverse(f"media_pipeline:{name}", args=[event.slug])).status_code == 403
    client.force_login(UserFactory(groups=[SPOKESPERSON_STAFF]))
    page = client.get(url).content.decode()
    assert f'data-event="{event.slug}"' in page  # the upload widget, for this event
    assert "Pas encore de captation." in page  # "No recording yet."


def test_the_recording_page_lists_the_chapters_in_a_constant_number_of_queries(
    client, staff, django_assert_max_num_queries
):
    event = started_event()
    on_stage(event, 5, 10, title="Quelle place pour la francophonie ?")
    recording = processed_recording(event)
    url = reverse("media_pipeline:staff_recording", args=[event.slug])
    with django_assert_max_num_queries(9) as one:
        client.get(url)
    for minutes in (20, 30, 40):
        on_stage(event, minutes, 5)
    recordings.prefill_chapters(recording)
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = client.get(url)
    html = response.content.decode()
    assert html.count('class="hlm-chapter"') == 4
    assert "Quelle place pour la francophonie ?" in html
    assert 'value="5:00.0"' in html and 'value="15:00.0"' in html  # pre-filled from the marks
    assert 'id="recording-player"' in html and "video.mp4" in html
    assert 'id="chapters-publish"' in html and "disabled" in html  # recording not public yet


def test_staff_save_the_chapters_times_typed_or_set_from_the_playhead(client, staff):
    event = started_event()
    on_stage(event, 5, 10)
    on_stage(event, 20, 8)
    recording = processed_recording(event)
    first, second = recording.chapters.order_by("start_seconds")
    url = reverse("media_pipeline:recording_chapters", args=[event.slug])
    response = client.post(
        url,
        {
            f"start-{first.pk}": "4:55.5",
            f"end-{first.pk}": "915",
            f"start-{second.pk}": "0:20:00.0",
            f"end-{second.pk}": "28:00,0",
        },
        follow=True,
    )
    assert response.redirect_chain[-1][0].endswith("#chapters")
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.start_seconds, first.end_seconds) == (295.5, 915)
    assert (second.start_seconds, second.end_seconds) == (1200, 1680)
    assert 'value="4:55.5"' in response.content.decode()

    # One chapter wrong (past the end of the hour-long recording): nothing is saved, and why.
    with translation.override("en"):
        refused = client.post(
            url,
            {
                f"start-{first.pk}": "1:00",
                f"end-{first.pk}": "2:00",
                f"start-{second.pk}": "20:00",
                f"end-{second.pk}": "61:00",
            },
            follow=True,
            headers={"Accept-Language": "en"},
        )
    first.refresh_from_db()
    assert (first.start_seconds, first.end_seconds) == (295.5, 915)
    assert "3600" in refused.content.decode()  # why: inside the recording (0 to 3600 s)
    garbled = client.post(url, {f"start-{first.pk}": "bientôt", f"end-{first.pk}": "2:00"})
    assert garbled.status_code == 302
    first.refresh_from_db()
    assert first.start_seconds == 295.5


def test_publishing_the_chapters_from_the_page_answers_the_questions(client, staff):
    event = started_event()
    first = on_stage(event, 5, 10)
    second = on_stage(event, 20, 8)
    recording = processed_recording(event)
    url = reverse("media_pipeline:recording_publish_chapters", args=[event.slug])
    client.post(url)  # the recording itself is not published yet: refused, nothing answered
    assert set(Question.objects.filter(event=event).values_list("state", flat=True)) == {S.ON_STAGE}
    AnswerVideo.objects.filter(pk=recording.pk).update(state=VideoState.PUBLISHED)
    response = client.post(url, follow=True)
    assert response.status_code == 200
    for question in (first, second):
        question.refresh_from_db()
        assert question.state == S.ANSWERED
    assert not RecordingChapter.objects.filter(published_at__isnull=True).exists()
    html = response.content.decode()
    assert html.count("fr-badge--success") >= 2
    assert 'id="chapters-published"' in html and 'id="chapters-publish"' not in html


def test_a_question_put_on_stage_after_processing_gets_its_chapter_on_demand(client, staff):
    event = started_event()
    on_stage(event, 5, 10)
    recording = processed_recording(event)
    on_stage(event, 30, 5)
    client.post(reverse("media_pipeline:recording_prefill", args=[event.slug]))
    assert recording.chapters.count() == 2


def test_the_staff_list_and_the_live_console_link_to_the_recording_page(client, staff):
    event = started_event()
    url = reverse("media_pipeline:staff_recording", args=[event.slug])
    assert url in client.get(reverse("media_pipeline:staff")).content.decode()
    staff.is_superuser = True  # moderator and staff at once: the console links to it too
    staff.save()
    assert url in client.get(reverse("live:console", args=[event.slug])).content.decode()


def test_the_admin_shows_a_recordings_event_its_kind_and_its_chapters(admin_client):
    event = started_event(title="Rencontre de Lille")
    on_stage(event, 5, 10, title="Une question posée sur scène")
    recording = processed_recording(event)
    answer = AnswerVideo.objects.create(question=QuestionFactory(state=S.SELECTED, title="Écrite"))
    changelist = reverse("admin:media_pipeline_answervideo_changelist")
    html = admin_client.get(changelist).content.decode()
    assert "Rencontre de Lille" in html and "Écrite" in html
    only_events = admin_client.get(changelist, {"kind": "event"}).content.decode()
    assert "Rencontre de Lille" in only_events and "Écrite" not in only_events
    only_answers = admin_client.get(changelist, {"kind": "question"}).content.decode()
    assert "Écrite" in only_answers and "Rencontre de Lille" not in only_answers
    change = admin_client.get(
        reverse("admin:media_pipeline_answervideo_change", args=[recording.pk])
    ).content.decode()
    assert "Rencontre de Lille" in change and "Une question posée sur scène" in change
    assert reverse("media_pipeline:staff_recording", args=[event.slug]) in change
    assert ">None<" not in change
    assert (
        admin_client.get(
            reverse("admin:media_pipeline_answervideo_change", args=[answer.pk])
        ).status_code
        == 200
    )


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("75", 75), ("75.5", 75.5), ("1:15", 75), ("1:15,5", 75.5), ("1:02:03.4", 3723.4)],
)
def test_typed_times_are_read_as_hours_minutes_seconds(text, seconds):
    assert parse_clock(text) == pytest.approx(seconds)


@pytest.mark.parametrize("text", ["", "abc", "-3", "1:2:3:4", "12:"])
def test_what_is_not_a_time_is_refused(text):
    assert parse_clock(text) is None


def test_the_caption_editor_opens_for_a_recording_and_links_back_to_it(client, staff):
    event = started_event(title="Rencontre de Rennes")
    recording = processed_recording(event)
    page = client.get(reverse("media_pipeline:caption_editor", args=[recording.pk, "fr"]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Rencontre de Rennes" in html
    assert reverse("media_pipeline:staff_recording", args=[event.slug]) in html


def test_the_spokesperson_staff_see_a_recordings_chapters_in_the_admin(client, staff):
    event = started_event()
    on_stage(event, 5, 10, title="Une question posée sur scène")
    recording = processed_recording(event)
    staff.is_staff = True  # may sign in to the admin
    staff.save()
    change = client.get(reverse("admin:media_pipeline_answervideo_change", args=[recording.pk]))
    assert change.status_code == 200
    assert "Une question posée sur scène" in change.content.decode()
