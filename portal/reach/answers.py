"""What an answered question plays: its own answer video, or its moment in its event's recording
(a question answered on stage: its chapter). Feeds, oEmbed, share cards and the embed point at
that moment: links carry its start time (`#t=`, `?t=`, as the player reads them), media URLs a
W3C media fragment (`#t=start,end`)."""

from dataclasses import dataclass

from django.db.models.fields.files import FieldFile

from media_pipeline.chapters import start_param
from media_pipeline.models import AnswerVideo, RecordingChapter
from portal.reach import media
from questions import selectors
from questions.models import Question


@dataclass(frozen=True)
class Answer:
    video: AnswerVideo
    chapter: RecordingChapter | None = None

    @property
    def start(self) -> str:
        """The start time as `t=` reads it, "" for a whole video."""
        return start_param(self.chapter.start_seconds) if self.chapter else ""

    @property
    def duration(self) -> float | None:
        if self.chapter:
            return self.chapter.end_seconds - self.chapter.start_seconds
        return self.video.duration_seconds

    def at_moment(self, url: str) -> str:
        """A page URL that plays the answer from its moment."""
        return f"{url}#t={self.start}" if self.start else url

    def media_url(self, file: FieldFile) -> str:
        """An absolute media URL; for an excerpt, with its media fragment (start, end)."""
        url = media.file_url(file)
        if url and self.chapter:
            url += f"#t={self.start},{start_param(self.chapter.end_seconds)}"
        return url


def answer_of(question: Question) -> Answer | None:
    """The question's published answer, or None (no query when the question was selected with
    `answer_video` and `recording_chapter__recording`)."""
    video = selectors.published_answer_video(question)
    if video is not None:
        return Answer(video)
    chapter = selectors.published_chapter(question)
    return Answer(chapter.recording, chapter) if chapter else None
