import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone, translation

from portal.roles import MODERATORS
from questions import emails, outbox
from questions.models import OutboundEmail, Question
from tests.factories import EventFactory, ThemeFactory, UserFactory
from tests.production import free_port
from tests.questions.conftest import question_data, sent
from tests.smtp import smtp_server

pytestmark = pytest.mark.django_db


@pytest.fixture
def email_templates(tmp_path, settings):
    folder = tmp_path / "templates" / "test"
    folder.mkdir(parents=True)
    (folder / "hello_subject.txt").write_text("{% load i18n %}{% translate 'Hello' %} {{ name }}\n")
    (folder / "hello.txt").write_text("Bonjour {{ name }}")
    (folder / "hello.html").write_text("<p>Bonjour {{ name }}</p>")
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [tmp_path / "templates", *settings.TEMPLATES[0]["DIRS"]]}
    ]


def queue_hello(**overrides) -> OutboundEmail:
    kwargs = {
        "to": "citoyen@example.org",
        "kind": "test",
        "template": "test/hello",
        "context": {"name": "<Camille>"},
        "language": "fr",
    } | overrides
    return emails.queue_email(**kwargs)


def test_an_email_is_stored_and_sent_once_even_if_sent_twice(email_templates):
    message = queue_hello()
    assert message.subject == "Hello <Camille>"
    assert emails.send_outbound_email(message_id=message.pk) is True
    assert emails.send_outbound_email(message_id=message.pk) is False
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == ["citoyen@example.org"]
    assert "<p>Bonjour &lt;Camille&gt;</p>" in sent.alternatives[0][0]


def test_an_email_of_a_rolled_back_change_never_exists(email_templates):
    with pytest.raises(RuntimeError), transaction.atomic():
        queue_hello()
        raise RuntimeError("the change fails")
    assert not OutboundEmail.objects.exists()


def test_the_sweep_sends_what_the_broker_missed(email_templates, settings):
    message = queue_hello()
    OutboundEmail.objects.filter(pk=message.pk).update(
        created_at=message.created_at.replace(year=2020)
    )
    assert outbox.sweep_outbox() == 1
    assert outbox.sweep_outbox() == 0
    assert len(mail.outbox) == 1


def test_a_failed_send_is_recorded_and_retried_later(email_templates, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 1
    message = queue_hello()
    assert emails.send_outbound_email(message_id=message.pk) is False
    message.refresh_from_db()
    assert message.sent_at is None and message.attempts == 1
    assert "Connection" in message.last_error or "refused" in message.last_error.lower()


@pytest.fixture
def smtp(settings):
    """The e-mails go to a real SMTP server (aiosmtpd) on loopback."""
    with smtp_server() as (inbox, port):
        point_at(settings, port)
        yield inbox


def point_at(settings, port: int) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""


def later(minutes: float) -> None:
    """Move the outbox's clock: every waiting e-mail was created and backed off earlier."""
    shift = timedelta(minutes=minutes)
    OutboundEmail.objects.update(
        created_at=F("created_at") - shift,
        next_attempt_at=F("next_attempt_at") - shift,
        expires_at=F("expires_at") - shift,
    )


def test_smtp_down_backs_off_then_sends_once_it_is_up(email_templates, settings):
    settings.OUTBOX_RETRY_BASE_SECONDS, settings.OUTBOX_RETRY_MAX_SECONDS = 60, 30 * 60
    port = free_port()
    point_at(settings, port)  # nothing listens there: the SMTP server is down
    message = queue_hello()
    later(1)
    delays = []
    for _attempt in range(14):  # more than the ten attempts that used to be the end
        assert outbox.sweep_outbox() == 0
        message.refresh_from_db()
        delays.append((message.next_attempt_at - timezone.now()).total_seconds())
        assert outbox.sweep_outbox() == 0  # backing off: no attempt before next_attempt_at
        later(delays[-1] / 60 + 0.01)
    message.refresh_from_db()
    assert message.attempts == 14 and message.abandoned_at is None and message.sent_at is None
    assert 55 < delays[0] < 65 and 115 < delays[1] < 125  # 1 min, 2 min, 4 min...
    assert max(delays) < 30 * 60 + 5  # ...capped at 30 min
    with smtp_server(port=port) as (inbox, _port):
        assert outbox.sweep_outbox() == 1
        assert outbox.sweep_outbox() == 0
    assert len(inbox.messages) == 1
    assert inbox.message_ids() == [message.message_id]


def test_an_email_no_longer_useful_is_abandoned_and_staff_see_it(
    email_templates, settings, admin_client
):
    point_at(settings, free_port())  # down for good
    message = queue_hello(expires_at=timezone.now() + timedelta(hours=48))
    later(1)
    outbox.sweep_outbox()
    later(47 * 60)  # the SMTP server stayed down for two days
    assert outbox.outbox_backlog()["pending"] == 1
    later(2 * 60)
    outbox.sweep_outbox()
    message.refresh_from_db()
    assert message.abandoned_at is not None and message.sent_at is None
    assert outbox.outbox_backlog() == {
        "pending": 0,
        "oldest_pending_seconds": 0,
        "abandoned_last_day": 1,
    }
    page = admin_client.get(
        reverse("admin:questions_outboundemail_changelist"), {"delivery": "abandoned"}
    )
    assert page.status_code == 200
    assert (
        "Abandonné" in page.content.decode() and "ConnectionRefusedError" in page.content.decode()
    )


def test_a_recipient_refused_for_good_is_abandoned_at_once(email_templates, smtp):
    smtp.refuse = {"nobody@example.org"}
    message = queue_hello(to="nobody@example.org")
    assert emails.send_outbound_email(message_id=message.pk) is False
    message.refresh_from_db()
    assert message.abandoned_at is not None and "550" in message.last_error


def test_every_attempt_of_a_row_carries_the_same_message_id(email_templates, smtp):
    first, second = queue_hello(), queue_hello()
    assert emails.send_outbound_email(message_id=first.pk)
    # As if the worker had died after the server accepted it: sent again once presumed dead.
    OutboundEmail.objects.filter(pk=first.pk).update(sent_at=None)
    assert emails.send_outbound_email(message_id=first.pk)
    assert emails.send_outbound_email(message_id=second.pk)
    ids = smtp.message_ids()
    assert ids[0] == ids[1] != ids[2]
    assert ids[0].startswith("<outbox.") and ids[0].endswith("@horslesmurs.diplomatie.gouv.fr>")


def test_a_row_being_sent_by_another_worker_is_left_to_it(email_templates, smtp):
    message = queue_hello()
    OutboundEmail.objects.filter(pk=message.pk).update(
        sending_until=timezone.now() + timedelta(minutes=5)
    )
    later(1)
    assert outbox.sweep_outbox() == 0
    assert smtp.messages == []


def test_a_confirmation_email_is_useful_as_long_as_its_link(settings, client):
    event = EventFactory(themes=[ThemeFactory(slug="europe", name="Europe")])
    client.post(reverse("events:detail", kwargs={"slug": event.slug}), question_data(event))
    message = OutboundEmail.objects.get(kind="question_confirmation")
    lifetime = message.expires_at - message.created_at
    expected = timedelta(seconds=settings.QUESTION_CONFIRMATION_MAX_AGE_SECONDS)
    assert abs(lifetime - expected) < timedelta(seconds=5)


def test_moderators_see_the_outbox_with_addresses_masked_in_constant_queries(
    email_templates, client, django_assert_max_num_queries
):
    client.force_login(UserFactory(groups=[MODERATORS]))
    url = reverse("admin:questions_outboundemail_changelist")
    queue_hello(to="camille.durand@example.org")
    client.get(url)
    with django_assert_max_num_queries(12) as first:
        client.get(url)
    for n in range(20):
        queue_hello(to=f"citoyen{n}@example.org")
    with django_assert_max_num_queries(len(first.captured_queries)):
        page = client.get(url).content.decode()
    assert "c•••@•••.org" in page and "camille.durand@example.org" not in page
    assert client.get(url, {"to__startswith": "c"}).status_code == 400  # no rebuilding it
    assert client.post(url, {"action": "delete_selected", "_selected_action": [1]}).status_code in (
        200,
        302,
    )
    assert OutboundEmail.objects.count() == 21  # read-only: nothing deleted


def test_the_dispatch_sends_each_new_email_once(email_templates):
    queued = [queue_hello(to=f"citoyen{n}@example.org") for n in range(3)]
    assert outbox.dispatch_outbox() == 3
    assert outbox.dispatch_outbox() == 0
    assert sorted(m.to[0] for m in mail.outbox) == sorted(m.to for m in queued)
    assert not outbox.pending().exists()


def test_a_submission_writes_the_outbox_row_and_never_calls_the_broker(client, monkeypatch):
    def no_broker(*args, **kwargs):
        raise AssertionError("the request called the broker")

    monkeypatch.setattr("celery.app.base.Celery.send_task", no_broker)
    event = EventFactory(themes=[ThemeFactory(slug="europe", name="Europe")])
    with translation.override("fr"):
        url = reverse("events:detail", kwargs={"slug": event.slug})
    response = client.post(url, question_data(event))
    assert response.status_code == 302
    question = Question.objects.get()
    message = OutboundEmail.objects.get()
    assert message.question == question and message.sent_at is None
    assert outbox.dispatch_outbox() == 1  # what beat does every few seconds
    assert mail.outbox[0].to == ["camille@example.org"]


@pytest.mark.postgresql_only  # row locks; SQLite serialises whole write transactions instead
@pytest.mark.django_db(transaction=True)
def test_an_email_being_sent_by_another_dispatch_is_skipped_not_sent_twice(email_templates):
    first, second = queue_hello(to="un@example.org"), queue_hello(to="deux@example.org")
    locked, release = threading.Event(), threading.Event()

    def other_dispatch() -> None:
        try:
            with transaction.atomic():
                OutboundEmail.objects.select_for_update().get(pk=first.pk)
                locked.set()
                release.wait(30)
        finally:
            connection.close()

    worker = threading.Thread(target=other_dispatch)
    worker.start()
    try:
        assert locked.wait(30)
        assert outbox.dispatch_outbox() == 1  # the second; the first is the other one's
    finally:
        release.set()
        worker.join(30)
    assert [m.to for m in mail.outbox] == [["deux@example.org"]]
    assert OutboundEmail.objects.get(pk=second.pk).sent_at is not None
    assert outbox.dispatch_outbox() == 1  # the other one let it go unsent: now it leaves
    assert not outbox.pending().exists()


def submitted_confirmation(client) -> OutboundEmail:
    """A citizen's question sent through the event page: its confirmation e-mail, as stored."""
    event = EventFactory(themes=[ThemeFactory()])
    with translation.override("fr"):
        url = reverse("events:detail", kwargs={"slug": event.slug})
    assert client.post(url, question_data(event)).status_code == 302
    return OutboundEmail.objects.get(kind="question_confirmation")


def test_a_confirmation_is_rendered_by_its_first_attempt_and_every_retry_sends_that_text(
    client, settings
):
    message = submitted_confirmation(client)
    assert (message.subject, message.body_text, message.body_html) == ("", "", "")
    message_id = message.message_id
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()  # the server is down
    assert emails.send_outbound_email(message_id=message.pk) is False
    message.refresh_from_db()
    assert message.attempts == 1 and message.sent_at is None
    assert "Confirmez votre question" in message.subject
    link = message.body_text.split("/fr/questions/confirm/", 1)[1].split()[0]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    OutboundEmail.objects.update(next_attempt_at=None)
    assert emails.send_outbound_email(message_id=message.pk) is True
    (delivered,) = mail.outbox
    assert delivered.subject == message.subject and link in delivered.body
    assert delivered.extra_headers["Message-ID"] == message_id  # the same for every attempt
    assert emails.send_outbound_email(message_id=message.pk) is False  # once only


def test_a_confirmation_whose_question_is_gone_is_abandoned_unsent(client):
    message = submitted_confirmation(client)
    Question.objects.all().delete()  # purged before beat's dispatch took the e-mail
    assert outbox.dispatch_outbox() == 0
    message.refresh_from_db()
    assert message.abandoned_at is not None and message.sent_at is None
    assert message.last_error == "its question no longer exists"
    assert mail.outbox == []


def test_staff_see_the_outbox_in_french_and_that_an_unsent_confirmation_is_written_when_sent(
    client, admin_client
):
    message = submitted_confirmation(client)
    url = reverse("admin:questions_outboundemail_change", args=[message.pk])
    page = admin_client.get(url).content.decode()
    assert "Rédigé au moment de l’envoi" in page
    assert "Créé le" in page and "Envoyé le" in page and "Created at" not in page
    sent(message)
    page = admin_client.get(url).content.decode()
    assert "Confirmez votre question" in page and "Rédigé au moment" not in page
