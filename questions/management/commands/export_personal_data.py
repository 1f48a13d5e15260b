import json

from django.core.management.base import BaseCommand

from questions import privacy


class Command(BaseCommand):
    help = "Print as JSON everything held about an e-mail address (right of access)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--email", required=True, help="the citizen's e-mail address")

    def handle(self, *args, email: str, **options) -> None:
        data = privacy.export_personal_data(email=email)
        self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
