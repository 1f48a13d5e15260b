"""Transcoding a 60 s 1080p clip: the pipeline, its bare command, one ffmpeg per rendition."""

import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.core.files import File

from benchmarks.report import Section
from media_pipeline import services
from media_pipeline.models import AnswerVideo, VideoState
from media_pipeline.probe import ProbeFacts, probe_file
from media_pipeline.transcode import (
    AUDIO_BITRATE,
    MP4_MAX_HEIGHT,
    Rung,
    build_command,
    gop_frames,
    ladder_for,
)
from questions.models import Question, QuestionState

CLIP_SECONDS = 60
BARE_TARGET = 1.05
PER_RENDITION_TARGET = 0.85


def make_clip(path: Path) -> None:
    """A camera-like source: 1080p30 H.264 (moving test pattern) with stereo AAC."""
    subprocess.run(
        [
            settings.FFMPEG_BINARY,
            "-hide_banner",
            "-loglevel",
            "error",
            "-y",
            "-f",
            "lavfi",
            "-i",
            f"testsrc2=size=1920x1080:rate=30:duration={CLIP_SECONDS}",
            "-f",
            "lavfi",
            "-i",
            f"sine=frequency=440:sample_rate=48000:duration={CLIP_SECONDS}",
            "-c:v",
            "libx264",
            "-preset",
            "ultrafast",
            "-b:v",
            "8M",
            "-pix_fmt",
            "yuv420p",
            "-c:a",
            "aac",
            "-ac",
            "2",
            "-shortest",
            str(path),
        ],
        check=True,
    )


def timed(command: list[str]) -> float:
    started = time.monotonic()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.monotonic() - started


def encoder_args(facts: ProbeFacts, rung: Rung) -> list[str]:
    gop = str(gop_frames(facts.fps))
    return [
        "-vf",
        f"scale={rung.width}:{rung.height}",
        "-c:v",
        "libx264",
        "-preset",
        settings.MEDIA_X264_PRESET,
        "-profile:v",
        "high",
        "-pix_fmt",
        "yuv420p",
        "-g",
        gop,
        "-keyint_min",
        gop,
        "-sc_threshold",
        "0",
        "-b:v",
        str(rung.video_bitrate),
        "-maxrate",
        str(int(rung.video_bitrate * 1.2)),
        "-bufsize",
        str(rung.video_bitrate * 2),
        "-c:a",
        "aac",
        "-ac",
        "2",
        "-ar",
        "48000",
        "-b:a",
        str(AUDIO_BITRATE),
    ]


def per_rendition_commands(source: Path, folder: Path, facts: ProbeFacts) -> list[list[str]]:
    """The same outputs, one process (and one decode of the source) per output."""
    head = [settings.FFMPEG_BINARY, "-hide_banner", "-nostdin", "-y", "-i", str(source)]
    rungs = ladder_for(facts)
    commands = []
    for rung in rungs:
        (folder / rung.name).mkdir(parents=True, exist_ok=True)
        commands.append(
            head
            + encoder_args(facts, rung)
            + [
                "-f",
                "hls",
                "-hls_time",
                str(settings.MEDIA_HLS_SEGMENT_SECONDS),
                "-hls_playlist_type",
                "vod",
                "-hls_segment_type",
                "fmp4",
                "-hls_segment_filename",
                str(folder / rung.name / "segment-%05d.m4s"),
                str(folder / rung.name / "index.m3u8"),
            ]
        )
    mp4_rung = next((rung for rung in rungs if rung.height <= MP4_MAX_HEIGHT), rungs[-1])
    commands.append(
        head + encoder_args(facts, mp4_rung) + ["-movflags", "+faststart", str(folder / "v.mp4")]
    )
    commands.append(head + ["-ss", "1", "-frames:v", "1", str(folder / "poster.png")])
    return commands


def selected_question() -> Question:
    question = Question.objects.filter(state=QuestionState.SELECTED).order_by("pk").first()
    if question is None:
        raise RuntimeError("the benchmark data has no selected question")
    return question


def run_pipeline(source: Path) -> float:
    """What a worker does for an upload: probe, transcode, posters, store outputs, mark ready."""
    question = selected_question()
    with open(source, "rb") as handle:
        video = services.attach_source(question=question, file=File(handle), actor=None)
    started = time.monotonic()
    processed = services.process_video(video_id=video.pk)
    elapsed = time.monotonic() - started
    video.refresh_from_db()
    if processed is None or video.state != VideoState.READY:
        raise RuntimeError(f"the pipeline did not finish: {video.state} {video.error_reason}")
    AnswerVideo.objects.filter(pk=video.pk).delete()
    return elapsed


def run(work_root: Path) -> Section:
    section = Section(
        title=f"Transcoding a {CLIP_SECONDS} s 1080p clip",
        method=(
            f"Source: {CLIP_SECONDS} s of 1920×1080 30 fps H.264 test pattern (8 Mb/s) with AAC "
            "stereo. **Pipeline**: `media_pipeline.services.process_video` as the Celery task "
            "runs it (copy the source out of storage, ffprobe, one ffmpeg process for the HLS "
            "ladder + MP4 + poster frame with progress reading, posters, outputs stored, database "
            "updated). **Bare command**: the pipeline's own ffmpeg command line run alone. **One "
            "process per rendition**: the same ladder, MP4 and poster as separate ffmpeg runs "
            "one after the other, each decoding the source. x264 preset "
            f"`{settings.MEDIA_X264_PRESET}`, ladder heights {settings.MEDIA_LADDER_HEIGHTS}."
        ),
        headers=["run", "wall time s", "realtime factor"],
    )
    work = Path(tempfile.mkdtemp(prefix="transcode-", dir=work_root))
    try:
        source = work / "source.mp4"
        make_clip(source)
        facts = probe_file(source)

        bare_folder = work / "bare"
        rungs = ladder_for(facts)
        for rung in rungs:
            (bare_folder / rung.name).mkdir(parents=True, exist_ok=True)
        bare = timed(build_command(source, bare_folder, facts, rungs))

        pipeline = run_pipeline(source)

        separate_folder = work / "separate"
        separate_folder.mkdir()
        separate = sum(
            timed(command) for command in per_rendition_commands(source, separate_folder, facts)
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)

    for name, seconds in (
        ("pipeline (process_video)", pipeline),
        ("bare ffmpeg command (same ladder, one process)", bare),
        (f"one ffmpeg per output ({len(rungs)} renditions + MP4 + poster)", separate),
    ):
        section.rows.append([name, f"{seconds:.1f}", f"{CLIP_SECONDS / seconds:.2f}×"])
    section.notes.append(
        f"Pipeline / bare command = {pipeline / bare:.2f}; pipeline / one process per output = "
        f"{pipeline / separate:.2f}. Realtime factor = clip duration ÷ wall time "
        "(above 1 is faster than real time)."
    )
    section.check(f"pipeline ≤ {BARE_TARGET}× the bare command", pipeline <= bare * BARE_TARGET)
    section.check(
        f"pipeline ≤ {PER_RENDITION_TARGET}× one process per rendition",
        pipeline <= separate * PER_RENDITION_TARGET,
    )
    return section
