from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from core.urls import absolute_reverse, absolute_url
from portal.opendata.columns import COLUMNS
from portal.opendata.dumps import latest_dumps
from portal.opendata.filters import DEFAULT_LIMIT, MAX_LIMIT
from portal.opendata.models import DumpFormat
from portal.opendata.schema import LICENCE_NAME, LICENCE_URL


@require_safe
def open_data(request: HttpRequest) -> HttpResponse:
    """What the dataset holds, its columns, its licence, the files and the API."""
    dumps = latest_dumps()
    return render(
        request,
        "opendata/page.html",
        {
            "columns": COLUMNS,
            "csv": dumps.get(DumpFormat.CSV),
            "json": dumps.get(DumpFormat.JSON),
            "licence_name": LICENCE_NAME,
            "licence_url": LICENCE_URL,
            "api_url": absolute_reverse("opendata:api_questions"),
            "schema_url": absolute_reverse("opendata:openapi"),
            "csv_url": absolute_reverse("opendata:download", kwargs={"format": "csv"}),
            "json_url": absolute_reverse("opendata:download", kwargs={"format": "json"}),
            "default_limit": DEFAULT_LIMIT,
            "max_limit": MAX_LIMIT,
        },
    )


@require_safe
@cache_control(public=True, max_age=5 * 60)
def download(request: HttpRequest, format: str) -> HttpResponse:
    """A stable address for harvesters: redirects to the latest file of that format."""
    dump = latest_dumps().get(format)
    if dump is None:
        raise Http404
    return HttpResponseRedirect(absolute_url(dump.file.url))
