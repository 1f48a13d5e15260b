"""Speech-to-text drafts: the real PocketSphinx engine on speech espeak-ng reads for the test."""

import io
import re
import subprocess

import pytest
import webvtt
from django.utils import translation

from media_pipeline.exceptions import SpeechFailed
from media_pipeline.speech import Word
from media_pipeline.speech.cues import (
    MAX_CHARS_PER_SECOND,
    MAX_LINE_CHARS,
    layout,
    to_transcript,
    to_webvtt,
    words_to_cues,
)
from media_pipeline.speech.draft import draft_captions
from media_pipeline.speech.synthetic import make_spoken_clip
from tests.media_pipeline.conftest import make_clip

pytestmark = pytest.mark.slow

SENTENCES = [
    "The minister answered questions about the election.",
    "France will support the people of the region.",
    "Our embassy is open every morning for students.",
    "We met the president of the commission on Tuesday.",
]
PAUSE = 1.2
TOLERANCE = 0.3  # seconds: espeak-ng's own silence at both ends of a sentence


@pytest.fixture(autouse=True)
def english_reasons():
    """Reasons are matched in English; the portal speaks French by default (now translated)."""
    with translation.override("en"):
        yield


def words_of(text: str) -> list[str]:
    return re.findall(r"[a-z']+", text.lower())


@pytest.fixture(scope="module")
def spoken_clip(tmp_path_factory):
    path = tmp_path_factory.mktemp("speech") / "spoken.mp4"
    return path, make_spoken_clip(path, SENTENCES, pause=PAUSE)


@pytest.fixture(scope="module")
def draft(spoken_clip):
    path, _spoken = spoken_clip
    progress: list[float] = []
    result = draft_captions(source=path, language="en", on_progress=progress.append)
    return result, progress


def test_most_spoken_words_come_back(draft):
    result, _progress = draft
    expected = [word for sentence in SENTENCES for word in words_of(sentence)]
    heard = words_of(result.transcript)
    recalled = sum(1 for word in set(expected) if word in heard) / len(set(expected))
    assert recalled >= 0.6, result.transcript


def test_each_cue_shows_while_its_sentence_is_spoken(draft, spoken_clip):
    result, _progress = draft
    _path, spoken = spoken_clip
    assert len(result.cues) >= len(SENTENCES)
    for cue in result.cues:
        sentence = next(s for s in spoken if s.start - TOLERANCE <= cue.start <= s.end + TOLERANCE)
        # A short cue may stay on screen into the pause, never into the next sentence.
        following = [s.start for s in spoken if s.start > sentence.start]
        assert cue.end < (following[0] if following else sentence.end + 2), (cue, sentence)
        assert cue.end > cue.start


def test_every_sentence_gets_at_least_one_cue(draft, spoken_clip):
    result, _progress = draft
    _path, spoken = spoken_clip
    for sentence in spoken:
        assert any(sentence.start - TOLERANCE <= cue.start <= sentence.end for cue in result.cues)


def test_draft_is_webvtt_that_a_parser_reads_and_progress_reaches_100(draft):
    result, progress = draft
    parsed = webvtt.from_buffer(io.StringIO(result.webvtt))
    assert [caption.text.replace("\n", " ") for caption in parsed] == [
        cue.text for cue in result.cues
    ]
    assert progress == sorted(progress) and progress[-1] == 100.0
    assert result.transcript.strip() and result.engine == "pocketsphinx"


def test_a_video_without_sound_fails_with_a_reason(tmp_path):
    silent = make_clip(tmp_path / "silent.mp4", audio=False)
    with pytest.raises(SpeechFailed, match="no sound track"):
        draft_captions(source=silent, language="en", on_progress=lambda _: None)


def test_a_language_the_engine_does_not_know_fails_with_a_reason(spoken_clip):
    """Arabic has no engine of its own in SPEECH_ENGINES: the default engine (English) refuses."""
    path, _spoken = spoken_clip
    with pytest.raises(SpeechFailed, match="not available in this language"):
        draft_captions(source=path, language="ar", on_progress=lambda _: None)


def test_a_playlist_disguised_as_a_video_is_never_followed(tmp_path):
    target = tmp_path / "secret.wav"
    subprocess.run(["espeak-ng", "-w", str(target), "secret"], check=True)
    playlist = tmp_path / "answer.mp4"
    playlist.write_text(f"#EXTM3U\n#EXTINF:1,\n{target}\n#EXT-X-ENDLIST\n")
    with pytest.raises(SpeechFailed, match="could not be read"):
        draft_captions(source=playlist, language="en", on_progress=lambda _: None)


# --- Cues from words (no engine) -----------------------------------------------------------------


def timed(text: str, start: float = 0.0, seconds_per_word: float = 0.3) -> list[Word]:
    return [
        Word(start + i * seconds_per_word, start + (i + 1) * seconds_per_word - 0.05, word)
        for i, word in enumerate(text.split())
    ]


def test_cues_hold_two_lines_of_42_characters_at_most():
    words = timed(" ".join(["diplomatie"] * 40), seconds_per_word=0.6)
    cues = words_to_cues(words)
    assert len(cues) > 1
    for cue in cues:
        assert 1 <= len(cue.lines) <= 2
        assert all(len(line) <= MAX_LINE_CHARS for line in cue.lines)


def test_a_pause_or_a_sentence_end_starts_a_new_cue():
    words = timed("Merci. Bonne question") + timed("la réponse suit", start=3.0)
    assert [cue.text for cue in words_to_cues(words)] == [
        "Merci.",
        "Bonne question",
        "la réponse suit",
    ]


def test_a_short_cue_stays_long_enough_to_be_read_without_covering_the_next():
    words = timed("Bonjour à toutes et à tous", seconds_per_word=0.1) + timed("Voici", start=5.0)
    first, second = words_to_cues(words)
    assert len(first.text) / (first.end - first.start) <= MAX_CHARS_PER_SECOND
    assert first.end < second.start


def test_two_lines_break_after_punctuation_when_balanced():
    assert layout("Nous soutenons ce projet, et la France le dira à Bruxelles.") == (
        "Nous soutenons ce projet,",
        "et la France le dira à Bruxelles.",
    )


def test_webvtt_escapes_markup_and_transcript_makes_paragraphs_at_long_pauses():
    words = timed("a <b> & c.") + timed("suite", start=10.0)
    cues = words_to_cues(words)
    assert "a &lt;b&gt; &amp; c." in to_webvtt(cues)
    assert to_transcript(cues) == "A <b> & c.\n\nSuite"
