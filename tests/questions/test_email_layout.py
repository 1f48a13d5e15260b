"""Every HTML e-mail declares the reader's language and writing direction (one base template)."""

import re

import pytest
from django.utils import timezone

from questions.models import OutboundEmail, Support
from questions.models import QuestionState as S
from questions.moderation import approve_question, mark_duplicate, reject_question
from questions.services import mark_question_answered, resend_confirmation
from tests.factories import QuestionFactory, UserFactory
from tests.questions.conftest import sent

pytestmark = pytest.mark.django_db


def html_tag(message: OutboundEmail) -> str:
    return re.search(r"<html[^>]*>", message.body_html).group(0)


def test_the_answer_email_speaks_arabic_right_to_left_and_french_left_to_right():
    question = QuestionFactory(state=S.SELECTED, email="auteur@example.org", language="ar")
    Support.objects.create(
        question=question,
        supporter_key="k",
        email="soutien@example.org",
        language="fr",
        email_confirmed_at=timezone.now(),
    )
    mark_question_answered(question=question, actor=UserFactory())
    sent = {m.to: m for m in OutboundEmail.objects.filter(kind="question_answered")}
    assert html_tag(sent["auteur@example.org"]) == '<html lang="ar" dir="rtl">'
    assert html_tag(sent["soutien@example.org"]) == '<html lang="fr" dir="ltr">'
    assert "شاهد الإجابة" in sent["auteur@example.org"].body_html
    assert "Voir la réponse" in sent["soutien@example.org"].body_html


@pytest.mark.parametrize("language, direction", [("ar", "rtl"), ("fr", "ltr"), ("zh-hans", "ltr")])
def test_every_kind_of_email_declares_the_readers_language_and_direction(language, direction):
    moderator = UserFactory(groups=["Moderators"])
    kept = QuestionFactory(state=S.APPROVED)
    resend_confirmation(question=QuestionFactory(state=S.UNCONFIRMED, language=language))
    approve_question(question=QuestionFactory(state=S.SUBMITTED, language=language), actor=None)
    reject_question(
        question=QuestionFactory(state=S.SUBMITTED, language=language),
        actor=moderator,
        reason="off_topic",
    )
    mark_duplicate(
        question=QuestionFactory(state=S.SUBMITTED, language=language), of=kept, actor=moderator
    )
    messages = OutboundEmail.objects.filter(language=language)
    assert {m.kind for m in messages} == {
        "question_confirmation",
        "question_approved",
        "question_rejected",
        "question_merged",
    }
    for message in map(sent, messages):
        assert html_tag(message) == f'<html lang="{language}" dir="{direction}">', message.kind
        assert "<title>" in message.body_html and message.body_html.rstrip().endswith("</html>")
