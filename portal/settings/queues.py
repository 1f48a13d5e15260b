"""Celery: broker, results, reliability, the two queues and the periodic jobs (beat)."""

from celery.schedules import crontab

from .base import REDIS_URL, VAR_DIR, env

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
# Recovery from a dead worker (core.leases): a running job renews its lease every quarter of
# WORKER_LEASE_SECONDS; once it lapses, the sweeper (every MEDIA_SWEEP_SECONDS) queues the video
# again. Together with a free worker's start, under two minutes with the defaults.
WORKER_LEASE_SECONDS = env.int("WORKER_LEASE_SECONDS", default=60)
MEDIA_SWEEP_SECONDS = env.int("MEDIA_SWEEP_SECONDS", default=30)
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
# Publishing must not hang when the broker is down: fail fast. (Citizens' requests never publish:
# their e-mails are outbox rows that beat's dispatch sends.)
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
# A third queue, speech-to-text drafts: long and CPU-heavy like transcodes, never in front of them.
CELERY_TASK_ROUTES = {
    "media_pipeline.tasks.transcode_*": {"queue": "media"},
    "media_pipeline.tasks.speech_*": {"queue": "speech"},
}
# An unacknowledged task is redelivered after this long: keep it above the hard time limit, or a
# live transcode's message would be delivered to a second worker. A worker killed whole (machine
# lost) leaves its message unacknowledged until then; the lease sweeper (core.leases,
# WORKER_LEASE_SECONDS) recovers its video long before, and the late redelivery finds nothing to do.
CELERY_BROKER_TRANSPORT_OPTIONS: dict = {"visibility_timeout": CELERY_TASK_TIME_LIMIT + 15 * 60}
if CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
    CELERY_BROKER_TRANSPORT_OPTIONS |= {"socket_connect_timeout": 2, "socket_timeout": 5}
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {"visibility_timeout": CELERY_TASK_TIME_LIMIT + 15 * 60}
if CELERY_BROKER_URL.startswith("filesystem://"):
    # kombu's, with each message written aside then renamed into place (see the module).
    CELERY_BROKER_TRANSPORT = "portal.filesystem_broker:Transport"
    CELERY_BROKER_TRANSPORT_OPTIONS |= {
        "data_folder_in": str(CELERY_BROKER_DIR / "queue"),
        "data_folder_out": str(CELERY_BROKER_DIR / "queue"),
        # Absolute: the default is relative to the working directory.
        "control_folder": str(CELERY_BROKER_DIR / "control"),
    }

# --- Periodic jobs (Celery beat); each task is thin and idempotent ------------------------------
# E-mails: the outbox's new rows every few seconds (a queued dispatch that waited a whole interval
# expires: the next one does its work), failed ones retried every minute.
OUTBOX_DISPATCH_SECONDS = env.float("OUTBOX_DISPATCH_SECONDS", default=5.0)
# Plays counted in Redis are added to the daily counters this often (statistics.play_buffer).
PLAY_FLUSH_SECONDS = env.float("PLAY_FLUSH_SECONDS", default=10.0)
CELERY_BEAT_SCHEDULE: dict = {
    "dispatch-outbox": {
        "task": "questions.dispatch_outbox",
        "schedule": OUTBOX_DISPATCH_SECONDS,
        "options": {"expires": OUTBOX_DISPATCH_SECONDS},
    },
    "sweep-outbox": {"task": "questions.sweep_outbox", "schedule": 60.0},
    "flush-plays": {
        "task": "portal.flush_plays",
        "schedule": PLAY_FLUSH_SECONDS,
        "options": {"expires": PLAY_FLUSH_SECONDS},
    },
    "sweep-stuck-videos": {
        "task": "media_pipeline.tasks.sweep_stuck_videos",
        "schedule": float(MEDIA_SWEEP_SECONDS),
    },
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
