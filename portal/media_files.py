"""Media on local disk served by the portal itself (`make run`; SERVE_MEDIA).

whitenoise answers HTTP Range (seeking in the MP4 fallback: 206 Partial Content), HEAD and
conditional requests, which django.views.static.serve does not. It re-reads the folder on each
request (autorefresh) because transcodes add files while the portal runs. In production a proxy,
the bucket or its CDN serves media instead.
"""

import os
from collections.abc import Callable, Iterator
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import MiddlewareNotUsed
from django.http import HttpRequest, HttpResponse
from whitenoise.base import WhiteNoise
from whitenoise.middleware import WhiteNoiseMiddleware
from whitenoise.string_utils import ensure_leading_trailing_slash

CAPTIONS_FOLDER = "captions/"


class _MediaRoot(WhiteNoise):
    """MEDIA_ROOT under MEDIA_URL, read from the settings at each request (tests override it)."""

    def candidate_paths_for_url(self, url: str) -> Iterator[str]:
        root = os.path.abspath(settings.MEDIA_ROOT).rstrip(os.path.sep) + os.path.sep
        prefix = _media_prefix()
        if url.startswith(prefix):
            path = os.path.join(root, url[len(prefix) :])
            if self.path_is_child_of(path, root):  # no way out of MEDIA_ROOT
                yield path

    def add_mime_headers(self, headers, path: str, url: str) -> None:
        # Captions are WebVTT whatever their name (older uploads kept the uploader's).
        if url.startswith(_media_prefix() + CAPTIONS_FOLDER):
            headers["Content-Type"] = "text/vtt; charset=utf-8"
            return
        super().add_mime_headers(headers, path, url)


def _media_prefix() -> str:
    return ensure_leading_trailing_slash(urlsplit(settings.MEDIA_URL).path)


class MediaFilesMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        if not settings.SERVE_MEDIA:
            raise MiddlewareNotUsed
        self.get_response = get_response
        self.files = _MediaRoot(application=None, autorefresh=True, max_age=60)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # A NUL would make the file lookup raise; RefusedTextMiddleware answers 400 later.
        if request.path_info.startswith(_media_prefix()) and "\x00" not in request.path_info:
            media_file = self.files.find_file(request.path_info)
            if media_file is not None:
                return WhiteNoiseMiddleware.serve(media_file, request)
        return self.get_response(request)
