"""Settings for Hors les Murs, read from environment variables.

Every variable is optional: the embedded defaults need no server (SQLite, local media, a
filesystem Celery broker, e-mail to the console). Production and CI point the same code at
PostgreSQL, Redis and S3 by environment alone; see README.md, "Deploying".
"""

from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONCE

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(environ.Env().str("HLM_VAR_DIR", default=str(BASE_DIR / "var")))

env = environ.Env()

DEBUG = env.bool("DJANGO_DEBUG", default=True)
# The embedded key only serves development; production refuses to start without DJANGO_SECRET_KEY.
SECRET_KEY = env.str(
    "DJANGO_SECRET_KEY",
    **({"default": "dev-only-insecure-key-change-me-0123456789-abcdefghijklmnop"} if DEBUG else {}),
)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django.forms",  # FORM_RENDERER = TemplatesSetting finds Django's own widget templates here
    "crispy_forms",
    "dsfr",
    "django_ratelimit",
    "events",
    "questions",
    "media_pipeline",
    "portal",
    "csp",
    "axes",
]

MIDDLEWARE = [
    "portal.logs.RequestIdMiddleware",  # first: every log line of the request carries its id
    "portal.security.PermissionsPolicyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "portal.media_files.MediaFilesMiddleware",  # only with SERVE_MEDIA
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # NUL bytes and lone surrogates in the path, query or form: a 400 page, never a 500.
    "portal.refused_text.RefusedTextMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Turns django-ratelimit's refusals into the friendly 429 page (RATELIMIT_VIEW).
    "django_ratelimit.middleware.RatelimitMiddleware",
    # Admin brute-force protection; last, as django-axes requires.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Web, worker and tests share one file: wait for locks instead of failing, write-ahead log.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 30,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    # A file, not memory, so that a Celery worker started by the tests sees the test database.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test-db.sqlite3")}
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
IS_POSTGRESQL = DATABASES["default"]["ENGINE"].endswith("postgresql")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache and Celery broker -----------------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            # Redis down = cache misses and a logged warning, never a failed page.
            "BACKEND": "portal.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default="hlm"),
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 2},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

CELERY_BROKER_DIR = VAR_DIR / "celery"
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL or "filesystem://")
CELERY_RESULT_BACKEND = env.str(
    "CELERY_RESULT_BACKEND",
    default=REDIS_URL or f"file://{CELERY_BROKER_DIR / 'results'}",
)
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=55 * 60)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=60 * 60)
# Reliability (DESIGN.md): a task is acknowledged only once done, and comes back if its worker dies.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_RESULT_EXPIRES = 24 * 3600
CELERY_TIMEZONE = "Europe/Paris"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Where beat remembers when each periodic job last ran.
CELERY_BEAT_SCHEDULE_FILENAME = env.str(
    "CELERY_BEAT_SCHEDULE_FILE", default=str(VAR_DIR / "celerybeat-schedule")
)
# Publishing from a web request must not hang when the broker is down: fail fast, the outbox
# sweep (beat) sends what could not be queued.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = 2
CELERY_REDIS_SOCKET_TIMEOUT = 5
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
}
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# Two queues: transcodes never delay a citizen's e-mail.
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_ROUTES = {"media_pipeline.tasks.transcode_*": {"queue": "media"}}
# An unacknowledged task is redelivered after this long: keep it above the hard time limit.
CELERY_BROKER_TRANSPORT_OPTIONS: dict = {"visibility_timeout": CELERY_TASK_TIME_LIMIT + 15 * 60}
if CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
    CELERY_BROKER_TRANSPORT_OPTIONS |= {"socket_connect_timeout": 2, "socket_timeout": 5}
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {"visibility_timeout": CELERY_TASK_TIME_LIMIT + 15 * 60}
if CELERY_BROKER_URL.startswith("filesystem://"):
    CELERY_BROKER_TRANSPORT_OPTIONS |= {
        "data_folder_in": str(CELERY_BROKER_DIR / "queue"),
        "data_folder_out": str(CELERY_BROKER_DIR / "queue"),
        # Absolute: the default is relative to the working directory.
        "control_folder": str(CELERY_BROKER_DIR / "control"),
    }

# --- Passwords, users -----------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "admin:login"

# --- Languages --------------------------------------------------------------------------------
LANGUAGE_CODE = "fr"
LANGUAGES = [
    ("fr", "Français"),
    ("en", "English"),
    ("de", "Deutsch"),
    ("es", "Español"),
    ("ar", "العربية"),
    ("zh-hans", "简体中文"),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

# --- Static files and media -------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = env.str("MEDIA_URL", default="/media/")
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
PRIVATE_MEDIA_ROOT = Path(env.str("PRIVATE_MEDIA_ROOT", default=str(VAR_DIR / "private")))
UPLOAD_TEMP_DIR = Path(env.str("UPLOAD_TEMP_DIR", default=str(VAR_DIR / "uploads")))

DJANGO_STORAGE = env.str("DJANGO_STORAGE", default="local")
# collectstatic writes gzip and Brotli copies that whitenoise serves; production adds hashed names.
_static_backend = (
    "whitenoise.storage.CompressedStaticFilesStorage"
    if DEBUG
    else "whitenoise.storage.CompressedManifestStaticFilesStorage"
)
# In development whitenoise also finds files in their source folders (no collectstatic needed);
# `make run` collects them and turns this off, so it serves the compressed copies as production.
WHITENOISE_USE_FINDERS = env.bool("WHITENOISE_USE_FINDERS", default=DEBUG)
# Media on local disk are served by the portal (portal.media_files, with HTTP Range) in
# development; in production a proxy, the bucket or its CDN serves them.
SERVE_MEDIA = env.bool("SERVE_MEDIA", default=DEBUG and DJANGO_STORAGE == "local")
# django-dsfr's integrity hashes are those of its files as shipped; the manifest storage rewrites
# the url()s inside its CSS, so browsers would refuse the stylesheets (same-origin files anyway).
DSFR_USE_INTEGRITY_CHECKSUMS = False
if DJANGO_STORAGE == "s3":
    _s3_common = {
        "bucket_name": env.str("AWS_STORAGE_BUCKET_NAME", default="hors-les-murs"),
        "endpoint_url": env.str("S3_ENDPOINT_URL", default="") or None,
        "access_key": env.str("AWS_ACCESS_KEY_ID", default="") or None,
        "secret_key": env.str("AWS_SECRET_ACCESS_KEY", default="") or None,
        "region_name": env.str("AWS_S3_REGION_NAME", default="eu-west-3"),
        "addressing_style": env.str("AWS_S3_ADDRESSING_STYLE", default="path"),
        "signature_version": "s3v4",
        "file_overwrite": False,
    }
    STORAGES = {
        # Published outputs (HLS, MP4, posters, captions): public, cacheable URLs.
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                **_s3_common,
                "location": "public",
                "default_acl": "public-read",
                "querystring_auth": False,
                "custom_domain": env.str("AWS_S3_CUSTOM_DOMAIN", default="") or None,
            },
        },
        # Uploaded sources: private, reachable only through short-lived signed URLs.
        "private": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                **_s3_common,
                "location": "private",
                "default_acl": "private",
                "querystring_auth": True,
                "querystring_expire": 3600,
            },
        },
        "staticfiles": {"BACKEND": _static_backend},
    }
else:
    STORAGES = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(PRIVATE_MEDIA_ROOT), "base_url": None},
        },
        "staticfiles": {"BACKEND": _static_backend},
    }

# --- E-mail -------------------------------------------------------------------------------------
# Production refuses to start without a real mail backend: addresses and confirmation links
# must not end up in the logs (an explicit console backend fails `check --deploy`, portal.checks).
EMAIL_CONFIG = env.email_url("EMAIL_URL", **({"default": "consolemail://"} if DEBUG else {}))
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str(
    "DEFAULT_FROM_EMAIL", default="Hors les Murs <ne-pas-repondre@horslesmurs.diplomatie.gouv.fr>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Media pipeline -----------------------------------------------------------------------------
FFMPEG_BINARY = env.str("FFMPEG_BINARY", default="ffmpeg")
FFPROBE_BINARY = env.str("FFPROBE_BINARY", default="ffprobe")
MEDIA_MAX_UPLOAD_BYTES = env.int("MEDIA_MAX_UPLOAD_BYTES", default=8 * 1024**3)
MEDIA_MAX_DURATION_SECONDS = env.int("MEDIA_MAX_DURATION_SECONDS", default=60 * 60)
MEDIA_MAX_WIDTH = env.int("MEDIA_MAX_WIDTH", default=4096)
MEDIA_MAX_HEIGHT = env.int("MEDIA_MAX_HEIGHT", default=4096)
MEDIA_LADDER_HEIGHTS = env.list("MEDIA_LADDER_HEIGHTS", cast=int, default=[1080, 720, 480, 360])
MEDIA_HLS_SEGMENT_SECONDS = env.int("MEDIA_HLS_SEGMENT_SECONDS", default=4)
MEDIA_X264_PRESET = env.str("MEDIA_X264_PRESET", default="veryfast")
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
# Speech-to-text drafts of captions: "pocketsphinx" (bundled US-English model) or the dotted path
# of an engine class (see media_pipeline/speech/); work files in SPEECH_WORK_DIR (system temp).
SPEECH_ENGINE = env.str("SPEECH_ENGINE", default="pocketsphinx")
SPEECH_AUDIO_TIMEOUT_SECONDS = env.int("SPEECH_AUDIO_TIMEOUT_SECONDS", default=10 * 60)
SPEECH_WORK_DIR = env.str("SPEECH_WORK_DIR", default=None)

# --- Questions ----------------------------------------------------------------------------------
QUESTION_CONFIRMATION_MAX_AGE_SECONDS = env.int(
    "QUESTION_CONFIRMATION_MAX_AGE_SECONDS", default=48 * 3600
)
REJECTED_QUESTION_RETENTION_DAYS = env.int("REJECTED_QUESTION_RETENTION_DAYS", default=90)
QUESTION_MIN_FILL_SECONDS = env.int("QUESTION_MIN_FILL_SECONDS", default=3)
# A question form older than this is refused (its signed timestamp has expired): reload the page.
QUESTION_FORM_MAX_AGE_SECONDS = env.int("QUESTION_FORM_MAX_AGE_SECONDS", default=12 * 3600)
QUESTIONS_PER_PAGE = env.int("QUESTIONS_PER_PAGE", default=20)

# --- Rate limits (django-ratelimit on the default cache, i.e. Redis in production) -------------
# "<count>/<period>" with period s, m, h or d. Keys: client IP (key="ip") and normalised e-mail.
RATELIMIT_VIEW = "portal.views.ratelimited"
RATELIMIT_QUESTION_PER_IP = env.str("RATELIMIT_QUESTION_PER_IP", default="10/h")
RATELIMIT_QUESTION_PER_EMAIL = env.str("RATELIMIT_QUESTION_PER_EMAIL", default="5/h")
RATELIMIT_RESEND_PER_IP = env.str("RATELIMIT_RESEND_PER_IP", default="10/h")
RATELIMIT_RESEND_PER_EMAIL = env.str("RATELIMIT_RESEND_PER_EMAIL", default="3/h")
RATELIMIT_SUPPORT_PER_IP = env.str("RATELIMIT_SUPPORT_PER_IP", default="60/h")
# Play beacons (start and end of each play) per client IP: generous, a school shares one address.
RATELIMIT_PLAY_PER_IP = env.str("RATELIMIT_PLAY_PER_IP", default="600/h")

# --- Forms and design system --------------------------------------------------------------------
CRISPY_ALLOWED_TEMPLATE_PACKS = ["crispy_dsfr"]
CRISPY_TEMPLATE_PACK = "crispy_dsfr"
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

# --- Security (production values switch on when DEBUG is off) ------------------------------------
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    # The TLS proxy in front of the app says "https" in X-Forwarded-Proto; nothing else may.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    # /healthz is probed over plain HTTP by the load balancer.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
# Staff sessions end after a working day (citizens have no accounts).
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE_SECONDS", default=12 * 3600)
# Powerful browser features no page uses (fullscreen stays allowed: the video player needs it).
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
# Number of reverse proxies in front of the app whose X-Forwarded-For entries are trusted
# (0: the client is REMOTE_ADDR). See portal.security.client_ip.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
# /healthz's deep check (every dependency, with errors) for monitoring: `Authorization: Bearer
# <token>` from anywhere, or any request from loopback. Empty: loopback only.
HEALTHZ_TOKEN = env.str("HEALTHZ_TOKEN", default="")


# Content-Security-Policy (django-csp 4). No inline script or style: JS and CSS are static files,
# inline code needs nonce="{{ request.csp_nonce }}". Published media may live on another origin
# (S3 or a CDN): CSP_MEDIA_ORIGINS, by default the S3 public origin when DJANGO_STORAGE=s3.
# A view that must be framed (the embed page) uses portal.security.allow_framing.
_default_media_origins = []
if DJANGO_STORAGE == "s3":
    _s3_public = env.str("AWS_S3_CUSTOM_DOMAIN", default="") or env.str(
        "S3_ENDPOINT_URL", default=""
    )
    if _s3_public:
        _default_media_origins = [_s3_public if "://" in _s3_public else f"https://{_s3_public}"]
    else:
        _default_media_origins = ["https://*.amazonaws.com"]
CSP_MEDIA_ORIGINS = env.list("CSP_MEDIA_ORIGINS", default=_default_media_origins)
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", NONCE],
        "style-src": ["'self'", NONCE],
        "img-src": ["'self'", "data:", *CSP_MEDIA_ORIGINS],
        "font-src": ["'self'", "data:"],
        # hls.js fetches playlists and segments, and plays them from blob: URLs in a worker.
        "media-src": ["'self'", "blob:", *CSP_MEDIA_ORIGINS],
        "connect-src": ["'self'", *CSP_MEDIA_ORIGINS],
        "worker-src": ["'self'", "blob:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "frame-src": ["'none'"],
        "manifest-src": ["'self'"],
    }
}
if not DEBUG:
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["upgrade-insecure-requests"] = True
if env.str("CSP_REPORT_URI", default=""):
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["report-uri"] = [env.str("CSP_REPORT_URI")]
# Where the embed page may be framed (portal.security.allow_framing): any HTTPS site by default.
EMBED_FRAME_ANCESTORS = env.list("EMBED_FRAME_ANCESTORS", default=["'self'", "https:"])

# Admin brute-force protection (django-axes): after AXES_FAILURE_LIMIT failed logins for one
# username from one client IP, that pair is locked out for AXES_COOLOFF_HOURS.
AUTHENTICATION_BACKENDS = [
    "portal.security.LoginAttemptsBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=1.0)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "portal.security.client_ip"
AXES_LOCKOUT_TEMPLATE = "portal/login_locked_out.html"

# Rate limits (django-ratelimit, key="ip") count on the shared cache, per real client IP.
RATELIMIT_IP_META_KEY = "portal.security.client_ip"
# If Redis is down the cache answers "miss" (portal.cache); let citizens through rather than
# refuse everyone, and log it.
RATELIMIT_FAIL_OPEN = True
# ResilientRedisCache subclasses Django's RedisCache (atomic INCR), which django-ratelimit's check
# does not recognise by name.
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.W001"]
if not REDIS_URL:
    # Without Redis the default cache is per process: limits hold per process only (development,
    # tests, a single-process trial). Production sets REDIS_URL.
    SILENCED_SYSTEM_CHECKS += ["django_ratelimit.E003"]

# --- Logging: one JSON object per line in production (LOG_FORMAT=json), with the request id ---
LOG_FORMAT = env.str("LOG_FORMAT", default="plain" if DEBUG else "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"context": {"()": "portal.logs.ContextFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {"()": "portal.logs.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["context"],
        }
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        # Django's own request log duplicates portal.requests (one line per request).
        "django.server": {"level": "WARNING"},
    },
}

# --- Periodic jobs (Celery beat); each task is thin and idempotent ------------------------------
CELERY_BEAT_SCHEDULE: dict = {
    "sweep-outbox": {"task": "questions.sweep_outbox", "schedule": 60.0},
    "sweep-stuck-videos": {"task": "media_pipeline.tasks.sweep_stuck_videos", "schedule": 120.0},
    "clean-abandoned-uploads": {
        "task": "media_pipeline.tasks.clean_abandoned_uploads",
        "schedule": 3600.0,
    },
}
# Privacy (RGPD): expired unconfirmed questions hourly; rejected ones anonymised nightly.
CELERY_BEAT_SCHEDULE |= {
    "purge-unconfirmed-questions": {
        "task": "questions.purge_unconfirmed_questions",
        "schedule": 3600.0,
    },
    "anonymise-rejected-questions": {
        "task": "questions.anonymise_rejected_questions",
        "schedule": crontab(hour=3, minute=30),
    },
}
# Open data: the CSV and JSON files, after the night's privacy jobs.
CELERY_BEAT_SCHEDULE["export-open-data"] = {
    "task": "portal.export_open_data",
    "schedule": crontab(hour=4, minute=15),
}

# --- Folders ------------------------------------------------------------------------------------
# Created here, before any command opens them, so that a fresh clone's first command (migrate, a
# worker, beat) works wherever HLM_VAR_DIR points. Only the folders the configured backends use:
# with PostgreSQL, Redis and S3, that is the upload folder and beat's.
LOCAL_FOLDERS = [Path(UPLOAD_TEMP_DIR), Path(CELERY_BEAT_SCHEDULE_FILENAME).parent]
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    LOCAL_FOLDERS.append(Path(DATABASES["default"]["NAME"]).parent)
if CELERY_BROKER_URL.startswith("filesystem://"):
    LOCAL_FOLDERS += [CELERY_BROKER_DIR / "queue", CELERY_BROKER_DIR / "control"]
if CELERY_RESULT_BACKEND.startswith("file://"):
    LOCAL_FOLDERS.append(Path(CELERY_RESULT_BACKEND.removeprefix("file://")))
if DJANGO_STORAGE == "local":
    LOCAL_FOLDERS += [MEDIA_ROOT, PRIVATE_MEDIA_ROOT]
if DEBUG:
    LOCAL_FOLDERS.append(STATIC_ROOT)  # production builds it with collectstatic
for _folder in LOCAL_FOLDERS:
    _folder.mkdir(parents=True, exist_ok=True)
