"""The staff page of one question: everything about it on one page, the messages of its
actions next to it, the same access as the staff list and a constant number of queries."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from media_pipeline.models import AnswerVideo, Caption, VideoState
from portal.roles import MODERATORS
from questions.models import QuestionState
from tests.factories import QuestionFactory, UserFactory

pytestmark = pytest.mark.django_db

VTT = b"WEBVTT\n\n00:00.000 --> 00:01.000\nBonjour\n"


def page_of(question) -> str:
    return reverse("media_pipeline:staff_question", args=[question.pk])


def ready_video(question) -> AnswerVideo:
    video = AnswerVideo.objects.create(
        question=question,
        state=VideoState.READY,
        hls_master=f"answers/{question.pk}/master.m3u8",
        mp4=f"answers/{question.pk}/answer.mp4",
        duration_seconds=42,
    )
    Caption.objects.create(video=video, language="fr", file=f"answers/{question.pk}/fr.vtt")
    return video


def test_the_page_shows_the_question_alone_with_its_preview_in_constant_queries(client, staff):
    question = QuestionFactory(state=QuestionState.SELECTED, title="La gare de Lille")
    QuestionFactory(state=QuestionState.SELECTED, title="Une autre question")
    ready_video(question)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(page_of(question))
    assert response.status_code == 200
    page = response.content.decode()
    assert "La gare de Lille" in page and "Une autre question" not in page
    assert "Aperçu" in page and f"answers/{question.pk}/master.m3u8" in page
    assert 'name="back" value="question"' in page  # its actions come back here
    assert "hlm-staff-question-link" not in page  # no link to itself
    assert len(queries) <= 7


def test_no_preview_before_the_video_is_ready(client, staff, selected_question):
    AnswerVideo.objects.create(question=selected_question, state=VideoState.PROCESSING)
    page = client.get(page_of(selected_question)).content.decode()
    assert "Aperçu" not in page and "Traitement" in page


def test_the_list_and_the_questions_admin_lead_to_the_page(client, staff, selected_question):
    assert (
        f'href="{page_of(selected_question)}"' in client.get("/fr/staff/videos/").content.decode()
    )
    staff.is_staff = True
    staff.save()
    admin = client.get(reverse("admin:questions_question_change", args=[selected_question.pk]))
    assert f'href="{page_of(selected_question)}"' in admin.content.decode()


def test_an_action_from_the_page_comes_back_to_it_with_its_message(client, staff):
    question = QuestionFactory(state=QuestionState.SELECTED)
    video = ready_video(question)
    response = client.post(
        reverse("media_pipeline:add_caption", args=[video.pk]),
        {"language": "en", "label": "English", "file": io.BytesIO(VTT), "back": "question"},
    )
    assert response.url == f"{page_of(question)}#question-{question.public_id}"
    page = client.get(page_of(question)).content.decode()
    assert "Les sous-titres ont été enregistrés." in page
    # Posted from the list, the action still comes back to the list.
    response = client.post(
        reverse("media_pipeline:transcript", args=[video.pk]), {"transcript": "Bonjour."}
    )
    assert response.url.startswith("/fr/staff/videos/?")


def test_same_access_as_the_staff_list(client, selected_question):
    assert client.get(page_of(selected_question)).status_code == 302  # to the login page
    client.force_login(UserFactory(groups=[MODERATORS]))
    assert client.get(page_of(selected_question)).status_code == 403


def test_only_selected_or_answered_questions_have_a_page(client, staff):
    pending = QuestionFactory(state=QuestionState.SUBMITTED)
    assert client.get(page_of(pending)).status_code == 404
