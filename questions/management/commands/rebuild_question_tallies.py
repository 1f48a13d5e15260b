from django.core.management.base import BaseCommand

from questions.tallies import rebuild


class Command(BaseCommand):
    help = (
        "Recount the statistics' stored aggregates (question tallies and delays) from the "
        "questions: after bulk inserts, or to check them."
    )

    def handle(self, *args, **options) -> None:
        tallies, delays = rebuild()
        self.stdout.write(
            self.style.SUCCESS(f"Rebuilt {tallies} tally rows and {delays} delay rows.")
        )
