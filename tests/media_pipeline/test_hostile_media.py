"""Manifests and playlists in disguise never make ffprobe or ffmpeg open another file.

Proof by the kernel's own record: ffprobe and ffmpeg run under `strace`, and the files they touch
are read from the trace. A control run without the allow-list shows the same trace catching
ffprobe opening the file a manifest names.
"""

import re
import shutil
import struct
import subprocess
from pathlib import Path

import pytest
from django.core.files.storage import storages
from django.utils import translation
from PIL import Image

from media_pipeline.exceptions import InvalidMedia
from media_pipeline.models import VideoState
from media_pipeline.probe import probe_file
from media_pipeline.services import processing
from media_pipeline.storage_ops import list_tree
from tests.media_pipeline.conftest import attach, make_clip

pytestmark = pytest.mark.slow

SYSTEM_PREFIXES = ("/usr/", "/lib", "/etc/", "/proc/", "/sys/", "/dev/", "/selinux")
FIRST_PATH = re.compile(r'^\d+\s+\w+\((?:AT_FDCWD, |\d+, )?"([^"]*)"')
NETWORK_CALL = re.compile(r"^\d+\s+(connect|bind|sendto|sendmsg)\(")


class Traces:
    """ffprobe and ffmpeg replaced by wrappers that run them under strace, one log per run."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        folder.mkdir()

    def wrapper(self, name: str) -> str:
        path = self.folder / f"{name}-traced"
        path.write_text(
            "#!/bin/sh\n"
            f'exec strace -f -qq -e trace=%file,%network -o "{self.folder}/{name}.$$" '
            f'{shutil.which(name)} "$@"\n'
        )
        path.chmod(0o755)
        return str(path)

    def lines(self, name: str) -> list[str]:
        logs = sorted(self.folder.glob(f"{name}.*"))
        return [line for log in logs for line in log.read_text().split("\n")]

    def files_touched(self, name: str) -> set[str]:
        """Every path a traced syscall named, outside the system's own folders."""
        paths = {match.group(1) for line in self.lines(name) if (match := FIRST_PATH.match(line))}
        return {path for path in paths if path and not path.startswith(SYSTEM_PREFIXES)}

    def network_calls(self, name: str) -> list[str]:
        return [line for line in self.lines(name) if NETWORK_CALL.match(line)]


@pytest.fixture
def traces(settings, tmp_path) -> Traces:
    traces = Traces(tmp_path / "traces")
    settings.FFPROBE_BINARY = traces.wrapper("ffprobe")
    settings.FFMPEG_BINARY = traces.wrapper("ffmpeg")
    return traces


@pytest.fixture(scope="session")
def published_answer(tmp_path_factory) -> Path:
    """An answer's outputs (MP4 and an HLS rung), made once."""
    folder = tmp_path_factory.mktemp("published")
    (folder / "360p").mkdir()
    mp4 = make_clip(folder / "video.mp4", seconds=2, size="320x240")
    subprocess.run(
        ["ffmpeg", "-v", "error", "-y", "-i", str(mp4), "-c", "copy", "-f", "hls"]
        + ["-hls_playlist_type", "vod", str(folder / "360p" / "index.m3u8")],
        check=True,
        timeout=60,
    )
    return folder


@pytest.fixture
def published_elsewhere(settings, published_answer) -> dict[str, Path]:
    """Another question's published answer in the public storage: what a manifest would steal."""
    folder = Path(settings.MEDIA_ROOT) / "answers" / "autrequestion" / "v1"
    shutil.copytree(published_answer, folder)
    return {"mp4": folder / "video.mp4", "playlist": folder / "360p" / "index.m3u8"}


# --- Every format ffmpeg (Debian's 5.1) can follow to another file or URL, and text manifests it
# has no demuxer for. Each takes the files to point at and returns the manifest's text.


def hls_media_playlist(target: dict[str, Path]) -> str:
    return f"#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXTINF:2,\n{target['mp4']}\n#EXT-X-ENDLIST\n"


def hls_master_playlist(target: dict[str, Path]) -> str:
    return f"#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=300000\n{target['playlist']}\n"


def hls_through_protocols(target: dict[str, Path]) -> str:
    entries = [
        f"file:{target['mp4']}",
        f"subfile,,start,0,end,0,,:{target['mp4']}",
        f"concat:{target['mp4']}|{target['mp4']}",
        f"concatf:{target['playlist']}",
        f"cache:{target['mp4']}",
        f"crypto:{target['mp4']}",
        "http://127.0.0.1:9/video.mp4",
    ]
    body = "".join(f"#EXTINF:2,\n{entry}\n" for entry in entries)
    return f"#EXTM3U\n#EXT-X-TARGETDURATION:2\n{body}#EXT-X-ENDLIST\n"


def dash_manifest(target: dict[str, Path]) -> str:
    return (
        '<MPD xmlns="urn:mpeg:dash:schema:mpd:2011" type="static" '
        'profiles="urn:mpeg:dash:profile:isoff-on-demand:2011" mediaPresentationDuration="PT2S" '
        'minBufferTime="PT1S"><Period><AdaptationSet mimeType="video/mp4">'
        '<Representation id="1" bandwidth="300000" width="320" height="240" codecs="avc1.42c00d">'
        f"<BaseURL>{target['mp4']}</BaseURL></Representation></AdaptationSet></Period></MPD>\n"
    )


def ffconcat_script(target: dict[str, Path]) -> str:
    return (
        "ffconcat version 1.0\n"
        f"file '{target['mp4']}'\n"
        f"file 'subfile,,start,0,end,0,,:{target['mp4']}'\n"
        "file 'video.mp4'\n"
    )


def imf_composition(target: dict[str, Path]) -> str:
    uuid = "urn:uuid:0b2d6b4b-6c63-4d5e-9a4d-1e0f4a9b8c1"
    return (
        '<CompositionPlaylist xmlns="http://www.smpte-ra.org/schemas/2067-3/2016">'
        f"<Id>{uuid}0</Id><ContentTitle>{target['mp4']}</ContentTitle><EditRate>25 1</EditRate>"
        f"<SegmentList><Segment><Id>{uuid}1</Id><SequenceList><MainImageSequence>"
        f"<Id>{uuid}2</Id><TrackId>{uuid}3</TrackId><ResourceList><Resource><Id>{uuid}4</Id>"
        "<IntrinsicDuration>50</IntrinsicDuration>"
        f"<TrackFileId>{uuid}5</TrackFileId></Resource></ResourceList></MainImageSequence>"
        "</SequenceList></Segment></SegmentList></CompositionPlaylist>\n"
    )


def sdp_session(target: dict[str, Path]) -> str:
    return (
        "v=0\no=- 0 0 IN IP4 127.0.0.1\ns=answer\nc=IN IP4 127.0.0.1\nt=0 0\n"
        "m=video 5004 RTP/AVP 96\na=rtpmap:96 H264/90000\n"
        "a=control:rtsp://127.0.0.1:9/answer\n"
    )


def vobsub_index(target: dict[str, Path]) -> str:
    return (
        "# VobSub index file, v7 (do not modify this line!)\nsize: 720x480\n"
        "id: fr, index: 0\ntimestamp: 00:00:01:000, filepos: 000000000\n"
    )


def plain_m3u(target: dict[str, Path]) -> str:
    return f"{target['mp4']}\n{target['playlist']}\n"


def pls_playlist(target: dict[str, Path]) -> str:
    return f"[playlist]\nFile1={target['mp4']}\nLength1=2\nNumberOfEntries=1\nVersion=2\n"


def hds_manifest(target: dict[str, Path]) -> str:
    return (
        '<manifest xmlns="http://ns.adobe.com/f4m/1.0"><id>answer</id>'
        f'<media url="{target["mp4"]}" bitrate="300"/></manifest>\n'
    )


def smooth_streaming_manifest(target: dict[str, Path]) -> str:
    return (
        '<SmoothStreamingMedia MajorVersion="2" MinorVersion="0" Duration="20000000">'
        '<StreamIndex Type="video" Chunks="1" '
        f'Url="{target["mp4"]}/QualityLevels({{bitrate}})/Fragments(video={{start time}})">'
        '<QualityLevel Index="0" Bitrate="300000" FourCC="H264" MaxWidth="320" MaxHeight="240"/>'
        '<c d="20000000"/></StreamIndex></SmoothStreamingMedia>\n'
    )


def smil_playlist(target: dict[str, Path]) -> str:
    return f'<smil><body><switch><video src="{target["mp4"]}"/></switch></body></smil>\n'


MANIFESTS = [
    hls_media_playlist,
    hls_master_playlist,
    hls_through_protocols,
    dash_manifest,
    ffconcat_script,
    imf_composition,
    sdp_session,
    vobsub_index,
    plain_m3u,
    pls_playlist,
    hds_manifest,
    smooth_streaming_manifest,
    smil_playlist,
]


# --- Disguises: what a first-bytes check misses.


def as_is(text: str) -> bytes:
    return text.encode()


def xml_prolog_and_comment(text: str) -> bytes:
    prolog = '<?xml version="1.0" encoding="UTF-8"?>\n<!-- export du service vidéo -->\n'
    return (prolog + text).encode()


def utf8_bom(text: str) -> bytes:
    return b"\xef\xbb\xbf" + text.encode()


def blank_lines(text: str) -> bytes:
    return b"\n\n  \n\t\n" + text.encode()


def crlf(text: str) -> bytes:
    return text.replace("\n", "\r\n").encode()


def behind_an_mp4_header(text: str) -> bytes:
    """An `ftyp` box first, as a real MP4 starts: the MOV demuxer gets the file."""
    return b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2" + text.encode()


DISGUISES = [as_is, xml_prolog_and_comment, utf8_bom, blank_lines, crlf, behind_an_mp4_header]

HUMAN_REASONS = (
    "The file is a playlist or a manifest, not a video: upload the video itself.",
    "The file could not be read as a video: it is damaged, truncated or not a video.",
)


@pytest.mark.django_db
@pytest.mark.parametrize("disguise", DISGUISES, ids=lambda function: function.__name__)
@pytest.mark.parametrize("manifest", MANIFESTS, ids=lambda function: function.__name__)
def test_a_disguised_manifest_is_refused_without_opening_what_it_names(
    selected_question, tmp_path, settings, traces, published_elsewhere, manifest, disguise
):
    settings.LANGUAGE_CODE = "en"
    upload = tmp_path / "reponse.mp4"
    upload.write_bytes(disguise(manifest(published_elsewhere)))
    video = attach(selected_question, upload)

    processing.process_video(video_id=video.pk)

    video.refresh_from_db()
    assert video.state == VideoState.FAILED
    assert video.error_reason in HUMAN_REASONS
    # ffprobe touched the upload's working copy and nothing else; ffmpeg never ran.
    touched = traces.files_touched("ffprobe")
    assert len(touched) == 1 and touched.pop().endswith("/source"), traces.files_touched("ffprobe")
    assert not traces.network_calls("ffprobe")
    assert not traces.lines("ffmpeg")
    trace = "\n".join(traces.lines("ffprobe"))
    assert str(published_elsewhere["mp4"]) not in trace
    assert str(published_elsewhere["playlist"]) not in trace
    assert list_tree(storages["default"], f"answers/{selected_question.public_id}") == []


def test_the_disguise_that_passed_the_old_check_is_a_dash_manifest_ffprobe_would_follow(
    tmp_path, published_elsewhere
):
    """Control: without the allow-list, the same trace shows ffprobe opening the other video."""
    upload = tmp_path / "source"
    upload.write_bytes(xml_prolog_and_comment(dash_manifest(published_elsewhere)))
    log = tmp_path / "control.trace"
    subprocess.run(
        ["strace", "-f", "-qq", "-e", "trace=openat", "-o", str(log), "ffprobe", "-v", "quiet"]
        + ["-protocol_whitelist", "file", "-show_format", str(upload)],
        check=False,
        timeout=60,
    )
    assert f'"{published_elsewhere["mp4"]}"' in log.read_text()


# Formats ffmpeg follows to a file beside the manifest (relative names, image sequences, the
# .sub file of a VobSub index): a control run shows it, the probe does not.
SIBLING_CASES = {
    "ffconcat, relative name": ("liste.txt", "ffconcat version 1.0\nfile autre.mp4\n", "autre.mp4"),
    "VobSub index and its .sub": ("reponse.idx", vobsub_index({}), "reponse.sub"),
    "image sequence pattern": ("image-%03d.png", None, "image-001.png"),
}


@pytest.mark.parametrize("case", SIBLING_CASES, ids=str)
def test_files_beside_the_upload_are_never_opened(tmp_path, traces, case, clip):
    name, text, sibling = SIBLING_CASES[case]
    folder = tmp_path / "depot"
    folder.mkdir()
    if text is None:
        for image in (name, sibling):
            Image.new("RGB", (64, 48), "navy").save(folder / image, "PNG")
    else:
        (folder / name).write_text(text)
        shutil.copy(clip, folder / sibling)
    control = tmp_path / "control.trace"
    subprocess.run(
        ["strace", "-f", "-qq", "-e", "trace=openat", "-o", str(control), "ffprobe", "-v"]
        + ["quiet", "-protocol_whitelist", "file", "-show_format", str(folder / name)],
        check=False,
        timeout=60,
    )
    assert f'{sibling}"' in control.read_text()  # ffmpeg would open it

    with translation.override("en"), pytest.raises(InvalidMedia) as refused:
        probe_file(folder / name)

    assert str(refused.value) in (
        *HUMAN_REASONS,
        "The file is an image, not a video.",
    )
    assert traces.files_touched("ffprobe") <= {str(folder / name)}  # image2 opens nothing first


# --- Inside an accepted container: a QuickTime "reference movie" whose track's data is another
# file (a `dref` alias record, as Final Cut wrote them). ffmpeg follows it only with
# `enable_drefs`, off by default; the probe and the transcode must keep it off.

BOXES_ABOVE_DREF = {b"moov", b"trak", b"mdia", b"minf", b"dinf"}


def alias_record(path: bytes) -> bytes:
    """A Mac alias (`alis`) data reference to an absolute path, as ffmpeg's MOV demuxer reads it."""
    volume, name = b"Macintosh HD", Path(path.decode()).name.encode()
    body = (
        b"\0\0\0\0"  # version and flags: the data is not in this file
        + b"\0" * 10
        + bytes([len(volume)])
        + volume.ljust(27, b"\0")
        + b"\0" * 12
        + bytes([len(name)])
        + name.ljust(63, b"\0")
        + b"\0" * 16
        + struct.pack(">hh", 1, 1)  # levels up from the file and down to the target
        + b"\0" * 16
        + struct.pack(">HH", 2, len(path))  # type 2: the absolute path
        + path.ljust(len(path) + len(path) % 2, b"\0")
        + b"\xff\xff\0\0"
    )
    return struct.pack(">I4s", 8 + len(body), b"alis") + body


def with_external_data(data: bytes, target: bytes) -> bytes:
    """The MP4 with every track's data reference replaced (moov after mdat: offsets unchanged)."""
    out, position = b"", 0
    while position < len(data):
        size, kind = struct.unpack(">I4s", data[position : position + 8])
        box = data[position : position + size]
        if kind in BOXES_ABOVE_DREF:
            inner = with_external_data(box[8:], target)
            box = struct.pack(">I4s", 8 + len(inner), kind) + inner
        elif kind == b"dref":
            inner = b"\0\0\0\0" + struct.pack(">I", 1) + alias_record(target)
            box = struct.pack(">I4s", 8 + len(inner), kind) + inner
        out += box
        position += size
    return out


@pytest.mark.django_db
def test_an_mp4_whose_tracks_live_in_another_file_opens_only_itself(
    selected_question, tmp_path, settings, traces, published_elsewhere
):
    settings.LANGUAGE_CODE = "en"
    plain = make_clip(tmp_path / "plain.mp4", seconds=2, size="320x240")
    upload = tmp_path / "reference-movie.mov"
    upload.write_bytes(
        with_external_data(plain.read_bytes(), str(published_elsewhere["mp4"]).encode())
    )
    # A sibling named like the target too, for the relative lookup ffmpeg would try first.
    shutil.copy(published_elsewhere["mp4"], tmp_path / "video.mp4")
    video = attach(selected_question, upload)

    processing.process_video(video_id=video.pk)

    video.refresh_from_db()
    assert video.state == VideoState.FAILED and video.error_reason, video.error_reason
    work = str(settings.UPLOAD_TEMP_DIR)
    for binary in ("ffprobe", "ffmpeg"):
        assert all(path.startswith(work) for path in traces.files_touched(binary)), binary
        assert str(published_elsewhere["mp4"]) not in "\n".join(traces.lines(binary))
