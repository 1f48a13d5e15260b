"""The master playlist's audio rendition as players list it: the language spoken, named in it."""

from pathlib import Path

import pytest

from media_pipeline.probe import ProbeFacts
from media_pipeline.transcode import (
    bcp47,
    build_command,
    ladder_for,
    language_name,
    name_audio_rendition,
)

# What ffmpeg 5.1's hls muxer writes: NAME="audio_<n>" whatever var_stream_map's `name:`.
FFMPEG_MASTER = """#EXTM3U
#EXT-X-VERSION:7
#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="group_audio",NAME="audio_2",DEFAULT=YES,LANGUAGE="ar",URI="audio/index.m3u8"
#EXT-X-STREAM-INF:BANDWIDTH=900000,RESOLUTION=640x360,CODECS="avc1.64001e,mp4a.40.2",AUDIO="group_audio"
360p/index.m3u8
"""


@pytest.mark.parametrize(
    ("code", "tag"), [("fr", "fr"), ("zh-hans", "zh-Hans"), ("pt-br", "pt-BR"), ("AR", "ar")]
)
def test_portal_language_codes_become_bcp47_tags(code, tag):
    assert bcp47(code) == tag


def test_the_audio_rendition_is_named_in_its_own_language(tmp_path: Path):
    master = tmp_path / "master.m3u8"
    master.write_text(FFMPEG_MASTER, encoding="utf-8")
    name_audio_rendition(master, language_name("ar"))
    text = master.read_text(encoding="utf-8")
    assert 'GROUP-ID="group_audio",NAME="العربية",DEFAULT=YES,LANGUAGE="ar"' in text
    assert "audio_2" not in text
    assert text.replace('NAME="العربية"', 'NAME="audio_2"') == FFMPEG_MASTER  # nothing else


def test_the_encode_asks_ffmpeg_for_the_language_tag(tmp_path: Path):
    facts = ProbeFacts(
        format_name="mov,mp4,m4a,3gp,3g2,mj2",
        duration=3.0,
        size=100_000,
        width=640,
        height=360,
        rotation=0,
        video_codec="h264",
        audio_codec="aac",
        fps=25.0,
        bit_rate=800_000,
    )
    command = build_command(tmp_path / "in.mp4", tmp_path, facts, ladder_for(facts), "zh-hans")
    stream_map = command[command.index("-var_stream_map") + 1]
    assert "a:0,agroup:audio,default:yes,language:zh-Hans,name:audio" in stream_map
    default = build_command(tmp_path / "in.mp4", tmp_path, facts, ladder_for(facts))
    assert "language:fr," in default[default.index("-var_stream_map") + 1]
