"""Refuse, with a clear 400 page, requests carrying characters PostgreSQL cannot store in text.

A NUL (`%00`) in an id, a slug, a filter or a form field would otherwise reach a query and fail
there (a 500 on PostgreSQL, an unexplained "not found" or a silent form on SQLite). Lone
surrogates (from JSON `\\ud800` escapes or `surrogateescape` decoding) cannot be encoded for the
database either. Checked: the path, the query string and url-encoded or multipart form fields
(never the files, never other request bodies, which the view reads itself).
"""

import re
from collections.abc import Callable, Iterable

from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render

REFUSED_CHARACTERS = re.compile("[\x00\ud800-\udfff]")
FORM_CONTENT_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def has_refused_character(values: Iterable[str]) -> bool:
    return any(REFUSED_CHARACTERS.search(value) for value in values)


def query_texts(query: QueryDict) -> list[str]:
    return [text for key, values in query.lists() for text in (key, *values)]


def carries_refused_text(request: HttpRequest) -> bool:
    texts = [request.path, *query_texts(request.GET)]
    if request.method == "POST" and request.content_type in FORM_CONTENT_TYPES:
        texts += query_texts(request.POST)
    return has_refused_character(texts)


class RefusedTextMiddleware:
    """After the locale and the user are known (the page is translated and uses the layout);
    MediaFilesMiddleware, earlier, guards its own paths."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if carries_refused_text(request):
            return render(request, "400_refused_text.html", status=400)
        return self.get_response(request)
