"""The citizens' services, called directly."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from questions import services, supports
from questions.exceptions import (
    AlreadySupported,
    DuplicateSubmission,
    QuestionsClosed,
    SupportRefused,
    ThemeNotOffered,
)
from questions.models import OutboundEmail, Question, QuestionState
from tests.factories import EventFactory, QuestionFactory, ThemeFactory
from tests.questions.conftest import sent

pytestmark = pytest.mark.django_db


def submit(event, **overrides):
    kwargs = {
        "event": event,
        "theme": event.themes.first(),
        "title": "Une question",
        "text": "Le texte de la question.",
        "display_name": "Awa",
        "email": "awa@example.org",
        "region": "IDF",
        "language": "ar",
    } | overrides
    return services.submit_question(**kwargs)


def test_submit_stores_an_unconfirmed_question_and_its_email_in_the_outbox(
    django_capture_on_commit_callbacks,
):
    event = EventFactory()
    with django_capture_on_commit_callbacks() as callbacks:
        question = submit(event)
    assert question.state == QuestionState.UNCONFIRMED and question.language == "ar"
    message = OutboundEmail.objects.get(question=question)
    assert message.language == "ar" and message.sent_at is None
    assert "/ar/questions/confirm/" in sent(message).body_text
    # Nothing waits for the commit: the row is the record, beat's dispatch sends it.
    assert callbacks == []


def test_submit_refuses_a_closed_or_unpublished_event_and_a_foreign_theme():
    from datetime import timedelta

    now = timezone.now()
    closed = EventFactory(
        questions_open_at=now - timedelta(days=3), questions_close_at=now - timedelta(days=1)
    )
    with pytest.raises(QuestionsClosed):
        submit(closed)
    with pytest.raises(QuestionsClosed):
        submit(EventFactory(is_published=False))
    with pytest.raises(ThemeNotOffered):
        submit(EventFactory(), theme=ThemeFactory(slug="elsewhere"))
    assert not Question.objects.exists() and not OutboundEmail.objects.exists()


def test_the_same_idempotency_key_submits_once():
    event = EventFactory()
    submit(event, idempotency_key="a" * 32)
    with pytest.raises(DuplicateSubmission):
        submit(event, idempotency_key="a" * 32, title="Autre titre")
    assert Question.objects.count() == 1


def test_a_failed_submission_releases_its_key():
    event = EventFactory()
    with pytest.raises(ThemeNotOffered):
        submit(event, idempotency_key="b" * 32, theme=ThemeFactory(slug="other"))
    with pytest.raises(RuntimeError), transaction.atomic():
        submit(event, idempotency_key="c" * 32)
        raise RuntimeError("the request fails after the service")
    submit(event, idempotency_key="b" * 32)
    assert Question.objects.count() == 1


def test_confirm_moves_to_submitted_once_and_records_it():
    question = submit(EventFactory())
    confirmed, changed = services.confirm_question(question=question)
    assert changed and confirmed.state == QuestionState.SUBMITTED and confirmed.confirmed_at
    again, changed_again = services.confirm_question(question=question)  # stale instance
    assert not changed_again and again.state == QuestionState.SUBMITTED
    assert question.decisions.count() == 1


def test_confirm_never_moves_a_question_backwards():
    question = QuestionFactory(state=QuestionState.REJECTED)
    same, changed = services.confirm_question(question=question)
    assert not changed and same.state == QuestionState.REJECTED


def test_resend_only_for_unconfirmed_questions():
    question = submit(EventFactory())
    assert not services.resend_confirmation(question=question)  # one e-mail per interval
    OutboundEmail.objects.update(created_at=timezone.now() - timedelta(minutes=16))
    assert services.resend_confirmation(question=question)
    services.confirm_question(question=question)
    assert not services.resend_confirmation(question=question)
    assert OutboundEmail.objects.count() == 2


def test_a_resend_counts_the_e_mail_sent_to_the_address_written_in_another_case():
    question = submit(EventFactory())
    Question.objects.filter(pk=question.pk).update(email=question.email.upper())
    question.refresh_from_db()
    assert not services.resend_confirmation(question=question)
    OutboundEmail.objects.update(created_at=timezone.now() - timedelta(minutes=16))
    assert services.resend_confirmation(question=question)
    assert OutboundEmail.objects.count() == 2


def test_supports_once_per_browser_and_never_on_answered_questions():
    question = QuestionFactory()
    supports.support_question(question=question, browser_key="k1", email="a@example.org")
    with pytest.raises(AlreadySupported):
        supports.support_question(question=question, browser_key="k1")
    supports.support_question(question=question, browser_key="k2")
    assert question.support_count == 2
    answered = QuestionFactory(state=QuestionState.ANSWERED)
    with pytest.raises(SupportRefused):
        supports.support_question(question=answered, browser_key="k1")
    hidden = QuestionFactory(state=QuestionState.SUBMITTED)
    with pytest.raises(SupportRefused):
        supports.support_question(question=hidden, browser_key="k1")
    answered.refresh_from_db()
    hidden.refresh_from_db()
    assert answered.support_count == hidden.support_count == 0


def test_a_supporter_email_is_told_of_the_answer_only_once_confirmed():
    question = QuestionFactory(state=QuestionState.SELECTED, email="author@example.org")
    supports.support_question(
        question=question, browser_key="k", email="fan@example.org", language="es"
    )
    # Anyone may type anyone's address: nothing but the confirmation link goes to it.
    (link_email,) = OutboundEmail.objects.filter(to="fan@example.org")
    assert link_email.kind == "support_email_confirmation" and link_email.language == "es"
    assert question.title not in link_email.body_text
    assert dict(services.answer_recipients(question)) == {"author@example.org": "fr"}
    supports.support_question(
        question=QuestionFactory(), browser_key="k", email="FAN@example.org", language="es"
    )
    assert OutboundEmail.objects.filter(to__iexact="fan@example.org").count() == 1  # one link
    assert supports.confirm_support_email(email="fan@example.org") == 2
    recipients = dict(services.answer_recipients(question))
    assert recipients == {"author@example.org": "fr", "fan@example.org": "es"}


@pytest.mark.postgresql_only
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_clicks_store_one_question():
    """A real race: two threads submit the same form at the same instant."""
    import threading

    from django.db import connection

    event = EventFactory()
    barrier = threading.Barrier(2)
    outcomes = []

    def click():
        try:
            barrier.wait()
            submit(event, idempotency_key="d" * 32)
            outcomes.append("stored")
        except DuplicateSubmission:
            outcomes.append("duplicate")
        finally:
            connection.close()

    threads = [threading.Thread(target=click) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["duplicate", "stored"]
    assert Question.objects.count() == 1 and OutboundEmail.objects.count() == 1
