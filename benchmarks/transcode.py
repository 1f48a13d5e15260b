"""Transcoding a 60 s 1080p clip: the pipeline, its bare command, one ffmpeg per rendition."""

import json
import resource
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.files import File

from benchmarks.report import Section
from media_pipeline import workflow
from media_pipeline.demo import make_test_pattern
from media_pipeline.models import AnswerVideo
from media_pipeline.probe import ProbeFacts, probe_file
from media_pipeline.services import processing, sources
from media_pipeline.transcode import (
    AUDIO_BITRATE,
    AUDIO_NAME,
    Rung,
    build_command,
    build_remux_command,
    gop_frames,
    ladder_for,
    make_folders,
    mp4_rung_of,
)
from questions.models import Question
from questions.workflow import ANSWER

CLIP_SECONDS = 60
BARE_TARGET = 1.05
PER_RENDITION_TARGET = 0.85
REALTIME_TARGET = 1.5


def make_clip(path: Path) -> None:
    """A camera-like source: 1080p30 H.264 (moving test pattern) with stereo AAC."""
    make_test_pattern(
        path,
        seconds=CLIP_SECONDS,
        size="1920x1080",
        rate=30,
        preset="ultrafast",
        video_options=("-b:v", "8M"),
        audio_options=("-ac", "2"),
    )


@dataclass
class Cost:
    wall: float = 0.0
    cpu: float = 0.0  # user + system seconds of this process and the ffmpeg it ran

    def __add__(self, other: "Cost") -> "Cost":
        return Cost(self.wall + other.wall, self.cpu + other.cpu)


def cpu_seconds() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


@contextmanager
def measured() -> Iterator[Cost]:
    cost = Cost()
    wall, cpu = time.monotonic(), cpu_seconds()
    yield cost
    cost.wall, cost.cpu = time.monotonic() - wall, cpu_seconds() - cpu


def timed(command: list[str]) -> Cost:
    with measured() as cost:
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return cost


def video_args(facts: ProbeFacts, rung: Rung) -> list[str]:
    gop = str(gop_frames(facts.fps))
    return [
        "-vf",
        f"scale={rung.width}:{rung.height}",
        "-c:v",
        "libx264",
        "-preset",
        settings.MEDIA_X264_PRESET,
        *(("-x264-params", settings.MEDIA_X264_PARAMS) if settings.MEDIA_X264_PARAMS else ()),
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
    ]


AUDIO_ARGS = ["-c:a", "aac", "-ac", "2", "-ar", "48000", "-b:a", str(AUDIO_BITRATE)]


def hls_args(folder: Path, name: str) -> list[str]:
    return [
        "-f",
        "hls",
        "-hls_time",
        str(settings.MEDIA_HLS_SEGMENT_SECONDS),
        "-hls_playlist_type",
        "vod",
        "-hls_segment_type",
        "fmp4",
        "-hls_segment_filename",
        str(folder / name / "segment-%05d.m4s"),
        str(folder / name / "index.m3u8"),
    ]


def per_rendition_commands(source: Path, folder: Path, facts: ProbeFacts) -> list[list[str]]:
    """The same outputs, one process (and one decode of the source) per output: each rung's
    video, the audio rendition, the MP4 (video and audio) and the poster."""
    head = [settings.FFMPEG_BINARY, "-hide_banner", "-nostdin", "-y", "-i", str(source)]
    rungs = ladder_for(facts)
    make_folders(folder, facts, rungs)
    commands = [
        head + video_args(facts, rung) + ["-an"] + hls_args(folder, rung.name) for rung in rungs
    ]
    commands.append(head + ["-vn"] + AUDIO_ARGS + hls_args(folder, AUDIO_NAME))
    mp4_rung = mp4_rung_of(rungs)
    commands.append(
        head
        + video_args(facts, mp4_rung)
        + AUDIO_ARGS
        + ["-movflags", "+faststart", str(folder / "v.mp4")]
    )
    commands.append(head + ["-ss", "1", "-frames:v", "1", str(folder / "poster.png")])
    return commands


def selected_question() -> Question:
    question = Question.objects.filter(state__in=ANSWER.sources).order_by("pk").first()
    if question is None:
        raise RuntimeError("the benchmark data has no selected question")
    return question


def run_pipeline(source: Path, keep_mp4: Path) -> Cost:
    """What a worker does for an upload: probe, transcode, posters, store outputs, mark ready.
    The MP4 fallback it stored is copied to `keep_mp4` for the quality comparison."""
    question = selected_question()
    with open(source, "rb") as handle:
        video = sources.attach_source(question=question, file=File(handle), actor=None)
    with measured() as cost:
        processed = processing.process_video(video_id=video.pk)
    video.refresh_from_db()
    if processed is None or not workflow.PUBLISH.allows(video):
        raise RuntimeError(f"the pipeline did not finish: {video.state} {video.error_reason}")
    with video.mp4.open("rb") as stored, open(keep_mp4, "wb") as copy:
        shutil.copyfileobj(stored, copy)
    AnswerVideo.objects.filter(pk=video.pk).delete()
    return cost


@dataclass
class Fallback:
    video_bitrate: int  # bits per second, as ffprobe reads the video stream
    ssim: float  # against the source scaled to the same size, all frames
    faststart: bool
    durations: dict[str, float]  # seconds per kind of stream ("video", "audio")


def describe_fallback(mp4: Path, source: Path, rung: Rung) -> Fallback:
    """Bitrate, SSIM against the source, whether the index comes first and the streams'
    durations (not timed)."""
    probed = subprocess.run(
        [
            settings.FFPROBE_BINARY,
            *("-v", "error", "-protocol_whitelist", "file", "-format_whitelist", "mov"),
            *("-show_entries", "stream=codec_type,bit_rate,duration", "-of", "json"),
            str(mp4),
        ],
        capture_output=True,
        check=True,
        text=True,
    ).stdout
    streams = json.loads(probed)["streams"]
    durations = {stream["codec_type"]: float(stream["duration"]) for stream in streams}
    video_bitrate = next(int(s["bit_rate"]) for s in streams if s["codec_type"] == "video")
    compared = subprocess.run(
        [
            settings.FFMPEG_BINARY,
            *("-hide_banner", "-nostdin", "-protocol_whitelist", "file"),
            *("-format_whitelist", "mov", "-i", str(mp4)),
            *("-protocol_whitelist", "file", "-format_whitelist", "mov", "-i", str(source)),
            "-lavfi",
            f"[1:v]scale={rung.width}:{rung.height}[ref];[0:v][ref]ssim",
            *("-f", "null", "-"),
        ],
        capture_output=True,
        check=True,
        text=True,
    ).stderr
    ssim = float(compared.rsplit("All:", 1)[1].split()[0])
    head = mp4.read_bytes()[:1_000_000]
    moov, mdat = head.find(b"moov"), head.find(b"mdat")
    return Fallback(video_bitrate, ssim, moov != -1 and (mdat == -1 or moov < mdat), durations)


def run(work_root: Path) -> Section:
    section = Section(
        title=f"Transcoding a {CLIP_SECONDS} s 1080p clip",
        method=(
            f"Source: {CLIP_SECONDS} s of 1920×1080 30 fps H.264 test pattern (8 Mb/s) with AAC "
            "stereo. **Pipeline**: `media_pipeline.services.processing.process_video` as the "
            "Celery task "
            "runs it (copy the source out of storage, ffprobe, one ffmpeg process for the HLS "
            "ladder, each rung scaled from the rung above, the sound encoded once as an audio "
            "rendition every rung refers to, + poster frame with progress reading, the MP4 "
            "fallback remuxed from the 720p rung and the audio rendition with `-c copy` and "
            "`+faststart`, posters, outputs stored, database updated). "
            "**Bare command**: the pipeline's own two ffmpeg command lines (encode, remux) run "
            "alone. **One process per rendition**: the same outputs (each rung's video, the audio "
            "rendition, the MP4, the poster) as separate ffmpeg runs one after the other, each "
            "decoding the source (the MP4 encoded on its own, video and audio, as the pipeline "
            "did before). x264 preset "
            f"`{settings.MEDIA_X264_PRESET}`"
            + (f" with `{settings.MEDIA_X264_PARAMS}`" if settings.MEDIA_X264_PARAMS else "")
            + f", ladder heights {settings.MEDIA_LADDER_HEIGHTS}."
        ),
        headers=["run", "wall time s", "realtime factor", "CPU time s (user + system)"],
    )
    work = Path(tempfile.mkdtemp(prefix="transcode-", dir=work_root))
    try:
        source = work / "source.mp4"
        make_clip(source)
        facts = probe_file(source)

        bare_folder = work / "bare"
        rungs = ladder_for(facts)
        make_folders(bare_folder, facts, rungs)
        bare = timed(build_command(source, bare_folder, facts, rungs)) + timed(
            build_remux_command(bare_folder, mp4_rung_of(rungs), facts.has_audio)
        )

        pipeline_mp4 = work / "pipeline.mp4"
        pipeline = run_pipeline(source, pipeline_mp4)

        separate_folder = work / "separate"
        separate_folder.mkdir()
        separate = Cost()
        for command in per_rendition_commands(source, separate_folder, facts):
            separate = separate + timed(command)
        rung = mp4_rung_of(rungs)
        remuxed = describe_fallback(pipeline_mp4, source, rung)
        encoded = describe_fallback(separate_folder / "v.mp4", source, rung)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    for name, cost in (
        ("pipeline (process_video)", pipeline),
        ("bare ffmpeg commands (the ladder in one process, then the remux)", bare),
        (f"one ffmpeg per output ({len(rungs)} rungs + audio + MP4 + poster)", separate),
    ):
        section.rows.append(
            [name, f"{cost.wall:.1f}", f"{CLIP_SECONDS / cost.wall:.2f}×", f"{cost.cpu:.1f}"]
        )
    section.notes.append(
        f"Wall time: pipeline / bare command = {pipeline.wall / bare.wall:.2f}; pipeline / one "
        f"process per output = {pipeline.wall / separate.wall:.2f}. CPU time: "
        f"{pipeline.cpu / bare.cpu:.2f} and {pipeline.cpu / separate.cpu:.2f}. The runs follow "
        "each other on a shared 2-core machine whose load changes from minute to minute, so the "
        "targets are judged on CPU time, which other processes barely disturb; wall times are "
        "shown as measured. Realtime factor = clip duration ÷ wall time (above 1 is faster "
        "than real time)."
    )
    section.notes.append(
        f"MP4 fallback ({rung.width}×{rung.height}, target {rung.video_bitrate:,} b/s): the "
        f"pipeline's, remuxed from the {rung.name} rung and the audio rendition, "
        f"{remuxed.video_bitrate:,} b/s, SSIM "
        f"{remuxed.ssim:.4f} against the source; a separate encode with the rung's settings "
        f"(as the pipeline made it before), {encoded.video_bitrate:,} b/s, SSIM "
        f"{encoded.ssim:.4f}. "
        "The pipeline's MP4 lasts "
        + ", ".join(f"{seconds:.2f} s ({kind})" for kind, seconds in remuxed.durations.items())
        + "."
    )
    section.check("MP4 fallback: index (moov) before the data (faststart)", remuxed.faststart)
    section.check(
        "MP4 fallback: picture and sound, each as long as the clip (±0.1 s)",
        set(remuxed.durations) == {"video", "audio"}
        and all(abs(seconds - CLIP_SECONDS) <= 0.1 for seconds in remuxed.durations.values()),
    )
    section.check(
        "MP4 fallback: bitrate within 10 % of a separate encode",
        abs(remuxed.video_bitrate - encoded.video_bitrate) <= 0.1 * encoded.video_bitrate,
    )
    section.check(
        "MP4 fallback: SSIM at most 0.005 below a separate encode's",
        remuxed.ssim >= encoded.ssim - 0.005,
    )
    section.check(
        f"pipeline faster than {REALTIME_TARGET}× realtime (wall time; idle machine)",
        CLIP_SECONDS / pipeline.wall > REALTIME_TARGET,
    )
    section.check(
        f"pipeline ≤ {BARE_TARGET}× the bare command (CPU time)",
        pipeline.cpu <= bare.cpu * BARE_TARGET,
    )
    section.check(
        f"pipeline ≤ {PER_RENDITION_TARGET}× one process per rendition (CPU time)",
        pipeline.cpu <= separate.cpu * PER_RENDITION_TARGET,
    )
    return section
