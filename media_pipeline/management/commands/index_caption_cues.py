"""Store in rows the cues of captions uploaded before cues had rows (run once after upgrading),
so the site search finds what those answers say and the caption editor opens them."""

from django.core.management.base import BaseCommand

from core.errors import DomainError
from media_pipeline.models import Caption
from media_pipeline.services import captions


class Command(BaseCommand):
    help = "Store the cues of caption files that have none in the database yet."

    def handle(self, *args, **options) -> None:
        done = failed = 0
        for caption in Caption.objects.filter(cues__isnull=True).order_by("pk"):
            try:
                captions.index_caption_cues(caption=caption)
                done += 1
            except (DomainError, OSError) as error:
                failed += 1
                self.stderr.write(f"caption {caption.pk}: {error}")
        self.stdout.write(f"{done} caption file(s) indexed, {failed} failed")
