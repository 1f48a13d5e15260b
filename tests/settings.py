"""Test settings: the project's settings with test-only folders and speed-ups.

Celery workers started by the tests use this module too (with HLM_TEST_WORKER=1), so they share
the test database, broker folder, storage and e-mail outbox folder with the test process.
"""

import os
from pathlib import Path

os.environ.setdefault("HLM_VAR_DIR", str(Path(__file__).resolve().parent.parent / "var" / "test"))
os.environ.setdefault("CACHE_KEY_PREFIX", "hlm-test")

from portal.settings import *  # noqa: E402,F403
from portal.settings import DATABASES, VAR_DIR  # noqa: E402

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Static files found when asked for, as in development: without it every test client's whitenoise
# middleware indexes the ~1,750 files of the apps' static folders (DEBUG is off during tests),
# most of the fast suite's time.
WHITENOISE_AUTOREFRESH = True

_database = DATABASES["default"]
if "TEST" not in _database or "NAME" not in _database["TEST"]:
    _database["TEST"] = {"NAME": f"test_{_database['NAME']}"}
if os.environ.get("HLM_TEST_WORKER"):
    # A worker process started by a test reads and writes the test database.
    _database["NAME"] = _database["TEST"]["NAME"]
    # E-mails sent by the worker land in files the tests can read (or, with HLM_TEST_SMTP_PORT,
    # go to the test's own SMTP server).
    if os.environ.get("HLM_TEST_SMTP_PORT"):
        EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        EMAIL_HOST, EMAIL_PORT = "127.0.0.1", int(os.environ["HLM_TEST_SMTP_PORT"])
        EMAIL_USE_TLS = EMAIL_USE_SSL = False
        EMAIL_HOST_USER = EMAIL_HOST_PASSWORD = ""
    else:
        EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
        EMAIL_FILE_PATH = str(VAR_DIR / "worker-mail")
