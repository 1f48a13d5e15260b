import os

import pytest
from django.conf import settings


def pytest_collection_modifyitems(config, items) -> None:
    """PostgreSQL-only tests are skipped, with the reason, on the embedded SQLite default only."""
    if settings.IS_POSTGRESQL:
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL (DATABASE_URL); the default is SQLite")
    for item in items:
        if "postgresql_only" in item.keywords:
            item.add_marker(skip)


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:
    """In CI nothing may be skipped: a skipped test fails the run."""
    skipped = terminalreporter.stats.get("skipped", [])
    if os.environ.get("HLM_FORBID_SKIPS") and skipped:
        terminalreporter.write_line(
            f"HLM_FORBID_SKIPS: {len(skipped)} test(s) skipped; CI runs everything.", red=True
        )
        terminalreporter._session.exitstatus = 1


@pytest.fixture(autouse=True)
def media_folders(tmp_path, settings):
    """Each test writes media under its own temporary folders, never into var/."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.UPLOAD_TEMP_DIR = tmp_path / "uploads"
    if settings.DJANGO_STORAGE == "local":
        storages = {**settings.STORAGES}
        storages["private"] = {
            **storages["private"],
            "OPTIONS": {"location": str(tmp_path / "private"), "base_url": None},
        }
        settings.STORAGES = storages
    return tmp_path


@pytest.fixture(autouse=True)
def fresh_cache():
    """Rate-limit counters and one-time tokens live in the cache: each test starts empty."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def default_language():
    """Each test starts in the default language: a request to /en/… leaves English active in
    the thread, which would otherwise leak into the next test's reverse() calls."""
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()
