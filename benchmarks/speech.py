"""Speech-to-text cost per minute of audio: each language's engine on espeak-ng speech."""

import re
import resource
import shutil
import tempfile
from pathlib import Path

from benchmarks.report import Section
from benchmarks.transcode import measured
from media_pipeline.speech import engine_name, get_engine
from media_pipeline.speech.draft import draft_captions
from media_pipeline.speech.synthetic import VOICE, make_spoken_clip

CASES = {  # language: (espeak-ng voice, sentences)
    "en": (
        VOICE,
        [
            "The minister answered questions about the election.",
            "France will support the people of the region.",
            "Our embassy is open every morning for students.",
            "We met the president of the commission on Tuesday.",
            "The spokesperson thanked the citizens for their questions.",
            "Climate change is a priority of our foreign policy.",
        ],
    ),
    "fr": (
        "fr",
        [
            "Le ministre a répondu aux questions sur les élections.",
            "La France soutient les étudiants de la région.",
            "Les citoyens posent des questions au ministre.",
            "Le président de la commission est venu mardi.",
            "La politique étrangère de la France est une priorité.",
            "Le porte-parole a parlé du climat et de la paix.",
        ],
    ),
}
REPEATS = 4  # about a minute of speech with the pauses
PAUSE = 0.8
RECALL_TARGET = 0.6


def words_of(text: str) -> list[str]:
    return re.findall(r"[\w']+", text.lower())


def run(work_root: Path) -> Section:
    section = Section(
        title="Speech-to-text drafts",
        method=(
            "The engine each language is configured with (`SPEECH_ENGINES`, else "
            f"`SPEECH_ENGINE`): {', '.join(f'{lang}: `{engine_name(lang)}`' for lang in CASES)}. "
            "Source: an MP4 (320×240 test pattern, AAC) whose sound track is espeak-ng "
            f"(English `{VOICE}`, French `fr`) reading 6 sentences of the language {REPEATS} "
            f"times with {PAUSE} s pauses. **Draft**: "
            "`media_pipeline.speech.draft.draft_captions` as the speech job runs it (ffmpeg "
            "extracts 16 kHz mono WAV, the engine recognises words, cues and transcript are "
            "built). **Engine load**: creating the engine (model files read; for Whisper base "
            "the first load on a machine also joins the model's two packaged halves), once per "
            "worker process. CPU time counts this process and the ffmpeg it ran. Each engine "
            "runs on one core (`SPEECH_WHISPER_THREADS=1`); a `speech` worker with concurrency "
            "2 keeps both cores of this machine busy with two videos."
        ),
        headers=[
            "language",
            "run",
            "audio s",
            "wall time s",
            "CPU time s",
            "CPU s per minute of audio",
            "realtime factor (CPU)",
        ],
    )
    for language, (voice, sentences) in CASES.items():
        measure(section, work_root, language, voice, sentences)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    section.notes.append(
        f"Peak resident memory of the benchmark process (both engines loaded): {peak_mb:.0f} MB. "
        "Wall time moves with the shared machine's load; CPU time much less."
    )
    return section


def measure(
    section: Section, work_root: Path, language: str, voice: str, sentences: list[str]
) -> None:
    work = Path(tempfile.mkdtemp(prefix="speech-", dir=work_root))
    try:
        clip = work / "spoken.mp4"
        spoken = make_spoken_clip(clip, sentences * REPEATS, pause=PAUSE, voice=voice)
        audio_seconds = spoken[-1].end
        with measured() as load:
            get_engine(language)
        with measured() as cost:
            draft = draft_captions(source=clip, language=language, on_progress=lambda _: None)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    expected = set(words_of(" ".join(sentences)))
    heard = set(words_of(draft.transcript))
    recall = len(expected & heard) / len(expected)
    per_minute = 60 * cost.cpu / audio_seconds
    section.rows.append(
        [language, f"engine load ({draft.engine})", "", f"{load.wall:.1f}", f"{load.cpu:.1f}"]
        + ["", ""]
    )
    section.rows.append(
        [
            language,
            "draft (extraction + recognition + cues)",
            f"{audio_seconds:.1f}",
            f"{cost.wall:.1f}",
            f"{cost.cpu:.1f}",
            f"{per_minute:.1f}",
            f"{audio_seconds / cost.cpu:.2f}×",
        ]
    )
    section.notes.append(
        f"{language} ({draft.engine}): word recall (distinct words of the script found in the "
        f"transcript) {recall:.0%}; {len(draft.cues)} cues. On 2 cores, two worker processes "
        f"draft about {2 * 60 / per_minute:.1f} minutes of audio per minute of CPU-bound work, "
        f"i.e. a 10-minute answer costs about {10 * per_minute / 60:.1f} CPU-minutes."
    )
    section.check(f"{language}: word recall ≥ {RECALL_TARGET:.0%}", recall >= RECALL_TARGET)
    section.check(
        f"{language}: faster than real time on one core (CPU time)", cost.cpu < audio_seconds
    )
