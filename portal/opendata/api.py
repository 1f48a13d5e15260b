"""The open-data JSON API (/api/v1/): read-only, anonymous, served from the page cache like the
public pages (core.cached_pages: one Redis read per hit, ETag and 304, gzip and Brotli; a
question approved, answered or withdrawn bumps the site's generation). Supports counted since
are at most API_CACHE_SECONDS old."""

from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from core.cached_pages import public_page
from core.urls import absolute_reverse
from portal.opendata.filters import RecordFilterForm, encode_cursor
from portal.opendata.records import public_records, to_record
from portal.opendata.schema import openapi_document

API_CACHE_SECONDS = 5 * 60
JSON_OPTIONS = {"ensure_ascii": False}
LIST_PARAMS = list(RecordFilterForm.base_fields)


def _open(response: JsonResponse) -> JsonResponse:
    # Open data: any site may read it from a browser (no cookie is read or set).
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _error(message: str, status: int, fields: dict | None = None) -> JsonResponse:
    body = {"error": message} | ({"fields": fields} if fields else {})
    return _open(JsonResponse(body, status=status, json_dumps_params=JSON_OPTIONS))


@require_safe
@public_page(params=LIST_PARAMS, timeout=API_CACHE_SECONDS)
def question_list(request: HttpRequest) -> JsonResponse:
    form = RecordFilterForm(request.GET)
    if not form.is_valid():
        fields = {
            name: [str(message) for message in errors] for name, errors in form.errors.items()
        }
        return _error("invalid parameters", 400, fields)
    # One row more than asked says whether a next page exists, without a COUNT.
    page = list(form.apply(public_records())[: form.page_size + 1])
    has_next = len(page) > form.page_size
    page = page[: form.page_size]
    next_url = None
    if has_next:
        query = {key: value for key, value in request.GET.items() if key != "cursor"}
        query["cursor"] = encode_cursor(page[-1].pk)
        next_url = absolute_reverse("opendata:api_questions", query=query)
    body = {"results": [to_record(question) for question in page], "next": next_url}
    response = _open(JsonResponse(body, json_dumps_params=JSON_OPTIONS))
    if next_url:
        response["Link"] = f'<{next_url}>; rel="next"'
    return response


@require_safe
@public_page(timeout=API_CACHE_SECONDS)
def question_detail(request: HttpRequest, public_id: str) -> JsonResponse:
    question = public_records().filter(public_id=public_id).first()
    if question is None:
        return _error("not found", 404)
    return _open(JsonResponse(to_record(question), json_dumps_params=JSON_OPTIONS))


@require_safe
@cache_control(public=True, max_age=60 * 60)
def openapi(request: HttpRequest) -> JsonResponse:
    return _open(JsonResponse(openapi_document(), json_dumps_params=JSON_OPTIONS))
