"""The site search finds words said in the published answers (their reviewed captions and
transcripts), in the page's language where the answer has captions in it, and says when: a
result links to the question page at that moment (#t=…)."""

import pytest
from django.urls import reverse
from django.utils import translation

from media_pipeline.models import AnswerVideo, VideoState
from media_pipeline.services import captions
from questions.models import QuestionState
from tests.factories import QuestionFactory
from tests.media_pipeline.recording_pages import published_recording
from tests.portal.answers import publish_answer

pytestmark = [pytest.mark.django_db, pytest.mark.postgresql_only]

FRENCH = (
    "WEBVTT\n\n00:00.000 --> 00:04.000\nBonjour, et merci pour votre question.\n\n"
    "02:14.000 --> 02:18.500\nNos ambassades accueillent les étudiants étrangers.\n"
)
# The event's recording: its chapters run 5:00–15:00 and 20:00–28:00 (recording_pages).
RECORDING = (
    "WEBVTT\n\n02:00.000 --> 02:05.000\nBienvenue à Rennes pour cette rencontre.\n\n"
    "21:30.000 --> 21:35.000\nLes bourses des étudiants étrangers augmenteront.\n"
)
ARABIC = "WEBVTT\n\n02:15.000 --> 02:19.000\nسفاراتنا تستقبل الطلاب الأجانب.\n"


@pytest.fixture
def answered():
    question = QuestionFactory(
        state=QuestionState.SELECTED, title="Une question sur l’accueil", text="Comment ?"
    )
    video = publish_answer(question, transcript="Le porte-parole parle de la jeunesse.")
    captions.set_caption(video=video, language="fr", content=FRENCH.encode())
    return question, video


def search(client, words: str, language: str = "fr") -> str:
    with translation.override(language):
        url = reverse("questions:search")
    return client.get(url, {"q": words}).content.decode()


def test_a_word_said_in_an_answer_finds_the_question_and_the_moment(client, answered):
    question, _video = answered
    html = search(client, "etudiants etrangers")  # no accents: unaccent finds "étudiants"
    assert question.title.replace("’", "&#x27;") in html or question.title in html
    assert f'href="{question.get_absolute_url()}#t=134"' in html
    assert "Dit à 02:14 dans la réponse" in html
    assert "Nos ambassades accueillent les étudiants étrangers." in html


def test_french_stemming_finds_a_spoken_plural_from_the_singular(client, answered):
    question, _video = answered
    html = search(client, "ambassade etudiant")  # said: "ambassades", "étudiants"
    assert f'href="{question.get_absolute_url()}#t=134"' in html


def test_the_transcript_finds_the_question_too_without_a_moment(client, answered):
    question, _video = answered
    html = search(client, "jeunesse")
    assert question.get_absolute_url() in html and "#t=" not in html


def test_the_page_language_chooses_the_captions_when_the_answer_has_them(client, answered):
    question, video = answered
    captions.set_caption(video=video, language="ar", content=ARABIC.encode())
    with translation.override("ar"):
        url = question.get_absolute_url()
    html = search(client, "الطلاب", language="ar")
    assert f'href="{url}#t=135"' in html and 'lang="ar"' in html
    french_words = search(client, "étudiants", language="ar")  # the answer's own language
    assert "#t=134" in french_words


def test_drafts_and_unpublished_answers_are_never_searched(client, answered):
    _question, video = answered
    captions.set_caption(
        video=video,
        language="fr",
        content=b"WEBVTT\n\n00:05.000 --> 00:06.000\nMot secret du brouillon.\n",
        automatic=True,
        reviewed=False,
    )
    assert "Dit à" not in search(client, "brouillon")
    waiting = QuestionFactory(state=QuestionState.APPROVED, title="Réponse pas encore publiée")
    ready = AnswerVideo.objects.create(
        question=waiting, state=VideoState.READY, hls_master="answers/x/v1/master.m3u8"
    )
    captions.set_caption(
        video=ready,
        language="fr",
        content=b"WEBVTT\n\n00:01.000 --> 00:02.000\nUn mot confidentiel.\n",
    )
    html = search(client, "confidentiel")
    assert "Réponse pas encore publiée" not in html and "Dit à" not in html


def test_the_results_page_keeps_a_constant_number_of_queries(
    client, answered, django_assert_max_num_queries
):
    for _ in range(3):
        video = publish_answer(QuestionFactory(state=QuestionState.SELECTED))
        captions.set_caption(video=video, language="fr", content=FRENCH.encode())
    with django_assert_max_num_queries(8):
        html = search(client, "ambassades")
    assert html.count("Dit à 02:14") == 4


def test_a_word_said_on_stage_finds_the_question_at_its_moment_in_the_recording(client):
    recording, first, second = published_recording()
    captions.set_caption(video=recording, language="fr", content=RECORDING.encode())
    html = search(client, "bourses etudiants")
    assert f'href="{second.get_absolute_url()}#t=1290"' in html
    assert "Dit à 21:30 dans l’enregistrement de la rencontre" in html
    assert "Les bourses des étudiants étrangers augmenteront." in html
    assert first.get_absolute_url() not in html  # said in the other question's chapter


def test_words_said_outside_every_chapter_find_no_question(client):
    recording, _first, _second = published_recording()
    captions.set_caption(video=recording, language="fr", content=RECORDING.encode())
    html = search(client, "bienvenue")
    assert "Dit à" not in html


def test_a_stage_answer_is_searched_once_its_chapter_is_published(client):
    recording, _first, second = published_recording(chapters=False)
    captions.set_caption(video=recording, language="fr", content=RECORDING.encode())
    assert second.get_absolute_url() not in search(client, "bourses")
