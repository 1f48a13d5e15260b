"""An event's recording after the tour day: its chapters, one per question answered on stage,
pre-filled from the live console's marks, adjusted by staff, then published (each question
becomes answered and its people are told)."""

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.page_cache import site_changed
from media_pipeline import chapters
from media_pipeline.exceptions import PublishRefused
from media_pipeline.models import AnswerVideo, RecordingChapter
from questions.live.selectors import stage_marks
from questions.models import Question, QuestionState
from questions.services import mark_question_answered
from questions.workflow import PUBLIC_STATES


def prefill_chapters(recording: AnswerVideo) -> list[RecordingChapter]:
    """Create the chapters the recording lacks from the console's marks (staff's adjusted ones
    are kept). Needs the recording's duration; the camera is taken to have started with the
    event unless staff said when it did."""
    event = recording.event
    if event is None or not recording.duration_seconds:
        raise PublishRefused(_("Only a processed event recording has chapters."))
    started = recording.recording_started_at or event.starts_at
    drafts = chapters.prefill_chapters(
        stage_marks(event), recording_started_at=started, duration=recording.duration_seconds
    )
    by_key = dict(
        Question.objects.filter(public_id__in=[d.key for d in drafts]).values_list(
            "public_id", "pk"
        )
    )
    with transaction.atomic():
        taken = set(
            RecordingChapter.objects.filter(question_id__in=by_key.values()).values_list(
                "question_id", flat=True
            )
        )
        RecordingChapter.objects.bulk_create(
            RecordingChapter(
                recording=recording,
                question_id=by_key[draft.key],
                start_seconds=draft.start,
                end_seconds=draft.end,
            )
            for draft in drafts
            if by_key[draft.key] not in taken
        )
    return list(recording.chapters.select_related("question"))


def set_chapter_times(*, chapter: RecordingChapter, start: float, end: float) -> RecordingChapter:
    """Staff's adjustment: the chapter stays inside the recording and is not empty."""
    duration = chapter.recording.duration_seconds or 0
    if not 0 <= start < end <= duration:
        raise PublishRefused(
            _("A chapter starts before it ends, inside the recording (0 to %(duration)d s).")
            % {"duration": duration}
        )
    chapter.start_seconds, chapter.end_seconds = start, end
    chapter.save(update_fields=["start_seconds", "end_seconds"])
    if chapter.published_at:
        site_changed()  # its question's page, the event page and the chapters file (on commit)
    return chapter


def publish_chapters(*, recording: AnswerVideo, actor: AbstractBaseUser | None) -> list[Question]:
    """Publish the recording's chapters: each question answered on stage becomes answered
    (its author and supporters are told, after commit). The recording must be published."""
    if not recording.is_public:
        raise PublishRefused(_("Publish the recording before its chapters."))
    answered = []
    with transaction.atomic():
        pending = (
            RecordingChapter.objects.select_for_update()
            .filter(recording=recording, published_at__isnull=True)
            .select_related("question")
        )
        now = timezone.now()
        for chapter in pending:
            if chapter.question.state == QuestionState.ON_STAGE:
                answered.append(mark_question_answered(question=chapter.question, actor=actor))
            chapter.published_at = now
            chapter.save(update_fields=["published_at"])
        site_changed()  # the question pages, the event page, feeds: once this commits
    return answered


def webvtt(recording: AnswerVideo) -> str:
    """The recording's published chapters of public questions as a WebVTT chapters track."""
    return chapters.chapters_webvtt(
        chapters.Chapter(
            start=c.start_seconds,
            end=c.end_seconds,
            title=c.question.title,
            key=c.question.public_id,
        )
        for c in recording.chapters.filter(
            published_at__isnull=False, question__state__in=PUBLIC_STATES
        ).select_related("question")
    )
