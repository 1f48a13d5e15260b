from django.core.management.base import BaseCommand

from questions import privacy


class Command(BaseCommand):
    help = (
        "Delete questions whose confirmation link expired unconfirmed "
        "(QUESTION_CONFIRMATION_MAX_AGE_SECONDS). Run hourly by Celery beat."
    )

    def handle(self, *args, **options) -> None:
        count = privacy.purge_unconfirmed_questions()
        self.stdout.write(f"{count} unconfirmed question(s) deleted.")
