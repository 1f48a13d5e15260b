from django.core.management.base import BaseCommand

from questions import privacy


class Command(BaseCommand):
    help = (
        "Remove the author's e-mail and name from questions rejected more than "
        "REJECTED_QUESTION_RETENTION_DAYS ago. Run daily by Celery beat."
    )

    def handle(self, *args, **options) -> None:
        count = privacy.anonymise_rejected_questions()
        self.stdout.write(f"{count} rejected question(s) anonymised.")
