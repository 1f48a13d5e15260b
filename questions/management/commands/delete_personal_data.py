import json

from django.core.management.base import BaseCommand, CommandError

from questions import privacy


class Command(BaseCommand):
    help = (
        "Erase an e-mail address everywhere (right to erasure): unpublished questions are "
        "deleted, public ones lose their author, supports and e-mails lose the address. "
        "Videos are untouched. Prints what was done as JSON."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--email", required=True, help="the citizen's e-mail address")

    def handle(self, *args, email: str, **options) -> None:
        try:
            report = privacy.delete_personal_data(email=email)
        except ValueError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(json.dumps(report))
