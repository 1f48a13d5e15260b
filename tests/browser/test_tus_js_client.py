"""The official JavaScript tus client (tus-js-client, pinned in package.json and vendored) in
Chromium on the staff page: checksummed chunks, a network cut, a closed tab resumed from the URL
the client stored, the same file sent again, creation-with-upload and X-HTTP-Method-Override.

Like axe-core, the client is evaluated through the DevTools protocol: the page's CSP stays on.
"""

import base64
from functools import cache
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.storage import storages
from django.test import Client
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import Page

from media_pipeline.models import AnswerVideo, UploadSession, VideoState
from portal.roles import SPOKESPERSON_STAFF
from questions.models import QuestionState
from tests.browser.media import make_clip
from tests.factories import QuestionFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

HERE = Path(__file__).parent
CHUNK = 8 * 1024


@cache
def client_source() -> str:
    tus = (HERE / "vendor" / "tus.min.js").read_text(encoding="utf-8")
    return tus + "\n;" + (HERE / "tus_client.js").read_text(encoding="utf-8") + "\n;undefined"


def open_staff_page(page: Page, live_server) -> dict:
    """Sign a staff member in (session cookie), open the staff page, load the client there."""
    browser = Client()
    browser.force_login(UserFactory(groups=[SPOKESPERSON_STAFF]))
    session = browser.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}]
    )
    with translation.override("fr"):
        page.goto(reverse("media_pipeline:staff"))
        endpoint = live_server.url + reverse("media_pipeline:upload_create")
    page.evaluate(client_source())
    csrf = page.locator("input[name=csrfmiddlewaretoken]").first.input_value()
    return {"endpoint": endpoint, "csrfToken": csrf, "chunkSize": CHUNK}


def upload(page: Page, base: dict, data: bytes, question, **options) -> dict:
    return page.evaluate(
        """([base, b64, question, options]) => window.hlmTusUpload({
            ...base, ...options,
            file: window.hlmFile(b64, "réponse.mp4", "video/mp4"),
            metadata: {question: question, filename: "réponse.mp4", filetype: "video/mp4"},
        })""",
        [base, base64.b64encode(data).decode(), question.public_id, options],
    )


def stored_source(question) -> bytes:
    video = AnswerVideo.objects.get(question=question)
    assert video.state == VideoState.UPLOADED
    with storages["private"].open(video.source.name) as stored:
        return stored.read()


def test_tus_js_client_resumes_and_sends_the_same_file_again_with_checksums(
    desktop: Page, live_server, tmp_path
):
    question = QuestionFactory(state=QuestionState.SELECTED)
    data = make_clip(tmp_path / "answer.mp4").read_bytes()
    assert len(data) > 6 * CHUNK
    base = open_staff_page(desktop, live_server)
    sent = []
    desktop.on(
        "request", lambda request: sent.append((request.method, request.url, request.headers))
    )

    # The network drops the third chunk once: the client asks where to resume and goes on.
    cut = {"done": False}

    def drop_third_chunk(route, request):
        if request.method == "PATCH" and request.headers.get("upload-offset") == str(2 * CHUNK):
            if not cut["done"]:
                cut["done"] = True
                route.abort("internetdisconnected")
                return
        route.continue_()

    desktop.route("**/staff/uploads/*/", drop_third_chunk)
    first = upload(desktop, base, data, question, stopAfter=4 * CHUNK)
    assert first["outcome"] == "stopped" and cut["done"], first
    assert ("HEAD", first["url"]) in [(method, url) for method, url, _headers in sent]

    # The tab was closed: the same file chosen again resumes from the URL the client stored.
    second = upload(desktop, base, data, question, resume=True)
    assert second == {"outcome": "success", "url": first["url"], "offset": len(data)}
    assert stored_source(question) == data
    patches = [headers for method, _url, headers in sent if method == "PATCH"]
    assert patches and all(h.get("upload-checksum", "").startswith("sha1 ") for h in patches)

    # Sent again with the stored URL: the server reports the full length, nothing is re-sent.
    sent.clear()
    third = upload(desktop, base, data, question, resume=True)
    assert third == {"outcome": "success", "url": first["url"], "offset": len(data)}
    assert [method for method, _url, _headers in sent] == ["HEAD"]
    assert UploadSession.objects.count() == 1


def test_tus_js_client_creation_with_upload_and_method_override(
    desktop: Page, live_server, tmp_path
):
    question = QuestionFactory(state=QuestionState.SELECTED)
    data = make_clip(tmp_path / "answer.mp4").read_bytes()
    base = open_staff_page(desktop, live_server)
    methods = []
    desktop.on(
        "request",
        lambda request: methods.append(
            (request.method, request.headers.get("x-http-method-override"))
        ),
    )
    done = upload(desktop, base, data, question, withCreation=True, overridePatch=True)
    assert done["outcome"] == "success", done
    assert stored_source(question) == data
    # The first chunk rode on the creation; the others were POSTs overridden to PATCH.
    assert methods[0] == ("POST", None)
    assert set(methods[1:]) == {("POST", "PATCH")}
    assert len(methods) == -(-len(data) // CHUNK)
