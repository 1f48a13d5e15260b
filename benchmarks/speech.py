"""Speech-to-text cost per minute of audio: the engine of SPEECH_ENGINE on espeak-ng speech."""

import re
import resource
import shutil
import tempfile
from pathlib import Path

from django.conf import settings

from benchmarks.report import Section
from benchmarks.transcode import measured
from media_pipeline.speech import get_engine
from media_pipeline.speech.draft import draft_captions
from media_pipeline.speech.synthetic import VOICE, make_spoken_clip

SENTENCES = [
    "The minister answered questions about the election.",
    "France will support the people of the region.",
    "Our embassy is open every morning for students.",
    "We met the president of the commission on Tuesday.",
    "The spokesperson thanked the citizens for their questions.",
    "Climate change is a priority of our foreign policy.",
]
REPEATS = 4  # about a minute of speech with the pauses
PAUSE = 0.8
RECALL_TARGET = 0.6


def words_of(text: str) -> list[str]:
    return re.findall(r"[a-z']+", text.lower())


def run(work_root: Path) -> Section:
    section = Section(
        title="Speech-to-text drafts",
        method=(
            f"Engine `{settings.SPEECH_ENGINE}`. Source: an MP4 (320×240 test pattern, AAC) whose "
            f"sound track is espeak-ng (`{VOICE}`) reading {len(SENTENCES)} English sentences "
            f"{REPEATS} times with {PAUSE} s pauses. **Draft**: "
            "`media_pipeline.speech.draft.draft_captions` as the speech job runs it (ffmpeg "
            "extracts 16 kHz mono WAV, the engine recognises words, cues and transcript are "
            "built). **Engine load**: creating the engine (model files read), once per worker "
            "process. CPU time counts this process and the ffmpeg it ran. The engine runs on "
            "one core; a `speech` worker with concurrency 2 keeps both cores of this machine "
            "busy with two videos."
        ),
        headers=[
            "run",
            "audio s",
            "wall time s",
            "CPU time s",
            "CPU s per minute of audio",
            "realtime factor (CPU)",
        ],
    )
    work = Path(tempfile.mkdtemp(prefix="speech-", dir=work_root))
    try:
        clip = work / "spoken.mp4"
        spoken = make_spoken_clip(clip, SENTENCES * REPEATS, pause=PAUSE)
        audio_seconds = spoken[-1].end
        with measured() as load:
            get_engine()
        with measured() as cost:
            draft = draft_captions(source=clip, language="en", on_progress=lambda _: None)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    expected = set(words_of(" ".join(SENTENCES)))
    heard = set(words_of(draft.transcript))
    recall = len(expected & heard) / len(expected)
    section.rows.append(["engine load", "", f"{load.wall:.1f}", f"{load.cpu:.1f}", "", ""])
    section.rows.append(
        [
            "draft (extraction + recognition + cues)",
            f"{audio_seconds:.1f}",
            f"{cost.wall:.1f}",
            f"{cost.cpu:.1f}",
            f"{60 * cost.cpu / audio_seconds:.1f}",
            f"{audio_seconds / cost.cpu:.2f}×",
        ]
    )
    per_minute = 60 * cost.cpu / audio_seconds
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    section.notes.append(
        f"Word recall (distinct words of the script found in the transcript): {recall:.0%}; "
        f"{len(draft.cues)} cues. On 2 cores, two worker processes draft about "
        f"{2 * 60 / per_minute:.1f} minutes of audio per minute of CPU-bound work, i.e. a "
        f"10-minute answer costs about {10 * per_minute / 60:.1f} CPU-minutes. Peak resident "
        f"memory of the benchmark process (engine included): {peak_mb:.0f} MB. Wall time moves "
        "with the shared machine's load; CPU time much less."
    )
    section.check(f"word recall ≥ {RECALL_TARGET:.0%}", recall >= RECALL_TARGET)
    section.check("faster than real time on one core (CPU time)", cost.cpu < audio_seconds)
    return section
