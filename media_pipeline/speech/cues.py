"""Timed words into caption cues (WebVTT) and a transcript in paragraphs.

Cues follow common subtitling rules (BBC, Netflix, DCMP guides): at most two lines of 42
characters, a reading speed of about 17 characters per second, a new cue at a pause or at the end
of a sentence, and never longer than 7 seconds on screen.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass

from media_pipeline.speech import Word

MAX_LINE_CHARS = 42
MAX_LINES = 2
MAX_CHARS_PER_SECOND = 17.0
MAX_CUE_SECONDS = 7.0
MIN_CUE_SECONDS = 1.0
PAUSE_SECONDS = 0.6  # a silence this long starts a new cue
PARAGRAPH_PAUSE_SECONDS = 1.5  # ... and this long a new paragraph of the transcript
PARAGRAPH_MAX_CHARS = 600
CUE_GAP_SECONDS = 0.04  # between a cue's extended end and the next cue's start
MAX_EXTENSION_SECONDS = 1.5  # a short cue stays on screen after its last word at most this long
SENTENCE_ENDS = (".", "?", "!", "…")
CLAUSE_ENDS = (",", ";", ":")


@dataclass(frozen=True)
class Cue:
    start: float
    end: float
    lines: tuple[str, ...]

    @property
    def text(self) -> str:
        return " ".join(self.lines)


def layout(text: str) -> tuple[str, ...] | None:
    """The text on one line, or two balanced lines (preferring a break after punctuation)."""
    if len(text) <= MAX_LINE_CHARS:
        return (text,)
    best: tuple[tuple[int, int], tuple[str, str]] | None = None
    for index, char in enumerate(text):
        if char != " ":
            continue
        first, second = text[:index], text[index + 1 :]
        if len(first) > MAX_LINE_CHARS or len(second) > MAX_LINE_CHARS:
            continue
        after_punctuation = first.endswith(SENTENCE_ENDS + CLAUSE_ENDS)
        score = (max(len(first), len(second)) - (8 if after_punctuation else 0), len(first))
        if best is None or score < best[0]:
            best = (score, (first, second))
    return best[1] if best else None


def joined(words: Sequence[Word]) -> str:
    return " ".join(word.text.strip() for word in words if word.text.strip())


def starts_new_cue(current: Sequence[Word], word: Word) -> bool:
    previous = current[-1].text.strip()
    so_far = joined(current)
    return (
        word.start - current[-1].end >= PAUSE_SECONDS
        or previous.endswith(SENTENCE_ENDS)
        or (previous.endswith(CLAUSE_ENDS) and len(so_far) >= MAX_LINE_CHARS)
        or word.end - current[0].start > MAX_CUE_SECONDS
        or layout(joined([*current, word])) is None
    )


def group_words(words: Sequence[Word]) -> list[list[Word]]:
    groups: list[list[Word]] = []
    for word in sorted((w for w in words if w.text.strip()), key=lambda w: w.start):
        if groups and not starts_new_cue(groups[-1], word):
            groups[-1].append(word)
        else:
            groups.append([word])
    return groups


def words_to_cues(words: Sequence[Word]) -> list[Cue]:
    """Cues timed on their words, each kept on screen long enough to be read when the next
    cue leaves room."""
    groups = group_words(words)
    cues = []
    for index, group in enumerate(groups):
        text = joined(group)
        start, end = group[0].start, group[-1].end
        wanted = start + max(MIN_CUE_SECONDS, len(text) / MAX_CHARS_PER_SECOND)
        limit = end + MAX_EXTENSION_SECONDS
        if index + 1 < len(groups):
            limit = min(limit, groups[index + 1][0].start - CUE_GAP_SECONDS)
        end = max(end, min(wanted, limit))
        # Rounded outwards to the millisecond: rounding must not shorten the reading time.
        cues.append(
            Cue(
                start=math.floor(start * 1000) / 1000,
                end=math.ceil(end * 1000) / 1000,
                lines=layout(text) or (text,),
            )
        )
    return cues


def timestamp(seconds: float) -> str:
    millis = max(0, round(seconds * 1000))
    hours, millis = divmod(millis, 3_600_000)
    minutes, millis = divmod(millis, 60_000)
    secs, millis = divmod(millis, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}.{millis:03d}"


def escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def to_webvtt(cues: Sequence[Cue]) -> str:
    blocks = ["WEBVTT"]
    for cue in cues:
        lines = "\n".join(escape(line) for line in cue.lines)
        blocks.append(f"{timestamp(cue.start)} --> {timestamp(cue.end)}\n{lines}")
    return "\n\n".join(blocks) + "\n"


def to_transcript(cues: Sequence[Cue]) -> str:
    """Paragraphs separated by a blank line: a long pause, or a long paragraph's sentence end."""
    paragraphs: list[list[str]] = []
    previous_end = None
    for cue in cues:
        current = paragraphs[-1] if paragraphs else None
        long_pause = (
            previous_end is not None and cue.start - previous_end >= PARAGRAPH_PAUSE_SECONDS
        )
        long_enough = current is not None and (
            sum(len(text) + 1 for text in current) >= PARAGRAPH_MAX_CHARS
            and current[-1].endswith(SENTENCE_ENDS)
        )
        if current is None or long_pause or long_enough:
            paragraphs.append([])
        paragraphs[-1].append(cue.text)
        previous_end = cue.end
    return "\n\n".join(capitalised(" ".join(texts)) for texts in paragraphs)


def capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]
