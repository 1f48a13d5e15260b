from celery import shared_task

from questions import emails


@shared_task(name="questions.send_outbound_email")
def send_outbound_email(message_id: int) -> bool:
    return emails.send_outbound_email(message_id=message_id)


@shared_task(name="questions.sweep_outbox")
def sweep_outbox() -> int:
    return emails.sweep_outbox()
