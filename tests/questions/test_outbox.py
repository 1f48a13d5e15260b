import pytest
from django.core import mail
from django.db import transaction

from questions import emails
from questions.models import OutboundEmail

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
    assert emails.sweep_outbox() == 1
    assert emails.sweep_outbox() == 0
    assert len(mail.outbox) == 1


def test_a_failed_send_is_recorded_and_retried_later(email_templates, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 1
    message = queue_hello()
    assert emails.send_outbound_email(message_id=message.pk) is False
    message.refresh_from_db()
    assert message.sent_at is None and message.attempts == 1
    assert "Connection" in message.last_error or "refused" in message.last_error.lower()
