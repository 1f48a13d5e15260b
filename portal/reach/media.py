"""Absolute URLs, sizes and types of published media files, as feeds and share cards need them."""

import hashlib
import logging
import mimetypes

from django.core.cache import cache
from django.db.models.fields.files import FieldFile

from core.urls import absolute_url

SIZE_CACHE_SECONDS = 7 * 24 * 3600
logger = logging.getLogger(__name__)


def file_url(file: FieldFile) -> str:
    """Storage URLs are absolute on S3 and site-relative on local disk; outputs need absolute."""
    return absolute_url(file.url) if file else ""


def mime_type(file: FieldFile, default: str) -> str:
    return mimetypes.guess_type(file.name or "")[0] or default


def _size_key(name: str) -> str:
    return "reach:size:" + hashlib.sha256(name.encode()).hexdigest()


def file_sizes(files: list[FieldFile]) -> dict[str, int]:
    """Sizes in bytes by file name; one cache round trip, the storage only for unknown files.

    Output files are written once under a versioned prefix and never modified, so a size, once
    known, stays true (a retry writes new names).
    """
    names = {file.name for file in files if file}
    keys = {_size_key(name): name for name in names}
    cached = cache.get_many(list(keys))
    sizes = {keys[key]: size for key, size in cached.items()}
    missing = {}
    for file in files:
        if file and file.name not in sizes and file.name not in missing:
            try:
                missing[file.name] = file.storage.size(file.name)
            except Exception:  # any storage failure: say "length unknown", never fail the feed
                logger.warning("Size of %s unavailable", file.name, exc_info=True)
                missing[file.name] = 0
    if missing:
        cache.set_many(
            {_size_key(name): size for name, size in missing.items() if size},
            SIZE_CACHE_SECONDS,
        )
    return sizes | missing
