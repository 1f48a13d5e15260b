"""A fresh clone's first commands, with nothing configured: settings create the folders the
embedded defaults use, wherever HLM_VAR_DIR points, before anything opens them."""

import json
import os
import subprocess
import sys

import pytest

from tests.production import ROOT

pytestmark = pytest.mark.slow

SHOW_SETTINGS = (
    "import json, django; django.setup(); from django.conf import settings as s; "
    "print(json.dumps({'beat': s.CELERY_BEAT_SCHEDULE_FILENAME, 'site': s.SITE_URL}))"
)


def python(code_or_args: list[str], **env: str) -> subprocess.CompletedProcess:
    """This virtualenv's python in the project folder, with no configuration but `env`."""
    return subprocess.run(
        [sys.executable, *code_or_args],
        cwd=ROOT,
        env={"PATH": os.environ["PATH"], "DJANGO_SETTINGS_MODULE": "portal.settings", **env},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_migrate_works_on_a_var_folder_that_does_not_exist_yet(tmp_path):
    var_dir = tmp_path / "not" / "yet" / "var"
    result = python(["manage.py", "migrate", "--noinput", "-v", "0"], HLM_VAR_DIR=str(var_dir))
    assert result.returncode == 0, result.stderr
    assert (var_dir / "db.sqlite3").is_file()
    for folder in ["celery/queue", "celery/control", "celery/results", "media", "private"] + [
        "uploads",
        "static",
    ]:
        assert (var_dir / folder).is_dir(), folder


def test_beat_keeps_its_schedule_in_the_var_folder(tmp_path):
    var_dir = tmp_path / "elsewhere"
    result = python(["-c", SHOW_SETTINGS], HLM_VAR_DIR=str(var_dir))
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.splitlines()[-1])["beat"] == str(
        var_dir / "celerybeat-schedule"
    )


def test_with_servers_configured_no_embedded_folder_is_made(tmp_path):
    var_dir = tmp_path / "var"
    result = python(
        ["-c", SHOW_SETTINGS],
        HLM_VAR_DIR=str(var_dir),
        DATABASE_URL="postgres://portal@db.hlm.test:5432/hlm",
        REDIS_URL="redis://redis.hlm.test:6379/0",
        DJANGO_STORAGE="s3",
        UPLOAD_TEMP_DIR=str(tmp_path / "shared-uploads"),
        CELERY_BEAT_SCHEDULE_FILE=str(tmp_path / "beat" / "schedule"),
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY="x" * 50,
        EMAIL_URL="smtp://smtp.hlm.test:25",
    )
    assert result.returncode == 0, result.stderr
    assert not var_dir.exists()
    assert (tmp_path / "shared-uploads").is_dir() and (tmp_path / "beat").is_dir()
