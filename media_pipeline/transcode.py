"""One ffmpeg process turns a probed source into an HLS ladder and a poster frame; the MP4 fallback
is the matching rung's encoded streams, remuxed.

The source is decoded once; a `split` filter feeds the ladder and the poster frame, and each rung
of the ladder (H.264, fMP4 segments, a master playlist through `var_stream_map`) is scaled from the
rung above it. The sound is encoded once (AAC), as one audio rendition every rung refers to (an
`EXT-X-MEDIA` audio group in the master playlist, in the language spoken in the video and named
in it); a source without sound has no audio group.
Progress is read from `-progress pipe:1`. Each stream is encoded once: the progressive MP4
(`+faststart`) copies the video packets of the rung at or below MP4_MAX_HEIGHT and the audio
rendition's packets (a second ffmpeg, no decoding), so it has that rung's codec, size, bitrate and
quality.
"""

import re
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import ffmpeg
from django.conf import settings
from django.utils.translation import gettext as _
from PIL import Image

from media_pipeline import processes
from media_pipeline.exceptions import TranscodeFailed
from media_pipeline.probe import FORMAT_WHITELIST, ProbeFacts, demuxer_of

MASTER_PLAYLIST = "master.m3u8"
MP4_NAME = "video.mp4"
POSTER_FRAME = "poster-frame.png"
POSTER_LARGE = ("poster.jpg", (1280, 720), "JPEG")
POSTER_SMALL = ("poster-small.webp", (480, 270), "WEBP")
MP4_MAX_HEIGHT = 720
AUDIO_BITRATE = 128_000
# The audio rendition's folder (next to the rungs' "<height>p" folders) and its group in the
# master playlist.
AUDIO_NAME = "audio"
AUDIO_GROUP = "audio"
# ffmpeg 5.1 names every audio rendition "audio_<n>" whatever var_stream_map's `name:` (that only
# names its folder): the name players list is written into the master playlist afterwards.
AUDIO_RENDITION_NAME = re.compile(r'^(#EXT-X-MEDIA:TYPE=AUDIO,.*?\bNAME=")[^"]*(")', re.MULTILINE)
# Output shorter than this share of the probed duration means the input was cut short.
MIN_OUTPUT_SHARE = 0.9
# The remux reads our own rung: its playlist (hls) and fMP4 segments (mov), local files only.
REMUX_FORMAT_WHITELIST = "hls,mov"


@dataclass(frozen=True)
class Rung:
    name: str
    width: int
    height: int
    video_bitrate: int
    audio_bitrate: int


@dataclass(frozen=True)
class TranscodeResult:
    folder: Path
    rungs: list[Rung]
    master: str  # paths relative to folder
    mp4: str
    poster: str
    poster_small: str
    poster_size: tuple[int, int]  # width, height of `poster`
    log: str


def even(value: float) -> int:
    return max(2, int(round(value / 2)) * 2)


def ladder_for(facts: ProbeFacts, heights: list[int] | None = None) -> list[Rung]:
    """The rungs for this source: never above its height; the source's own height if smaller."""
    heights = sorted(set(heights or settings.MEDIA_LADDER_HEIGHTS), reverse=True)
    chosen = [height for height in heights if height <= facts.height] or [even(facts.height)]
    rungs = []
    for height in chosen:
        width = even(facts.width * height / facts.height)
        rungs.append(
            Rung(
                name=f"{height}p",
                width=width,
                height=height,
                video_bitrate=video_bitrate(width, height, facts.fps),
                audio_bitrate=AUDIO_BITRATE if facts.has_audio else 0,
            )
        )
    return rungs


def video_bitrate(width: int, height: int, fps: float) -> int:
    """About 5 Mb/s for 1080p30, 2.2 Mb/s for 720p30, 0.55 Mb/s for 360p30; more for 60 fps."""
    motion = 1.0 if fps <= 31 else 1.5
    return max(250_000, int(2.4 * width * height * motion))


def gop_frames(fps: float) -> int:
    return max(1, round((fps or 25) * settings.MEDIA_HLS_SEGMENT_SECONDS))


def mp4_rung_of(rungs: list[Rung]) -> Rung:
    """The rung the MP4 fallback copies: the tallest at or below MP4_MAX_HEIGHT."""
    return next((rung for rung in rungs if rung.height <= MP4_MAX_HEIGHT), rungs[-1])


def playlist_of(folder: Path, name: str) -> Path:
    """The media playlist of a rung or of the audio rendition."""
    return folder / name / "index.m3u8"


def make_folders(folder: Path, facts: ProbeFacts, rungs: list[Rung]) -> None:
    """The folders the encode writes into: one per rung, one for the audio rendition."""
    for name in [rung.name for rung in rungs] + ([AUDIO_NAME] if facts.has_audio else []):
        (folder / name).mkdir(parents=True, exist_ok=True)


def scaled_rungs(video: ffmpeg.nodes.FilterableStream, rungs: list[Rung]) -> list:
    """One stream of pictures per rung, tallest first, each rung scaled from the one above it.

    Scaling runs in ffmpeg's single filter thread, in front of every encoder: from the source each
    time, the 720p, 480p and 360p rungs of a 1080p minute cost 14 to 17 s of CPU, a sixth of the
    whole encode. From the rung above (720p from 1080p, 480p from 720p, 360p from 480p) it is a
    third to a half cheaper, and each rung's SSIM against the source scaled directly moved by
    0.0006 at most (360p of the test pattern; 0 at 720p; none on a natural clip).
    """
    streams, above = [], video
    for index, rung in enumerate(rungs):
        picture = above.filter("scale", rung.width, rung.height)
        if index == len(rungs) - 1:
            streams.append(picture)
        else:
            split = picture.filter_multi_output("split", 2)
            streams.append(split[0])
            above = split[1]
    return streams


def bcp47(language: str) -> str:
    """A portal language code as the BCP-47 tag HLS expects (`zh-hans` → `zh-Hans`)."""
    primary, *subtags = language.split("-")
    # Script subtags in title case (Hans), regions in capitals (BR).
    cased = [
        tag.title() if len(tag) == 4 else tag.upper() if len(tag) == 2 else tag for tag in subtags
    ]
    return "-".join([primary.lower(), *cased])


def language_name(language: str) -> str:
    """The language's name in itself (Français, العربية), as the portal's language menu shows it."""
    return str(dict(settings.LANGUAGES).get(language, language))


def name_audio_rendition(master: Path, name: str) -> None:
    """Give the master playlist's audio rendition the NAME a player lists among audio tracks."""
    text = master.read_text(encoding="utf-8")
    master.write_text(
        AUDIO_RENDITION_NAME.sub(lambda found: f"{found[1]}{name}{found[2]}", text),
        encoding="utf-8",
    )


def build_command(
    source: Path,
    folder: Path,
    facts: ProbeFacts,
    rungs: list[Rung],
    language: str | None = None,
) -> list[str]:
    """The one encode: every rung of the HLS ladder and the poster frame. `language`: the one
    spoken in the video (the portal's default if not known), the audio rendition's LANGUAGE."""
    language = bcp47(language or settings.LANGUAGE_CODE)
    # The demuxer ffprobe accepted, pinned, and the allow-list again: see media_pipeline.probe.
    source_input = ffmpeg.input(
        str(source),
        protocol_whitelist="file",
        format_whitelist=FORMAT_WHITELIST,
        f=demuxer_of(facts),
    )
    branches = source_input.video.filter_multi_output("split", 2)  # the ladder, the poster
    scaled = scaled_rungs(branches[0], rungs)
    gop = gop_frames(facts.fps)
    encoder = {
        "c:v": "libx264",
        "preset": settings.MEDIA_X264_PRESET,
        **({"x264-params": settings.MEDIA_X264_PARAMS} if settings.MEDIA_X264_PARAMS else {}),
        "profile:v": "high",
        "pix_fmt": "yuv420p",
        "g": gop,
        "keyint_min": gop,
        "sc_threshold": 0,
    }
    audio = {"c:a": "aac", "ac": 2, "ar": 48000} if facts.has_audio else {}

    # The rungs are video only; with sound, each names the one audio rendition's group.
    hls_streams, per_stream, stream_map = [], {}, []
    group = f",agroup:{AUDIO_GROUP}" if facts.has_audio else ""
    for index, rung in enumerate(rungs):
        hls_streams.append(scaled[index])
        per_stream[f"b:v:{index}"] = rung.video_bitrate
        per_stream[f"maxrate:v:{index}"] = int(rung.video_bitrate * 1.2)
        per_stream[f"bufsize:v:{index}"] = rung.video_bitrate * 2
        stream_map.append(f"v:{index}{group},name:{rung.name}")
    if facts.has_audio:
        hls_streams.append(source_input.audio)
        per_stream["b:a:0"] = AUDIO_BITRATE
        stream_map.append(f"a:0{group},default:yes,language:{language},name:{AUDIO_NAME}")
    hls = ffmpeg.output(
        *hls_streams,
        str(playlist_of(folder, "%v")),
        format="hls",
        hls_time=settings.MEDIA_HLS_SEGMENT_SECONDS,
        hls_playlist_type="vod",
        hls_segment_type="fmp4",
        hls_flags="independent_segments",
        hls_fmp4_init_filename="init.mp4",
        hls_segment_filename=str(folder / "%v" / "segment-%05d.m4s"),
        master_pl_name=MASTER_PLAYLIST,
        var_stream_map=" ".join(stream_map),
        **encoder,
        **audio,
        **per_stream,
    )
    poster_at = min(1.0, facts.duration / 3)
    poster = ffmpeg.output(
        branches[1].filter("select", f"gte(t,{poster_at:.3f})"),
        str(folder / POSTER_FRAME),
        **{"frames:v": 1, "update": 1},
    )
    return (
        ffmpeg.merge_outputs(hls, poster)
        .global_args("-hide_banner", "-nostdin", "-progress", "pipe:1", "-stats_period", "0.5")
        .overwrite_output()
        .compile(cmd=settings.FFMPEG_BINARY)
    )


def build_remux_command(folder: Path, rung: Rung, with_audio: bool) -> list[str]:
    """The MP4 fallback from the rung's playlist and the audio rendition's: packets copied, index
    (moov) first.

    The two playlists share one timeline (the encode's), where the video starts a little after
    the sound (the AAC priming samples). ffmpeg would shift each input to zero on its own and put
    the sound 20 ms late; `-isync` shifts the video by the sound's start instead, so the MP4 has
    the timestamps a single rung with its own audio had.
    """
    playlists = [(playlist_of(folder, rung.name), {"isync": 1} if with_audio else {})]
    if with_audio:
        playlists.append((playlist_of(folder, AUDIO_NAME), {}))
    inputs = [
        ffmpeg.input(
            str(playlist),
            protocol_whitelist="file",
            format_whitelist=REMUX_FORMAT_WHITELIST,
            f="hls",
            **sync,
        )
        for playlist, sync in playlists
    ]
    return (
        ffmpeg.output(
            inputs[0].video,
            *(audio_input.audio for audio_input in inputs[1:]),
            str(folder / MP4_NAME),
            format="mp4",
            c="copy",
            movflags="+faststart",
        )
        .global_args("-hide_banner", "-nostdin", "-v", "error")
        .overwrite_output()
        .compile(cmd=settings.FFMPEG_BINARY)
    )


def remux_fallback(folder: Path, rung: Rung, with_audio: bool, timeout: float) -> None:
    command = build_remux_command(folder, rung, with_audio)
    try:
        completed = processes.run(command, capture_output=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired as error:
        raise TranscodeFailed(
            _("Processing took too long and was stopped."), log=str(error)
        ) from error
    if completed.returncode != 0 or not (folder / MP4_NAME).exists():
        raise TranscodeFailed(
            _("The video could not be converted: the file is damaged or incomplete."),
            log=completed.stderr.decode("utf-8", "replace")[-8000:],
        )


def run_ffmpeg(
    command: list[str], duration: float, on_progress: Callable[[float], None], timeout: float
) -> tuple[str, float]:
    """Run ffmpeg, report progress (0-100) as it goes; return (log tail, encoded seconds)."""
    with tempfile.TemporaryFile() as stderr:
        # Dies with this process (even SIGKILLed); the timer below bounds its run.
        process = processes.popen(command, stdout=subprocess.PIPE, stderr=stderr)
        timed_out = threading.Event()

        def stop_on_timeout() -> None:
            timed_out.set()
            process.kill()

        timer = threading.Timer(timeout, stop_on_timeout)
        timer.start()
        encoded = 0.0
        try:
            for raw_line in process.stdout:
                key, _sep, value = raw_line.decode("ascii", "replace").strip().partition("=")
                if key == "out_time_us" and value.lstrip("-").isdigit():
                    encoded = max(encoded, int(value) / 1_000_000)
                    on_progress(min(99.0, 100 * encoded / duration))
            returncode = process.wait()
        finally:
            timer.cancel()
            if process.poll() is None:  # an exception (soft time limit...) left it running
                process.kill()
                process.wait()
        stderr.seek(0)
        log = stderr.read().decode("utf-8", "replace")[-8000:]
    if returncode != 0:
        raise TranscodeFailed(
            _("Processing took too long and was stopped.")
            if timed_out.is_set()
            else _("The video could not be converted: the file is damaged or incomplete."),
            log=log,
        )
    return log, encoded


def make_posters(folder: Path) -> tuple[str, str, tuple[int, int]]:
    """The large and small posters' names, and the large one's size (width, height)."""
    frame = folder / POSTER_FRAME
    if not frame.exists():
        raise TranscodeFailed(_("No picture could be taken from the video for its poster."))
    names, sizes = [], []
    with Image.open(frame) as image:
        image = image.convert("RGB")
        for name, size, image_format in (POSTER_LARGE, POSTER_SMALL):
            copy = image.copy()
            copy.thumbnail(size, Image.Resampling.LANCZOS)
            copy.save(folder / name, image_format, quality=85)
            names.append(name)
            sizes.append(copy.size)
    frame.unlink()
    return names[0], names[1], sizes[0]


def transcode(
    *,
    source: Path,
    folder: Path,
    facts: ProbeFacts,
    on_progress: Callable[[float], None],
    language: str | None = None,
) -> TranscodeResult:
    """Write all outputs into `folder` (an empty local folder) and describe them. `language`: the
    one spoken in the video (the portal's default if not known)."""
    language = language or settings.LANGUAGE_CODE
    rungs = ladder_for(facts)
    make_folders(folder, facts, rungs)
    started = time.monotonic()
    log, encoded = run_ffmpeg(
        build_command(source, folder, facts, rungs, language),
        facts.duration,
        on_progress,
        timeout=settings.MEDIA_TRANSCODE_TIMEOUT_SECONDS,
    )
    if encoded < facts.duration * MIN_OUTPUT_SHARE:
        raise TranscodeFailed(
            _(
                "The video stops after %(encoded)d s of the %(duration)d s announced: the file is "
                "truncated."
            )
            % {"encoded": encoded, "duration": facts.duration},
            log=log,
        )
    if facts.has_audio:
        name_audio_rendition(folder / MASTER_PLAYLIST, language_name(language))
    remux_fallback(
        folder,
        mp4_rung_of(rungs),
        facts.has_audio,
        timeout=max(60.0, settings.MEDIA_TRANSCODE_TIMEOUT_SECONDS - (time.monotonic() - started)),
    )
    poster, poster_small, poster_size = make_posters(folder)
    log += f"\ntranscoded in {time.monotonic() - started:.1f} s"
    on_progress(100.0)
    return TranscodeResult(
        folder=folder,
        rungs=rungs,
        master=MASTER_PLAYLIST,
        mp4=MP4_NAME,
        poster=poster,
        poster_small=poster_small,
        poster_size=poster_size,
        log=log,
    )
