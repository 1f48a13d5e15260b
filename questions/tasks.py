from celery import shared_task

from questions import emails, outbox, privacy


# No result: nothing reads it, and publishing then never touches the result backend.
@shared_task(name="questions.send_outbound_email", ignore_result=True)
def send_outbound_email(message_id: int) -> bool:
    return emails.send_outbound_email(message_id=message_id)


@shared_task(name="questions.dispatch_outbox", ignore_result=True)
def dispatch_outbox() -> int:
    return outbox.dispatch_outbox()


@shared_task(name="questions.sweep_outbox", ignore_result=True)
def sweep_outbox() -> int:
    return outbox.sweep_outbox()


@shared_task(name="questions.purge_unconfirmed_questions", ignore_result=True)
def purge_unconfirmed_questions() -> int:
    return privacy.purge_unconfirmed_questions()


@shared_task(name="questions.anonymise_rejected_questions", ignore_result=True)
def anonymise_rejected_questions() -> int:
    return privacy.anonymise_rejected_questions()
