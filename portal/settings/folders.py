"""The local folders the configured backends use, created on import."""

from pathlib import Path

from .base import DATABASES, DEBUG
from .queues import (
    CELERY_BEAT_SCHEDULE_FILENAME,
    CELERY_BROKER_DIR,
    CELERY_BROKER_URL,
    CELERY_RESULT_BACKEND,
)
from .storage import DJANGO_STORAGE, MEDIA_ROOT, PRIVATE_MEDIA_ROOT, STATIC_ROOT, UPLOAD_TEMP_DIR

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
