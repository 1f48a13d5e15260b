"""Chapters of an event's recording (the tour day): one per question answered on stage, as a
WebVTT chapters track (`<track kind="chapters">`). Pure: no ORM, no storage.

Staff mark where each answer starts and ends in the recording; the marks are pre-filled from the
times the live console's "now answering" and "answered on stage" were pressed, shifted by the
time the recording started.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Chapter:
    start: float  # seconds from the start of the recording
    end: float
    title: str
    key: str = ""  # what the chapter is about (a question's public id)


def timestamp(seconds: float) -> str:
    """WebVTT's hh:mm:ss.ttt."""
    millis = round(max(seconds, 0) * 1000)
    hours, millis = divmod(millis, 3_600_000)
    minutes, millis = divmod(millis, 60_000)
    secs, millis = divmod(millis, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}.{millis:03d}"


def _cue_text(title: str) -> str:
    # One line, and nothing a cue's payload may not contain ("-->", markup).
    text = " ".join(title.split()).replace("-->", "→")
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def chapters_webvtt(chapters: Iterable[Chapter]) -> str:
    """The WebVTT chapters file: cues in chronological order, identified by their key."""
    lines = ["WEBVTT", ""]
    for number, chapter in enumerate(sorted(chapters, key=lambda c: c.start), start=1):
        lines += [
            chapter.key or f"chapter-{number}",
            f"{timestamp(chapter.start)} --> {timestamp(chapter.end)}",
            _cue_text(chapter.title),
            "",
        ]
    return "\n".join(lines)


def prefill_chapters(
    marks: Iterable[tuple[str, str, datetime, datetime | None]],
    *,
    recording_started_at: datetime,
    duration: float,
) -> list[Chapter]:
    """Chapters from (key, title, pressed "now answering", pressed "answered on stage") marks:
    relative to the recording's start, inside it, in order, never overlapping (an answer ends
    at the latest when the next one starts; one never ended runs to the next or to the end)."""
    timed = sorted(
        (
            (started - recording_started_at).total_seconds(),
            (ended - recording_started_at).total_seconds() if ended else None,
            key,
            title,
        )
        for key, title, started, ended in marks
    )
    chapters = []
    for index, (start, end, key, title) in enumerate(timed):
        following = timed[index + 1][0] if index + 1 < len(timed) else duration
        start = min(max(start, 0.0), duration)
        end = min(end if end is not None else following, following, duration)
        if end > start:
            chapters.append(Chapter(start=start, end=end, title=title, key=key))
    return chapters


def start_param(seconds: float) -> str:
    """A start time as the player's `t=` reads it: seconds, at most to the millisecond, never
    past the given moment (754.25 → "754.25", 754.0 → "754")."""
    text = f"{int(max(seconds, 0) * 1000) / 1000:.3f}"
    return text.rstrip("0").rstrip(".")
