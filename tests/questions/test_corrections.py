"""A moderator corrects a question's words (a typo, personal data): the citizen's original stays
in the history, the citizen is told by e-mail in their language, the state does not move."""

import pytest
from django.urls import reverse

from questions.exceptions import TransitionNotAllowed
from questions.models import ModerationDecision, OutboundEmail
from questions.models import QuestionState as S
from questions.moderation import correct_question
from questions.privacy import export_personal_data
from tests.factories import QuestionFactory, UserFactory

pytestmark = pytest.mark.django_db

ORIGINAL_TEXT = "Je suis Jean Dupont, 06 12 34 56 78 : que fait la France au Sahel ?"
CORRECTED_TEXT = "Que fait la France au Sahel ?"


@pytest.fixture
def moderator():
    return UserFactory(username="moderatrice", groups=["Moderators"])


def test_a_correction_keeps_the_original_and_tells_the_citizen(
    moderator, django_capture_on_commit_callbacks
):
    question = QuestionFactory(state=S.APPROVED, title="Sahel ?", text=ORIGINAL_TEXT, language="fr")
    with django_capture_on_commit_callbacks():
        corrected = correct_question(
            question=question,
            actor=moderator,
            title="Que fait la France au Sahel ?",
            text=CORRECTED_TEXT,
            note="Numéro de téléphone retiré",
        )
    assert (corrected.title, corrected.text, corrected.state) == (
        "Que fait la France au Sahel ?",
        CORRECTED_TEXT,
        S.APPROVED,
    )
    decision = ModerationDecision.objects.get(question=question)
    assert decision.original_title == "Sahel ?" and decision.original_text == ORIGINAL_TEXT
    assert decision.from_state == decision.to_state == S.APPROVED and decision.actor == moderator
    assert str(decision) == "Corrigée par la modération"
    email = OutboundEmail.objects.get(kind="question_corrected")
    assert email.to == question.email
    assert "corrigée" in email.subject.lower()
    assert CORRECTED_TEXT in email.body_text and "06 12 34 56 78" not in email.body_text
    assert question.get_absolute_url().split("/")[-3] in email.body_text  # a public link
    exported = export_personal_data(email=question.email)["questions"][0]["decisions"]
    assert exported[0]["original_text"] == ORIGINAL_TEXT


def test_the_citizen_is_told_in_their_language(moderator):
    question = QuestionFactory(state=S.SUBMITTED, language="ar")
    correct_question(question=question, actor=moderator, title="عنوان مصحح", text=question.text)
    email = OutboundEmail.objects.get(kind="question_corrected")
    assert email.language == "ar" and "صحح" in email.body_text
    assert 'dir="rtl"' in email.body_html


def test_nothing_changed_nothing_recorded(moderator):
    question = QuestionFactory(state=S.SUBMITTED)
    correct_question(question=question, actor=moderator, title=question.title, text=question.text)
    assert not ModerationDecision.objects.exists() and not OutboundEmail.objects.exists()


@pytest.mark.parametrize("state", [S.UNCONFIRMED, S.REJECTED, S.DUPLICATE])
def test_a_question_out_of_the_queue_and_not_public_is_not_corrected(moderator, state):
    question = QuestionFactory(state=state)
    with pytest.raises(TransitionNotAllowed):
        correct_question(question=question, actor=moderator, title="Autre", text="Autre texte")


def test_a_moderator_corrects_from_the_questions_page_in_the_admin(client, moderator):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "fr"
    client.force_login(moderator)
    question = QuestionFactory(state=S.SUBMITTED, text=ORIGINAL_TEXT)
    change_url = reverse("admin:questions_question_change", args=[question.pk])
    correct_url = reverse("admin:questions_question_correct", args=[question.pk])
    assert correct_url in client.get(change_url).content.decode()
    form = client.get(correct_url).content.decode()
    assert ORIGINAL_TEXT in form and "Enregistrer la correction" in form
    response = client.post(
        correct_url,
        {"title": question.title, "text": CORRECTED_TEXT, "note": "Téléphone retiré"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == change_url
    page = response.content.decode()
    assert "son auteur en est informé par courriel" in page
    assert "Corrigée par la modération" in page and ORIGINAL_TEXT in page  # the history
    question.refresh_from_db()
    assert question.text == CORRECTED_TEXT and question.state == S.SUBMITTED


def test_the_spokespersons_staff_cannot_correct(client):
    client.force_login(UserFactory(groups=["Spokesperson staff"]))
    question = QuestionFactory(state=S.APPROVED)
    correct_url = reverse("admin:questions_question_correct", args=[question.pk])
    assert client.get(correct_url).status_code == 403
    assert client.post(correct_url, {"title": "x", "text": "y"}).status_code == 403
    question.refresh_from_db()
    assert question.title != "x"


def test_anonymising_a_rejected_question_erases_its_words_before_a_correction(moderator, settings):
    from datetime import timedelta

    from django.utils import timezone

    from questions.moderation import reject_question
    from questions.privacy import anonymise_rejected_questions

    question = QuestionFactory(state=S.SUBMITTED, text=ORIGINAL_TEXT)
    correct_question(question=question, actor=moderator, title=question.title, text="Corrigé.")
    reject_question(question=question, actor=moderator, reason="other")
    later = timezone.now() + timedelta(days=settings.REJECTED_QUESTION_RETENTION_DAYS + 1)
    assert anonymise_rejected_questions(now=later) == 1
    correction = ModerationDecision.objects.get(
        question=question, from_state=S.SUBMITTED, to_state=S.SUBMITTED
    )
    assert correction.original_text == "" and correction.is_correction
