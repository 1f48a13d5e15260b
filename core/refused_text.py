"""Text PostgreSQL cannot store: NUL characters and lone surrogates (see
portal.refused_text, which refuses such requests with a clear 400 page)."""

import re
from collections.abc import Iterable

from django.http import HttpRequest, QueryDict

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
