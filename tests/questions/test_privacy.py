"""Privacy (RGPD) commands: purge, anonymise, export, erase; periodic ones scheduled in beat."""

import json
from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation

from media_pipeline.models import AnswerVideo, VideoState
from portal.celery import app
from questions.models import ModerationDecision, OutboundEmail, Question, QuestionState, Support
from questions.privacy import ANONYMOUS_DISPLAY_NAME
from tests.factories import EventFactory, QuestionFactory, ThemeFactory
from tests.questions.conftest import question_data

pytestmark = pytest.mark.django_db


def run(command: str, *args: str) -> str:
    out = StringIO()
    call_command(command, *args, stdout=out)
    return out.getvalue()


def backdate(question: Question, **fields) -> None:
    Question.objects.filter(pk=question.pk).update(**fields)


def outbox_email(question: Question | None, to: str, **fields) -> OutboundEmail:
    return OutboundEmail.objects.create(
        to=to,
        subject="Confirmez votre question",
        body_text=f"Bonjour, confirmez : {question.title if question else ''}",
        language="fr",
        kind=fields.pop("kind", "confirmation"),
        question=question,
        **fields,
    )


def test_unconfirmed_questions_are_purged_once_their_link_expired(settings):
    settings.QUESTION_CONFIRMATION_MAX_AGE_SECONDS = 48 * 3600
    now = timezone.now()
    expired = QuestionFactory(state=QuestionState.UNCONFIRMED, confirmed_at=None)
    fresh = QuestionFactory(state=QuestionState.UNCONFIRMED, confirmed_at=None)
    old_but_confirmed = QuestionFactory(state=QuestionState.SUBMITTED)
    backdate(expired, created_at=now - timedelta(hours=49))
    backdate(old_but_confirmed, created_at=now - timedelta(days=30))
    outbox_email(expired, expired.email)

    assert run("purge_unconfirmed_questions").startswith("1 unconfirmed question(s) deleted")
    assert set(Question.objects.values_list("pk", flat=True)) == {fresh.pk, old_but_confirmed.pk}
    assert not OutboundEmail.objects.filter(to=expired.email).exists()


def test_rejected_questions_lose_their_author_after_the_retention_period(settings):
    settings.REJECTED_QUESTION_RETENTION_DAYS = 90
    now = timezone.now()
    old = QuestionFactory(state=QuestionState.REJECTED, rejection_reason="off_topic")
    recent = QuestionFactory(state=QuestionState.REJECTED, rejection_reason="off_topic")
    backdate(old, rejected_at=now - timedelta(days=91))
    backdate(recent, rejected_at=now - timedelta(days=10))
    outbox_email(old, old.email, kind="rejected")
    Support.objects.create(question=old, supporter_key="k" * 64, email="fan@example.org")

    assert run("anonymise_rejected_questions").startswith("1 rejected question(s) anonymised")
    old.refresh_from_db()
    recent.refresh_from_db()
    assert old.email == "" and old.display_name == ANONYMOUS_DISPLAY_NAME
    assert old.anonymised_at is not None
    assert old.title and old.rejection_reason == "off_topic"  # statistics and audit stay
    assert not OutboundEmail.objects.filter(question=old).exists()
    assert Support.objects.get(question=old).email == ""
    assert recent.email and recent.anonymised_at is None
    assert run("anonymise_rejected_questions").startswith("0 ")  # idempotent


@pytest.fixture
def camille():
    """Camille wrote three questions, supported another, and got e-mails."""
    address = "Camille.Martin@example.org"
    published = QuestionFactory(email=address, display_name="Camille M.")
    pending = QuestionFactory(email=address, state=QuestionState.SUBMITTED)
    answered = QuestionFactory(email=address, state=QuestionState.ANSWERED)
    AnswerVideo.objects.create(
        question=answered, state=VideoState.PUBLISHED, hls_master="answers/x/master.m3u8"
    )
    someone_else = QuestionFactory(email="other@example.org")
    Support.objects.create(
        question=someone_else, supporter_key="c" * 64, email="camille.martin@example.org"
    )
    ModerationDecision.objects.create(
        question=published, from_state="submitted", to_state="approved"
    )
    outbox_email(pending, address)
    outbox_email(None, "CAMILLE.MARTIN@example.org", kind="support_confirmation")
    return {
        "address": address,
        "published": published,
        "pending": pending,
        "answered": answered,
        "someone_else": someone_else,
    }


def test_export_lists_everything_held_about_an_address(camille):
    data = json.loads(run("export_personal_data", "--email", "camille.martin@example.org"))
    assert {q["public_id"] for q in data["questions"]} == {
        camille[name].public_id for name in ("published", "pending", "answered")
    }
    published = next(
        q for q in data["questions"] if q["public_id"] == camille["published"].public_id
    )
    assert published["display_name"] == "Camille M."
    assert published["decisions"][0]["to"] == "approved"
    assert [s["question"] for s in data["supports"]] == [camille["someone_else"].public_id]
    assert len(data["emails"]) == 2
    assert "other@example.org" not in json.dumps(data)


def test_delete_erases_an_address_everywhere_and_leaves_videos(camille):
    report = json.loads(run("delete_personal_data", "--email", "camille.martin@example.org"))
    assert report == {
        "questions_deleted": 2,
        "questions_anonymised": 1,
        "supports_anonymised": 1,
        "emails_deleted": 2,
    }
    for name in ("published", "pending"):
        assert not Question.objects.filter(pk=camille[name].pk).exists()
    # The answered question stays, its video too, without its author.
    answered = Question.objects.get(pk=camille["answered"].pk)
    assert answered.email == "" and answered.display_name == ANONYMOUS_DISPLAY_NAME
    assert answered.state == QuestionState.ANSWERED and answered.anonymised_at
    assert AnswerVideo.objects.get(question=camille["answered"]).state == VideoState.PUBLISHED
    assert Support.objects.get(question=camille["someone_else"]).email == ""
    assert Question.objects.get(pk=camille["someone_else"].pk).email == "other@example.org"
    export = json.loads(run("export_personal_data", "--email", camille["address"]))
    assert export["questions"] == export["supports"] == export["emails"] == []


def test_the_periodic_privacy_jobs_are_scheduled_in_beat(settings):
    app.loader.import_default_modules()
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    for task in ("questions.purge_unconfirmed_questions", "questions.anonymise_rejected_questions"):
        assert task in scheduled and task in app.tasks


def test_the_periodic_tasks_call_the_services(settings):
    from questions.tasks import anonymise_rejected_questions, purge_unconfirmed_questions

    expired = QuestionFactory(state=QuestionState.UNCONFIRMED, confirmed_at=None)
    backdate(expired, created_at=timezone.now() - timedelta(days=30))
    assert purge_unconfirmed_questions.run() == 1
    assert anonymise_rejected_questions.run() == 0


def test_supporters_addresses_never_confirmed_are_forgotten_with_their_links(settings):
    settings.QUESTION_CONFIRMATION_MAX_AGE_SECONDS = 48 * 3600
    question = QuestionFactory()
    old = timezone.now() - timedelta(hours=49)
    stale = Support.objects.create(question=question, supporter_key="a", email="x@example.org")
    kept = Support.objects.create(
        question=question, supporter_key="b", email="y@example.org", email_confirmed_at=old
    )
    fresh = Support.objects.create(question=question, supporter_key="c", email="z@example.org")
    Support.objects.filter(pk__in=[stale.pk, kept.pk]).update(created_at=old)
    link = outbox_email(None, "x@example.org", kind="support_email_confirmation")
    OutboundEmail.objects.filter(pk=link.pk).update(created_at=old)
    run("purge_unconfirmed_questions")
    emails = dict(Support.objects.values_list("supporter_key", "email"))
    assert emails == {"a": "", "b": "y@example.org", "c": "z@example.org"}
    assert not OutboundEmail.objects.filter(pk=link.pk).exists()
    assert Support.objects.count() == 3 and fresh.pk  # the supports themselves still count


def test_export_shows_a_confirmation_not_sent_yet_as_it_will_be_written(client):
    event = EventFactory(themes=[ThemeFactory()])
    with translation.override("fr"):
        url = reverse("events:detail", kwargs={"slug": event.slug})
    assert client.post(url, question_data(event)).status_code == 302
    stored = OutboundEmail.objects.get(kind="question_confirmation")
    assert stored.subject == stored.body_text == ""  # written by the attempt that sends it

    (exported,) = json.loads(run("export_personal_data", "--email", "camille@example.org"))[
        "emails"
    ]
    assert exported["subject"] == "Confirmez votre question au porte-parole"
    assert "/fr/questions/confirm/" in exported["body"] and event.city in exported["body"]
    assert exported["written_when_sent"] is True
    stored.refresh_from_db()
    assert stored.subject == stored.body_text == "" and stored.attempts == 0  # nothing stored
    assert mail.outbox == []  # nor sent


def test_export_says_a_confirmation_whose_question_is_gone_will_not_be_written():
    OutboundEmail.objects.create(
        to="camille@example.org",
        kind="question_confirmation",
        template="questions/email/confirm",
        language="fr",
        question=None,  # its question was deleted
    )
    (exported,) = json.loads(run("export_personal_data", "--email", "camille@example.org"))[
        "emails"
    ]
    assert exported["subject"] == ""
    assert exported["body"] == (
        "Ce courriel est rédigé au moment de l’envoi ; sa question n’existe plus, il ne sera "
        "donc pas envoyé."
    )
