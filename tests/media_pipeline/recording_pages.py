"""An event's published recording with two questions answered on stage, for the public pages,
feeds, embeds and share cards that show it (stand-in files: the pages are under test here; the
browser test plays a real one)."""

from datetime import timedelta

from media_pipeline.models import AnswerVideo
from media_pipeline.services import recordings
from media_pipeline.services.staff_actions import publish_video
from questions.live import services as live
from questions.models import Question
from tests.factories import EventFactory, QuestionFactory, UserFactory
from tests.portal.answers import processed_video

TRANSCRIPT = "Bonsoir à toutes et à tous, merci d’être venus si nombreux à Rennes."


def on_stage(event, minutes_in: float, minutes_long: float, **fields) -> Question:
    """A question the live console marked "now answering" `minutes_in` into the event."""
    moderator = UserFactory(is_superuser=True)
    question = QuestionFactory(event=event, **fields)
    question = live.start_answering(question=question, actor=moderator)
    question = live.answer_on_stage(question=question, actor=moderator)
    started = event.starts_at + timedelta(minutes=minutes_in)
    Question.objects.filter(pk=question.pk).update(
        stage_started_at=started, stage_ended_at=started + timedelta(minutes=minutes_long)
    )
    question.refresh_from_db()
    return question


def processed_recording(event, *, minutes: int = 60) -> AnswerVideo:
    """The event's recording as the pipeline leaves it (ready), with French captions."""
    return processed_video(
        f"recordings/{event.slug}/v1", duration=minutes * 60, transcript=TRANSCRIPT, event=event
    )


def published_recording(event=None, *, chapters: bool = True):
    """(recording, first question, second question): answered at 5:00–15:00 and 20:00–28:00,
    the recording published and, unless `chapters=False`, its chapters too."""
    event = event or EventFactory(title="Rencontre de Rennes", slug="rennes")
    first = on_stage(event, 5, 10, title="Quelle Europe demain ?")
    second = on_stage(event, 20, 8, title="Et les étudiants étrangers ?")
    recording = publish_video(video=processed_recording(event), actor=None)
    recordings.prefill_chapters(recording)
    if chapters:
        recordings.publish_chapters(recording=recording, actor=None)
    first.refresh_from_db()
    second.refresh_from_db()
    return recording, first, second
