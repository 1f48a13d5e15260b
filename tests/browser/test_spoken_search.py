"""Words spoken in answers: a link to a moment of the answer opens the player at that moment, and
the site search finds a word said in the demo answer and links to that moment."""

import re

import pytest
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import expect

from questions.models import QuestionState
from tests.browser.media import SMALL_LADDER, publish_answer
from tests.factories import QuestionFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def small_ladder(settings):
    settings.MEDIA_LADDER_HEIGHTS = [int(SMALL_LADDER["MEDIA_LADDER_HEIGHTS"])]
    settings.MEDIA_HLS_SEGMENT_SECONDS = int(SMALL_LADDER["MEDIA_HLS_SEGMENT_SECONDS"])
    settings.MEDIA_X264_PRESET = SMALL_LADDER["MEDIA_X264_PRESET"]


def current_time(page) -> float:
    """The player's position once it has settled (polled: the CSP rules out wait_for_function)."""
    video = page.locator("video[data-hlm-player]").first
    for _ in range(100):
        if video.evaluate("video => video.readyState") >= 1 and video.evaluate(
            "video => video.currentTime"
        ):
            break
        page.wait_for_timeout(100)
    return video.evaluate("video => video.currentTime")


def test_a_link_to_a_moment_opens_the_answer_there(desktop, live_server, small_ladder, tmp_path):
    question = QuestionFactory(state=QuestionState.SELECTED)
    publish_answer(question, tmp_path)
    with translation.override("fr"):
        path = question.get_absolute_url()

    desktop.goto(f"{live_server.url}{path}#t=2")
    assert current_time(desktop) == pytest.approx(2, abs=0.5)

    desktop.goto(f"{live_server.url}/embed/{question.public_id}/?lang=fr&t=1.5")
    assert current_time(desktop) == pytest.approx(1.5, abs=0.5)


def test_a_word_said_in_the_demo_answer_lands_on_its_question_playing_at_that_moment(
    desktop, live_server, small_ladder
):
    from media_pipeline.demo import seed_answer_video
    from tests.factories import EventFactory, ThemeFactory

    video = seed_answer_video(EventFactory(themes=[ThemeFactory()]))
    assert video.is_public
    with translation.override("fr"):
        search = reverse("questions:search")
    # "transcrite" is only said in the answer (its captions), at 00:04.
    desktop.goto(f"{live_server.url}{search}?q=transcrite")
    moment = desktop.get_by_role("link", name=re.compile("Dit à 00:04 dans la réponse"))
    expect(moment).to_have_count(1)
    moment.click()
    expect(desktop).to_have_url(re.compile(r"/fr/questions/demovideo001/.*#t=4$"))
    assert current_time(desktop) == pytest.approx(4, abs=0.5)
