from django.core.management.base import BaseCommand

from portal.opendata.dumps import export_dumps


class Command(BaseCommand):
    help = "Write the open-data CSV and JSON files (beat runs it nightly)."

    def handle(self, *args, **options) -> None:
        for dump in export_dumps():
            self.stdout.write(f"{dump.file.name}: {dump.records} records, {dump.size} bytes")
