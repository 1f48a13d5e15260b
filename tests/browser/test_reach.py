"""Reach in a real browser: another site frames the embed player but not the portal's pages, and
"Copy the link" puts the page's address on the clipboard."""

import mimetypes
import subprocess
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import Route, expect

from portal.statistics.models import PlayCount
from portal.statistics.play_buffer import flush_plays
from questions.models import QuestionState
from tests.browser.axe import assert_accessible
from tests.factories import QuestionFactory
from tests.portal.answers import publish_answer

pytestmark = pytest.mark.django_db(transaction=True)
PARTNER = "https://journal-regional.example"  # a news site that embeds the answer
PORTAL = "https://horslesmurs.example"  # the portal as the partner's readers reach it


@pytest.fixture
def answered(site_url):
    question = QuestionFactory(state=QuestionState.SELECTED, title="Que fait la France au Sahel ?")
    publish_answer(question)
    return question


def serve_over_https(
    page, live_server_url: str, partner_html: str, media_root: Path | None = None
) -> None:
    """Both sites on https origins, as in production: the partner's page is made up here, the
    portal's responses (headers included) come from the live server untouched, and its media
    (a bucket or CDN in production) from the test's media folder."""

    def partner(route: Route) -> None:
        route.fulfill(status=200, content_type="text/html; charset=utf-8", body=partner_html)

    def portal(route: Route) -> None:
        path = route.request.url.removeprefix(PORTAL).split("?")[0]
        if media_root is not None and path.startswith("/media/"):
            file = media_root / path.removeprefix("/media/")
            content_type = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
            route.fulfill(status=200, body=file.read_bytes(), content_type=content_type)
            return
        response = route.fetch(url=route.request.url.replace(PORTAL, live_server_url, 1))
        route.fulfill(response=response)

    page.route(f"{PARTNER}/**", partner)
    page.route(f"{PORTAL}/**", portal)


def test_another_site_can_frame_the_embed_player_but_not_the_question_page(
    desktop, live_server, answered, journal, problems
):
    with translation.override("fr"):
        question_path = answered.get_absolute_url()
    embed = f"{PORTAL}/embed/{answered.public_id}/?lang=fr"
    serve_over_https(
        desktop,
        live_server.url,
        f"""<!DOCTYPE html><html lang="fr"><head><title>Journal</title></head><body>
        <h1>Article</h1>
        <iframe id="player" title="Réponse" src="{embed}" width="640" height="400"></iframe>
        <iframe id="page" title="Page" src="{PORTAL}{question_path}"></iframe>
        </body></html>""",
    )

    desktop.goto(f"{PARTNER}/article")
    journal.step(desktop, "a partner's article frames the embed and the question page")

    player = desktop.frame_locator("#player")
    expect(player.locator("video")).to_be_attached()
    back = player.get_by_role("link", name=answered.title)
    expect(back).to_be_visible()
    assert back.get_attribute("href") == f"{live_server.url}{question_path}"  # SITE_URL
    # The portal's own page refuses the frame: nothing of it renders there.
    page_frame = desktop.frame(url=lambda url: "horslesmurs.example/fr/questions" in url)
    assert page_frame is None or page_frame.locator("h1").count() == 0
    assert desktop.frame(url=lambda url: "/embed/" in url).locator("video").count() == 1
    # Chromium reports the refusal, for the question page only; it is the expected one here.
    (refusal,) = problems.csp_violations
    assert "frame-ancestors 'none'" in refusal
    problems.csp_violations.clear()


def test_copy_link_puts_the_page_address_on_the_clipboard(desktop, live_server, answered):
    desktop.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    with translation.override("en"):
        path = answered.get_absolute_url()

    desktop.goto(path)
    desktop.get_by_role("link", name="Copy the link").click()

    expect(desktop.get_by_role("status").filter(has_text="Link copied")).to_be_visible()
    assert desktop.evaluate("navigator.clipboard.readText()").endswith(path)
    assert desktop.url.endswith(path)  # the click copied instead of navigating


@pytest.mark.parametrize("language", ["fr", "ar"])
def test_share_calendar_and_embed_are_accessible(desktop, answered, language):
    with translation.override(language):
        pages = [
            answered.get_absolute_url(),  # share links and the embed code
            reverse("events:detail", kwargs={"slug": answered.event.slug}),  # calendar links
            reverse("events:list"),
        ]
    pages.append(f"/embed/{answered.public_id}/?lang={language}")
    for path in pages:
        desktop.goto(path)
        assert_accessible(desktop)


def encode_real_answer(video, media_root: Path) -> None:
    """Replace the stand-in outputs with a real 2-second HLS stream and MP4 (tiny, fast)."""
    folder = media_root / Path(video.hls_master.name).parent
    source = ["-f", "lavfi", "-i", "testsrc2=size=160x90:rate=15:duration=2"]
    source += ["-f", "lavfi", "-i", "sine=frequency=440:duration=2"]
    codecs = ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-g", "15"]
    codecs += ["-c:a", "aac", "-b:a", "64k", "-shortest"]
    run = ["ffmpeg", "-y", "-loglevel", "error", *source, *codecs]
    subprocess.run([*run, "-movflags", "+faststart", str(media_root / video.mp4.name)], check=True)
    subprocess.run(
        [
            *run,
            "-f",
            "hls",
            "-hls_time",
            "1",
            "-hls_playlist_type",
            "vod",
            "-hls_segment_filename",
            str(folder / "segment-%03d.ts"),
            str(media_root / video.hls_master.name),
        ],
        check=True,
    )


def test_the_framed_embed_plays_the_answer_with_hls_js(desktop, live_server, answered, settings):
    encode_real_answer(answered.answer_video, Path(settings.MEDIA_ROOT))
    embed = f"{PORTAL}/embed/{answered.public_id}/?lang=fr"
    serve_over_https(
        desktop,
        live_server.url,
        f'<!DOCTYPE html><html lang="fr"><head><title>Journal</title></head><body>'
        f'<iframe id="player" title="Réponse" src="{embed}" width="640" height="400"></iframe>'
        f"</body></html>",
        media_root=Path(settings.MEDIA_ROOT),
    )

    desktop.goto(f"{PARTNER}/article")
    frame = desktop.frame(url=lambda url: "/embed/" in url)
    video = frame.locator("video")
    expect(video).to_have_attribute("data-playback", "hls.js")
    video.evaluate("video => { video.muted = true; return video.play(); }")

    # Polled from here: the page's CSP (no eval) rules out wait_for_function.
    for _ in range(100):
        if video.evaluate("video => video.currentTime") > 0.5:
            break
        desktop.wait_for_timeout(100)
    assert video.evaluate("video => video.currentTime") > 0.5
    assert video.evaluate("video => video.error") is None
    assert video.get_attribute("data-playback") == "hls.js"  # no fallback to the MP4 was needed

    # Played to its end: the player told the portal twice, without a cookie.
    for _ in range(100):
        if video.evaluate("video => video.ended"):
            break
        desktop.wait_for_timeout(100)
    assert video.evaluate("video => video.ended")
    for _ in range(50):
        flush_plays()  # what beat does every few seconds
        counts = list(
            PlayCount.objects.values_list("question_id", "language", "started", "completed")
        )
        if counts and counts[0][3]:
            break
        desktop.wait_for_timeout(100)
    assert counts == [(answered.pk, "fr", 1, 1)]


def test_the_embed_shows_the_player_and_its_link_back_only(desktop, answered):
    """The transcript and the duration line stay on the question's page."""
    video = answered.answer_video
    video.transcript = "La France agit avec ses partenaires."
    video.save(update_fields=["transcript"])

    desktop.goto(f"/embed/{answered.public_id}/?lang=fr")

    expect(desktop.locator("video")).to_be_visible()
    expect(desktop.get_by_role("link", name=answered.title)).to_be_visible()
    expect(desktop.locator(".fr-accordion")).to_be_hidden()
    expect(desktop.locator("figcaption")).to_be_hidden()
