import json
import re
import struct
import subprocess
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.core.files.storage import storages
from PIL import Image

from media_pipeline.exceptions import PublishRefused
from media_pipeline.models import AnswerVideo, SpeechJob, VideoState
from media_pipeline.probe import probe_file
from media_pipeline.services import captions, claims, processing, staff_actions
from media_pipeline.storage_ops import list_tree
from media_pipeline.transcode import build_command, ladder_for
from media_pipeline.workflow import SpeechState
from portal.settings import media as media_settings
from tests.media_pipeline.conftest import attach, make_clip

pytestmark = [pytest.mark.slow, pytest.mark.django_db]


def stored_path(name: str) -> Path:
    return Path(storages["default"].path(name))


def top_level_atoms(path: Path) -> list[str]:
    atoms, data = [], path.read_bytes()
    position = 0
    while position + 8 <= len(data):
        size, kind = struct.unpack(">I4s", data[position : position + 8])
        if size == 1:
            size = struct.unpack(">Q", data[position + 8 : position + 16])[0]
        atoms.append(kind.decode("latin-1"))
        if size < 8:
            break
        position += size
    return atoms


def ffprobe_json(path: Path) -> dict:
    output = subprocess.run(
        [
            "ffprobe",
            "-v",
            "error",
            "-print_format",
            "json",
            "-show_format",
            "-show_streams",
            str(path),
        ],
        capture_output=True,
        check=True,
        timeout=60,
    ).stdout
    return json.loads(output)


def test_a_clip_becomes_an_hls_ladder_an_mp4_and_posters(selected_question, clip):
    video = attach(selected_question, clip)
    assert video.state == VideoState.UPLOADED

    processing.process_video(video_id=video.pk)

    video.refresh_from_db()
    assert video.state == VideoState.READY, video.error_reason
    assert video.progress == 100
    assert round(video.duration_seconds) == 3
    assert (video.width, video.height) == (640, 360)
    assert video.probe["video_codec"] == "h264" and video.probe["audio_codec"] == "aac"
    # The ladder stops at the source's height: no 720p for a 360p source.
    renditions = list(video.renditions.values_list("name", "width", "height"))
    assert renditions == [("360p", 640, 360), ("240p", 426, 240)]

    master = stored_path(video.hls_master.name).read_text()
    assert "360p/index.m3u8" in master and "240p/index.m3u8" in master
    assert master.count("#EXT-X-STREAM-INF") == 2
    read_back = ffprobe_json(stored_path(video.hls_master.name))
    assert read_back["format"]["format_name"] == "hls"
    heights = {s.get("height") for s in read_back["streams"] if s["codec_type"] == "video"}
    assert heights == {360, 240}
    assert round(float(read_back["format"]["duration"])) == 3
    # The sound is encoded once: one audio rendition, which every rung plays with.
    groups = audio_groups(master)
    assert list(groups) == ["group_audio"], master
    assert groups["group_audio"]["URI"] == "audio/index.m3u8"
    assert groups["group_audio"]["DEFAULT"] == "YES"
    # Players list the track by its NAME, in the language spoken (French unless staff say
    # otherwise), never ffmpeg's "audio_1".
    (rendition,) = [line for line in master.splitlines() if line.startswith("#EXT-X-MEDIA:")]
    assert 'LANGUAGE="fr"' in rendition and 'NAME="Français"' in rendition, rendition
    variants = stream_variants(master)
    assert [uri for uri, _attributes in variants] == ["360p/index.m3u8", "240p/index.m3u8"]
    assert all(attributes.get("AUDIO") == '"group_audio"' for _uri, attributes in variants)
    assert all("mp4a.40.2" in attributes["CODECS"] for _uri, attributes in variants)
    folder = stored_path(video.hls_master.name).parent
    assert sorted(path.parent.name for path in folder.glob("*/index.m3u8")) == [
        "240p",
        "360p",
        "audio",
    ]
    assert stream_kinds(folder / "audio" / "index.m3u8") == ["audio"]
    for name in ("360p", "240p"):
        assert stream_kinds(folder / name / "index.m3u8") == ["video"]  # no sound of its own

    mp4 = stored_path(video.mp4.name)
    atoms = top_level_atoms(mp4)
    assert atoms.index("moov") < atoms.index("mdat"), atoms  # faststart: plays while loading
    mp4_streams = ffprobe_json(mp4)["streams"]
    assert {s["codec_name"] for s in mp4_streams} == {"h264", "aac"}

    with Image.open(stored_path(video.poster.name)) as poster:
        assert (poster.format, poster.size) == ("JPEG", (640, 360))
    # Stored for the share cards and oEmbed, which announce the poster with its size.
    assert (video.poster_width, video.poster_height) == poster.size
    with Image.open(stored_path(video.poster_small.name)) as small:
        assert (small.format, small.size) == ("WEBP", (480, 270))


def test_the_audio_track_carries_the_language_spoken_in_the_video(selected_question, clip):
    video = attach(selected_question, clip)
    AnswerVideo.objects.filter(pk=video.pk).update(language="zh-hans")
    processing.process_video(video_id=video.pk)
    video.refresh_from_db()
    assert video.state == VideoState.READY, video.error_reason
    master = stored_path(video.hls_master.name).read_text(encoding="utf-8")
    (rendition,) = [line for line in master.splitlines() if line.startswith("#EXT-X-MEDIA:")]
    assert 'LANGUAGE="zh-Hans"' in rendition and 'NAME="简体中文"' in rendition, rendition
    assert audio_groups(master)["group_audio"]["URI"] == "audio/index.m3u8"


@pytest.mark.parametrize(("language", "drafted"), [("fr", True), ("en", True), ("ar", False)])
def test_a_ready_video_gets_a_speech_draft_only_in_a_language_the_engine_knows(
    selected_question, clip, language, drafted
):
    """French answers are drafted by Whisper base, English ones by PocketSphinx; a language with
    no engine configured (Arabic) gets no job doomed to fail: staff write or import its
    captions."""
    video = attach(selected_question, clip)
    AnswerVideo.objects.filter(pk=video.pk).update(language=language)

    processing.process_video(video_id=video.pk)

    job = SpeechJob.objects.filter(video=video).first()
    assert (job is not None) is drafted
    if drafted:
        assert (job.state, job.language) == (SpeechState.QUEUED, language)


def master_attributes(line: str) -> dict[str, str]:
    """The attributes of a master playlist tag (quotes kept, commas inside them respected)."""
    text = line.partition(":")[2]
    return dict(re.findall(r'([A-Z0-9-]+)=("[^"]*"|[^,]*)', text))


def audio_groups(master: str) -> dict[str, dict[str, str]]:
    """The master playlist's audio renditions by group, attributes unquoted."""
    groups = {}
    for line in master.splitlines():
        if line.startswith("#EXT-X-MEDIA:"):
            attributes = {k: v.strip('"') for k, v in master_attributes(line).items()}
            assert attributes["TYPE"] == "AUDIO", line
            assert attributes["GROUP-ID"] not in groups, "one rendition per group"
            groups[attributes["GROUP-ID"]] = attributes
    return groups


def stream_variants(master: str) -> list[tuple[str, dict[str, str]]]:
    """(playlist, attributes) of every video variant of a master playlist."""
    lines = [line for line in master.splitlines() if line.strip()]
    return [
        (lines[index + 1], master_attributes(line))
        for index, line in enumerate(lines)
        if line.startswith("#EXT-X-STREAM-INF:")
    ]


def stream_kinds(playlist: Path) -> list[str]:
    """The kinds of the streams an HLS media playlist carries, read as the remux reads it."""
    streams = ffprobe_allowed(playlist, "-show_streams", formats="hls,mov")["streams"]
    return [stream["codec_type"] for stream in streams]


def stream_durations(path: Path, formats: str = "mov") -> dict[str, float]:
    streams = ffprobe_allowed(path, "-show_streams", formats=formats)["streams"]
    return {stream["codec_type"]: float(stream["duration"]) for stream in streams}


def ffprobe_allowed(path: Path, *args: str, formats: str = "mov") -> dict:
    """ffprobe as the pipeline runs it: local files only, the named demuxers only."""
    command = ["ffprobe", "-v", "error", "-protocol_whitelist", "file"]
    command += ["-format_whitelist", formats, "-print_format", "json", *args, str(path)]
    output = subprocess.run(command, capture_output=True, check=True, timeout=60).stdout
    return json.loads(output)


def video_packets(path: Path, formats: str, kind: str = "v") -> list[tuple[str, str]]:
    """(size, flags) of every video (or, kind "a", audio) packet, in order: equal lists mean the
    same encoded stream."""
    packets = ffprobe_allowed(
        path, "-select_streams", f"{kind}:0", "-show_entries", "packet=size,flags", formats=formats
    )["packets"]
    return [(packet["size"], packet["flags"]) for packet in packets]


def start_times(path: Path, formats: str) -> dict[str, float]:
    streams = ffprobe_allowed(path, "-show_streams", formats=formats)["streams"]
    return {stream["codec_type"]: float(stream["start_time"]) for stream in streams}


def test_the_mp4_fallback_is_its_rung_remuxed_not_a_fifth_encode(selected_question, clip):
    video = attach(selected_question, clip)
    processing.process_video(video_id=video.pk)
    video.refresh_from_db()
    assert video.state == VideoState.READY, video.error_reason
    rung = video.renditions.get(name="360p")  # the tallest rung at or below 720p
    mp4 = stored_path(video.mp4.name)
    playlist = stored_path(rung.playlist.name)

    atoms = top_level_atoms(mp4)
    assert atoms.index("moov") < atoms.index("mdat"), atoms  # faststart: plays while loading
    probed = ffprobe_allowed(mp4, "-show_format", "-show_streams")
    streams = {stream["codec_type"]: stream for stream in probed["streams"]}
    assert set(streams) == {"video", "audio"}
    picture, sound = streams["video"], streams["audio"]
    rung_picture = ffprobe_allowed(
        playlist, "-show_streams", "-select_streams", "v:0", formats="hls,mov"
    )["streams"][0]
    facts = ("codec_name", "profile", "width", "height", "pix_fmt", "r_frame_rate")
    assert [picture[fact] for fact in facts] == [rung_picture[fact] for fact in facts]
    assert (picture["codec_name"], picture["width"], picture["height"]) == ("h264", 640, 360)
    assert (sound["codec_name"], sound["channels"], sound["sample_rate"]) == ("aac", 2, "48000")
    assert round(float(probed["format"]["duration"])) == 3
    # The rung's bitrate: the encoder's target (rate control lands near it), not the source's.
    assert 0.5 * rung.video_bitrate <= int(picture["bit_rate"]) <= 1.3 * rung.video_bitrate
    assert int(sound["bit_rate"]) <= 1.1 * rung.audio_bitrate
    # Not re-encoded: packet for packet the rung's own video stream, keyframes included, and the
    # audio rendition's sound.
    rung_packets = video_packets(playlist, formats="hls,mov")
    assert len(rung_packets) == int(picture["nb_frames"]) == 75
    assert video_packets(mp4, formats="mov") == rung_packets
    sound_playlist = playlist.parent.parent / "audio" / "index.m3u8"
    assert video_packets(mp4, formats="mov", kind="a") == video_packets(
        sound_playlist, formats="hls,mov", kind="a"
    )
    # It plays as long as the source, picture and sound...
    source_durations = stream_durations(clip)
    durations = stream_durations(mp4)
    assert set(durations) == {"video", "audio"}
    for kind, seconds in durations.items():
        assert seconds == pytest.approx(source_durations[kind], abs=0.1), (kind, durations)
    # ...and in sync: the picture starts as far after the sound as in the HLS ladder.
    ladder_starts = {
        **start_times(playlist, formats="hls,mov"),
        **start_times(sound_playlist, formats="hls,mov"),
    }
    starts = start_times(mp4, formats="mov")
    assert starts["video"] - starts["audio"] == pytest.approx(
        ladder_starts["video"] - ladder_starts["audio"], abs=0.001
    )
    assert starts["audio"] == 0


def test_a_clip_without_sound_gets_a_ladder_and_an_mp4_without_audio_group(
    selected_question, tmp_path
):
    silent = make_clip(tmp_path / "silent.mp4", seconds=3, audio=False)
    video = attach(selected_question, silent)
    processing.process_video(video_id=video.pk)
    video.refresh_from_db()
    assert video.state == VideoState.READY, video.error_reason
    assert video.probe["audio_codec"] == ""
    assert list(video.renditions.values_list("name", "audio_bitrate")) == [
        ("360p", 0),
        ("240p", 0),
    ]

    master_path = stored_path(video.hls_master.name)
    master = master_path.read_text()
    assert audio_groups(master) == {}
    variants = stream_variants(master)
    assert [uri for uri, _attributes in variants] == ["360p/index.m3u8", "240p/index.m3u8"]
    assert all("AUDIO" not in attributes for _uri, attributes in variants)
    assert not (master_path.parent / "audio").exists()
    read_back = ffprobe_json(master_path)
    assert {stream["codec_type"] for stream in read_back["streams"]} == {"video"}
    assert round(float(read_back["format"]["duration"])) == 3

    mp4 = stored_path(video.mp4.name)
    atoms = top_level_atoms(mp4)
    assert atoms.index("moov") < atoms.index("mdat"), atoms
    durations = stream_durations(mp4)
    assert list(durations) == ["video"]
    assert durations["video"] == pytest.approx(stream_durations(silent)["video"], abs=0.1)
    rung_playlist = stored_path(video.renditions.get(name="360p").playlist.name)
    assert video_packets(mp4, formats="mov") == video_packets(rung_playlist, formats="hls,mov")


def test_a_rotated_phone_video_keeps_its_portrait_ladder(selected_question, tmp_path):
    base = make_clip(tmp_path / "landscape.mp4", seconds=2, size="480x360", audio=False)
    rotated = tmp_path / "phone.mp4"
    subprocess.run(
        [
            "ffmpeg",
            "-v",
            "error",
            "-y",
            "-i",
            str(base),
            "-c",
            "copy",
            "-metadata:s:v:0",
            "rotate=90",
            str(rotated),
        ],
        check=True,
        timeout=60,
    )
    video = attach(selected_question, rotated)
    processing.process_video(video_id=video.pk)
    video.refresh_from_db()
    assert video.state == VideoState.READY, video.error_reason
    assert (video.width, video.height) == (360, 480)
    assert list(video.renditions.values_list("name", "width", "height")) == [
        ("360p", 270, 360),
        ("240p", 180, 240),
    ]
    with Image.open(stored_path(video.poster.name)) as poster:
        assert poster.size == (360, 480)
    assert (video.poster_width, video.poster_height) == (360, 480)


def hostile_text(folder: Path) -> Path:
    path = folder / "notes.mp4"
    path.write_text("Ceci n'est pas une vidéo.\n" * 50)
    return path


def hostile_empty(folder: Path) -> Path:
    path = folder / "empty.mp4"
    path.write_bytes(b"")
    return path


def hostile_audio_only(folder: Path) -> Path:
    return make_clip(folder / "tone.mp4", seconds=2, video=False)


def hostile_truncated(folder: Path) -> Path:
    whole = make_clip(folder / "whole.mp4", seconds=3).read_bytes()
    path = folder / "truncated.mp4"
    path.write_bytes(whole[: len(whole) // 2])  # index (moov) at the end: now missing
    return path


def hostile_truncated_faststart(folder: Path) -> Path:
    whole = make_clip(folder / "whole-fs.mp4", seconds=4, faststart=True).read_bytes()
    path = folder / "truncated-fs.mp4"
    path.write_bytes(whole[: len(whole) // 2])  # index intact, half of the pictures gone
    return path


def hostile_playlist(folder: Path) -> Path:
    """Plays fine with ffmpeg: the HLS demuxer would read any local file it lists."""
    segment = make_clip(folder / "segment.mp4", seconds=2)
    path = folder / "playlist.mp4"
    path.write_text(f"#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXTINF:2,\n{segment}\n#EXT-X-ENDLIST\n")
    return path


def hostile_playlist_of_secrets(folder: Path) -> Path:
    path = folder / "secrets.mp4"
    path.write_text("#EXTM3U\n#EXTINF:2,\nfile:///etc/passwd\n#EXT-X-ENDLIST\n")
    return path


def hostile_concat_list(folder: Path) -> Path:
    segment = make_clip(folder / "part.mp4", seconds=2)
    path = folder / "list.mp4"
    path.write_text(f"ffconcat version 1.0\nfile '{segment}'\n")
    return path


def hostile_png(folder: Path) -> Path:
    path = folder / "picture.mp4"
    Image.new("RGB", (64, 48), "navy").save(path, "PNG")
    return path


@pytest.mark.parametrize(
    ("make_file", "reason_part"),
    [
        (hostile_text, "could not be read"),
        (hostile_empty, "empty"),
        (hostile_audio_only, "no video track"),
        (hostile_truncated, "could not be read"),
        (hostile_truncated_faststart, "truncated"),
        (hostile_playlist, "playlist"),
        (hostile_playlist_of_secrets, "playlist"),
        (hostile_concat_list, "playlist"),
        (hostile_png, "image"),
    ],
)
def test_hostile_files_fail_with_a_reason_and_publish_nothing(
    selected_question, tmp_path, make_file, reason_part, settings
):
    settings.LANGUAGE_CODE = "en"
    video = attach(selected_question, make_file(tmp_path))
    captions.set_transcript(video=video, text="Transcription.")

    processing.process_video(video_id=video.pk)

    video.refresh_from_db()
    assert video.state == VideoState.FAILED
    assert reason_part in video.error_reason
    assert not video.hls_master and not video.mp4 and not video.renditions.exists()
    assert list_tree(storages["default"], "answers") == []
    with pytest.raises(PublishRefused):
        staff_actions.publish_video(video=video, actor=None)
    selected_question.refresh_from_db()
    assert selected_question.state == "selected"


def test_a_new_source_replaces_the_previous_version_without_leaving_files(
    selected_question, clip, tmp_path, django_capture_on_commit_callbacks
):
    first = processing.process_video(video_id=attach(selected_question, clip).pk)
    first_files = list_tree(storages["default"], "answers")
    first_source = first.source.name

    other = make_clip(tmp_path / "second.mp4", seconds=2, size="320x240")
    with django_capture_on_commit_callbacks(execute=True):
        video = attach(selected_question, other)
        with_second = processing.process_video(video_id=video.pk)

    files = list_tree(storages["default"], "answers")
    assert with_second.output_version != first.output_version
    assert all(f"/{with_second.output_version}/" in name for name in files)
    assert not set(first_files) & set(files)
    assert list(with_second.renditions.values_list("name", flat=True)) == ["240p"]
    assert not storages["private"].exists(first_source)
    assert AnswerVideo.objects.count() == 1


@pytest.mark.parametrize(
    ("limit", "value", "reason_part"),
    [
        ("MEDIA_MAX_DURATION_SECONDS", 2, "limit"),
        ("MEDIA_MAX_WIDTH", 320, "larger than the limit"),
        ("MEDIA_MAX_UPLOAD_BYTES", 1000, "larger than the allowed size"),
    ],
)
def test_videos_over_the_limits_fail_with_a_reason(
    selected_question, clip, settings, limit, value, reason_part
):
    settings.LANGUAGE_CODE = "en"
    setattr(settings, limit, value)  # alone: the other limits keep their defaults
    video = attach(selected_question, clip)
    processing.process_video(video_id=video.pk)
    video.refresh_from_db()
    assert video.state == VideoState.FAILED and reason_part in video.error_reason
    assert list_tree(storages["default"], "answers") == []


def test_a_stale_worker_cannot_overwrite_a_newer_upload(selected_question, clip, tmp_path):
    """Staff upload a new file while a worker transcodes the old one: the old work is dropped."""
    video = attach(selected_question, clip)
    _video, old_claim = claims.claim_video(video_id=video.pk)
    newer = make_clip(tmp_path / "newer.mp4", seconds=2, size="320x240")
    attach(selected_question, newer)
    _video, new_claim = claims.claim_video(video_id=video.pk)
    assert new_claim.attempt == old_claim.attempt == 1  # same number, different claim
    assert not old_claim.rows().exists() and new_claim.rows().exists()


def test_a_transcode_over_its_time_limit_is_stopped_with_a_reason(
    selected_question, tmp_path, settings
):
    settings.LANGUAGE_CODE = "en"
    settings.MEDIA_TRANSCODE_TIMEOUT_SECONDS = 0.3
    settings.MEDIA_X264_PRESET = "veryslow"
    long_clip = make_clip(tmp_path / "long.mp4", seconds=6, size="640x360")
    video = attach(selected_question, long_clip)
    processing.process_video(video_id=video.pk)
    video.refresh_from_db()
    assert video.state == VideoState.FAILED and "too long" in video.error_reason
    assert list_tree(storages["default"], "answers") == []


def keyframe_times(playlist: Path) -> list[str]:
    packets = ffprobe_allowed(
        playlist,
        *("-select_streams", "v:0", "-show_entries", "packet=pts_time,flags"),
        formats="hls,mov",
    )["packets"]
    return [packet["pts_time"] for packet in packets if "K" in packet["flags"]]


def test_the_rungs_are_scaled_one_from_another_with_their_keyframes_aligned(
    selected_question, tmp_path, settings
):
    """Each rung is scaled from the rung above it (one decode, cheaper scaling), and every rung
    still starts a segment at the same instants, so players switch rungs between segments."""
    settings.MEDIA_LADDER_HEIGHTS = [720, 480, 360, 240]
    source = make_clip(tmp_path / "hd.mp4", seconds=3, size="1280x720")
    facts = probe_file(source)
    rungs = ladder_for(facts)

    graph = filter_graph(build_command(source, tmp_path / "out", facts, rungs))
    scales = [link for link in graph if link.name == "scale"]
    assert [link.args for link in scales] == [f"{rung.width}:{rung.height}" for rung in rungs]
    producers = {label: link for link in graph for label in link.outputs}
    assert producers.get(scales[0].inputs[0]) is graph[0]  # the decoded source, split once
    for above, below in zip(scales, scales[1:], strict=False):
        feeding = producers[below.inputs[0]]
        assert feeding.name == "split" and producers[feeding.inputs[0]] is above

    video = attach(selected_question, source)
    processing.process_video(video_id=video.pk)
    video.refresh_from_db()
    assert video.state == VideoState.READY, video.error_reason
    keyframes = {}
    for rendition in video.renditions.all():
        playlist = stored_path(rendition.playlist.name)
        picture = ffprobe_allowed(
            playlist, "-show_streams", "-select_streams", "v:0", formats="hls,mov"
        )["streams"][0]
        assert (picture["width"], picture["height"]) == (rendition.width, rendition.height)
        keyframes[rendition.name] = keyframe_times(playlist)
    assert set(keyframes) == {"720p", "480p", "360p", "240p"}
    first = [float(time) for time in keyframes["720p"]]
    assert [round(b - a, 3) for a, b in zip(first, first[1:], strict=False)] == [1.0, 1.0]
    assert all(times == keyframes["720p"] for times in keyframes.values()), keyframes


def test_the_encoder_runs_with_the_configured_preset_and_x264_options(
    selected_question, clip, settings
):
    """The production defaults (superfast with macroblock-tree rate control kept) reach x264: it
    writes the options it encoded with into the stream."""
    settings.MEDIA_X264_PRESET = media_settings.MEDIA_X264_PRESET
    settings.MEDIA_X264_PARAMS = media_settings.MEDIA_X264_PARAMS
    assert (settings.MEDIA_X264_PRESET, settings.MEDIA_X264_PARAMS) == (
        "superfast",
        "mbtree=1:rc-lookahead=10",
    )
    video = attach(selected_question, clip)
    processing.process_video(video_id=video.pk)
    video.refresh_from_db()
    assert video.state == VideoState.READY, video.error_reason

    for rendition in video.renditions.all():
        options = x264_options(stored_path(rendition.playlist.name).parent)
        # superfast's analysis (diamond search, subpixel level 1, intra partitions only)...
        assert {"me=dia", "subme=1", "analyse=0x3:0x3"} <= options, options
        # ...with veryfast's rate control: the macroblock tree over a 10-frame lookahead.
        assert {"mbtree=1", "rc_lookahead=10"} <= options, options
        assert "keyint=25" in options and "scenecut=0" in options


def x264_options(rung_folder: Path) -> set[str]:
    """The options x264 records in its SEI message, read from the rung's first segment."""
    data = (rung_folder / "segment-00000.m4s").read_bytes()
    start = data.index(b"options: ") + len(b"options: ")
    return set(data[start : data.index(b"\x00", start)].decode("ascii").split())


def filter_graph(command: list[str]) -> list[SimpleNamespace]:
    """The -filter_complex of a command: one (name, args, inputs, outputs) per filter."""
    graph = command[command.index("-filter_complex") + 1]
    links = []
    for chain in graph.split(";"):
        inputs = re.match(r"((?:\[[^\]]+\])*)", chain).group(1)
        outputs = re.search(r"((?:\[[^\]]+\])*)$", chain).group(1)
        body = chain[len(inputs) : len(chain) - len(outputs)]
        name, _sep, args = body.partition("=")
        links.append(
            SimpleNamespace(
                name=name,
                args=args,
                inputs=re.findall(r"\[([^\]]+)\]", inputs),
                outputs=re.findall(r"\[([^\]]+)\]", outputs),
            )
        )
    return links
