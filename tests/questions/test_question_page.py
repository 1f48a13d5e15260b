"""The public question page: content, privacy, supports, answer section, query counts."""

import pytest
from django.urls import reverse
from django.utils import timezone

from questions.models import QuestionState, Support
from tests.factories import EventFactory, QuestionFactory, ThemeFactory

pytestmark = pytest.mark.django_db


def test_the_page_shows_the_question_but_never_the_email(client):
    question = QuestionFactory(
        title="Quelle Europe demain ?", display_name="Sophie L.", email="sophie@example.org"
    )
    response = client.get(question.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert "Quelle Europe demain ?" in html and "Sophie L." in html
    assert question.event.title in html and question.theme.name in html
    assert "sophie@example.org" not in html
    assert 'id="answer-title"' in html and 'id="share"' in html


@pytest.mark.parametrize(
    "state",
    [
        QuestionState.UNCONFIRMED,
        QuestionState.SUBMITTED,
        QuestionState.REJECTED,
        QuestionState.DUPLICATE,
    ],
)
def test_a_non_public_question_is_a_404(client, state):
    question = QuestionFactory(state=state)
    assert client.get(question.get_absolute_url()).status_code == 404
    assert client.post(reverse("questions:support", args=[question.public_id])).status_code == 404


def test_an_unknown_question_is_a_404_and_a_wrong_slug_redirects(client):
    question = QuestionFactory(title="Une question")
    assert client.get("/fr/questions/zzzzzzzzzz/x/").status_code == 404
    response = client.get(f"/fr/questions/{question.public_id}/old-title/")
    assert response.status_code == 301 and response["Location"] == question.get_absolute_url()


def test_without_a_published_video_the_page_says_not_answered_yet(client):
    question = QuestionFactory(state=QuestionState.SELECTED)
    html = client.get(question.get_absolute_url().replace("/fr/", "/en/")).content.decode()
    assert "Not answered yet" in html


def support(client, question, **data):
    return client.post(reverse("questions:support", args=[question.public_id]), data)


def test_one_support_per_browser(client):
    question = QuestionFactory()
    first = support(client, question)
    assert first.status_code == 302 and first["Location"].endswith("#support")
    support(client, question)
    question.refresh_from_db()
    assert question.support_count == 1 and Support.objects.count() == 1
    stored = Support.objects.get()
    assert client.cookies["hlm_supporter"].value.split(":")[0] not in stored.supporter_key
    assert len(stored.supporter_key) == 64  # a hash, not the browser's key
    html = client.get(question.get_absolute_url()).content.decode()
    assert "1 citoyen" in html or "1 citizen" in html


def test_another_browser_counts_again_and_may_leave_an_email(client, django_user_model):
    from django.test import Client

    question = QuestionFactory()
    support(client, question)
    support(Client(), question, email="louise@example.org")
    question.refresh_from_db()
    assert question.support_count == 2
    assert Support.objects.filter(email="louise@example.org").exists()


def test_a_supporters_address_is_confirmed_by_a_button_before_any_email(client):
    import re

    from questions.models import OutboundEmail

    question = QuestionFactory()
    response = support(client, question, email="louise@example.org")
    page = client.get(response["Location"]).content.decode()
    assert "confirmez votre adresse électronique" in page
    message = OutboundEmail.objects.get(to="louise@example.org")
    path = re.search(r"https?://[^/\s]+(/fr/questions/support-email/[^/\s]+/)", message.body_text)
    shown = client.get(path.group(1))  # a mail scanner opens the link: nothing is confirmed
    assert shown.status_code == 200 and "no-store" in shown["Cache-Control"]
    assert "Confirmer mon adresse" in shown.content.decode()
    assert Support.objects.get().email_confirmed_at is None
    pressed = client.post(path.group(1))
    assert "Votre adresse électronique est confirmée" in pressed.content.decode()
    assert Support.objects.get().email_confirmed_at is not None
    assert client.get("/fr/questions/support-email/forged/").status_code == 400


def test_a_forged_cookie_is_ignored_and_replaced(client):
    question = QuestionFactory()
    client.cookies["hlm_supporter"] = "forged"
    support(client, question)
    assert client.cookies["hlm_supporter"].value != "forged"
    assert Support.objects.count() == 1


def test_supporting_an_answered_question_is_refused(client):
    question = QuestionFactory(state=QuestionState.ANSWERED)
    support(client, question)
    question.refresh_from_db()
    assert question.support_count == 0 and not Support.objects.exists()
    html = client.get(question.get_absolute_url()).content.decode()
    assert 'action="/fr/questions/support/' not in html


def test_an_invalid_support_email_is_explained_and_nothing_counts(client):
    question = QuestionFactory()
    response = support(client, question, email="pas une adresse")
    assert response.status_code == 302
    assert not Support.objects.exists()


def test_supports_are_rate_limited_per_ip(client, settings):
    from django.test import Client

    settings.RATELIMIT_SUPPORT_PER_IP = "2/h"
    questions = QuestionFactory.create_batch(3)
    assert support(Client(), questions[0]).status_code == 302
    assert support(Client(), questions[1]).status_code == 302
    response = support(Client(), questions[2])
    assert response.status_code == 429
    assert Support.objects.count() == 2


def test_clearing_cookies_does_not_stuff_supports_from_one_connection(client, settings):
    from django.test import Client

    settings.RATELIMIT_SUPPORT_PER_IP_AND_QUESTION = "2/d"
    question, other_question = QuestionFactory.create_batch(2)
    for _attempt in range(3):  # a new browser (no cookie) each time, from the same IP
        assert support(Client(), question).status_code == 302
    question.refresh_from_db()
    assert question.support_count == 2 and Support.objects.count() == 2
    refused = Client()
    page = refused.get(support(refused, question)["Location"]).content.decode()
    assert "déjà soutenu cette question aujourd’hui" in page
    # Another question from that connection, and this question from another one, still count.
    support(Client(), other_question)
    support(Client(REMOTE_ADDR="203.0.113.20"), question)
    question.refresh_from_db()
    other_question.refresh_from_db()
    assert question.support_count == 3 and other_question.support_count == 1


@pytest.mark.parametrize("count", [5, 200])
def test_the_event_page_makes_at_most_8_queries(client, django_assert_max_num_queries, count):
    theme = ThemeFactory()
    event = EventFactory(themes=[theme])
    QuestionFactory.create_batch(count, event=event, theme=theme)
    QuestionFactory.create_batch(3, event=event, theme=theme, state=QuestionState.ANSWERED)
    url = reverse("events:detail", kwargs={"slug": event.slug})
    with django_assert_max_num_queries(8):
        response = client.get(url)
    assert response.status_code == 200
    assert response.content.decode().count("hlm-question-card") == min(count + 3, 20)


@pytest.mark.parametrize("count", [5, 200])
def test_the_question_page_makes_at_most_8_queries(
    client, django_assert_max_num_queries, count, settings
):
    from django.test import Client

    settings.RATELIMIT_SUPPORT_PER_IP_AND_QUESTION = "100/d"  # four browsers on one test IP
    event = EventFactory()
    questions = QuestionFactory.create_batch(count, event=event)
    question = questions[0]
    for _n in range(3):
        support(Client(), question)
    support(client, question)
    with django_assert_max_num_queries(8):
        response = client.get(question.get_absolute_url())
    assert response.status_code == 200
    assert (
        "Vous soutenez cette question" in response.content.decode()
        or "You support" in response.content.decode()
    )


def test_a_published_answer_video_is_shown_through_the_media_partial(
    client, django_assert_max_num_queries
):
    from media_pipeline.models import AnswerVideo, Caption, VideoState

    question = QuestionFactory(state=QuestionState.ANSWERED)
    video = AnswerVideo.objects.create(
        question=question,
        state=VideoState.PUBLISHED,
        hls_master="answers/1/v1/master.m3u8",
        mp4="answers/1/v1/answer.mp4",
        transcript="Merci pour cette question.",
    )
    reviewed = timezone.now()
    Caption.objects.create(video=video, language="fr", file="captions/fr.vtt", reviewed_at=reviewed)
    Caption.objects.create(video=video, language="en", file="captions/en.vtt", reviewed_at=reviewed)
    # A speech-to-text draft nobody reviewed yet never reaches the public player.
    Caption.objects.create(video=video, language="de", file="captions/de.vtt", automatic=True)
    with django_assert_max_num_queries(8):
        html = client.get(question.get_absolute_url()).content.decode()
    assert "master.m3u8" in html and 'srclang="en"' in html
    assert 'srclang="de"' not in html
    assert "Merci pour cette question." in html
    assert "Pas encore de réponse" not in html


def test_an_unpublished_video_is_not_shown(client):
    from media_pipeline.models import AnswerVideo, VideoState

    question = QuestionFactory(state=QuestionState.SELECTED)
    AnswerVideo.objects.create(
        question=question, state=VideoState.READY, hls_master="answers/2/v1/master.m3u8"
    )
    html = client.get(question.get_absolute_url()).content.decode()
    assert "master.m3u8" not in html
    assert "Pas encore de réponse" in html
