"""Refuse, with a clear 400 page, requests carrying characters PostgreSQL cannot store in text.

A NUL (`%00`) in an id, a slug, a filter or a form field would otherwise reach a query and fail
there (a 500 on PostgreSQL, an unexplained "not found" or a silent form on SQLite). Lone
surrogates (from JSON `\\ud800` escapes or `surrogateescape` decoding) cannot be encoded for the
database either. Checked: the path, the query string and url-encoded or multipart form fields
(never the files, never other request bodies, which the view reads itself).
"""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from core.refused_text import carries_refused_text


class RefusedTextMiddleware:
    """After the locale and the user are known (the page is translated and uses the layout);
    MediaFilesMiddleware, earlier, guards its own paths."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if carries_refused_text(request):
            return render(request, "400_refused_text.html", status=400)
        return self.get_response(request)
