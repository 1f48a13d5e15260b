"""The daily dumps: every record as one CSV and one JSON file, written through Django's storage.

One pass over the records writes both files to local temporary files (constant memory), which
are then stored under a dated name; a row per file says which is the latest, so a download link
never points at a half-written file. Older files beyond DUMPS_KEPT are deleted after commit.
"""

import csv
import json
import logging
import tempfile
from pathlib import Path

from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from portal.opendata.columns import COLUMN_NAMES
from portal.opendata.models import DumpFormat, OpenDataDump
from portal.opendata.records import iter_records
from portal.opendata.schema import LICENCE_URL

DUMPS_KEPT = 7  # per format: a week of history
FILE_PREFIX = "opendata/hors-les-murs-questions"
logger = logging.getLogger(__name__)


def csv_row(record: dict) -> list:
    """Lists become space-separated words, booleans true or false (as in the JSON), null an
    empty cell."""
    row = []
    for name in COLUMN_NAMES:
        value = record[name]
        if isinstance(value, list):
            value = " ".join(value)
        elif isinstance(value, bool):
            value = "true" if value else "false"
        row.append("" if value is None else value)
    return row


def _write(folder: Path, generated_at) -> tuple[Path, Path, int]:
    csv_path, json_path = folder / "dump.csv", folder / "dump.json"
    count = 0
    with (
        csv_path.open("w", encoding="utf-8", newline="") as csv_file,
        json_path.open("w", encoding="utf-8") as json_file,
    ):
        writer = csv.writer(csv_file)
        writer.writerow(COLUMN_NAMES)
        json_file.write(
            f'{{"licence": {json.dumps(LICENCE_URL)}, '
            f'"generated_at": {json.dumps(generated_at.isoformat())}, "results": ['
        )
        for record in iter_records():
            writer.writerow(csv_row(record))
            json_file.write(("," if count else "") + "\n" + json.dumps(record, ensure_ascii=False))
            count += 1
        json_file.write(f'\n], "count": {count}}}\n')
    return csv_path, json_path, count


def export_dumps() -> list[OpenDataDump]:
    """Write today's CSV and JSON files and record them; returns the new rows."""
    generated_at = timezone.now()
    stamp = timezone.localtime(generated_at).strftime("%Y-%m-%dT%H%M%S")
    with tempfile.TemporaryDirectory(prefix="hlm-opendata-") as folder:
        csv_path, json_path, count = _write(Path(folder), generated_at)
        stored = []
        for dump_format, path in ((DumpFormat.CSV, csv_path), (DumpFormat.JSON, json_path)):
            with path.open("rb") as handle:
                name = default_storage.save(f"{FILE_PREFIX}-{stamp}.{dump_format}", File(handle))
            stored.append((dump_format, name, path.stat().st_size))
    with transaction.atomic():
        dumps = [
            OpenDataDump.objects.create(
                format=dump_format, file=name, records=count, size=size, generated_at=generated_at
            )
            for dump_format, name, size in stored
        ]
        transaction.on_commit(_delete_old_dumps)
    logger.info("open data: %d records written to %s", count, [name for _, name, _ in stored])
    return dumps


def _delete_old_dumps() -> None:
    for dump_format in DumpFormat.values:
        old = OpenDataDump.objects.filter(format=dump_format).order_by("-generated_at", "-pk")[
            DUMPS_KEPT:
        ]
        for dump in old:
            default_storage.delete(dump.file.name)
            dump.delete()


def latest_dumps() -> dict[str, OpenDataDump]:
    """The newest file of each format (one query)."""
    latest: dict[str, OpenDataDump] = {}
    for dump in OpenDataDump.objects.order_by("-generated_at", "-pk")[: 2 * DUMPS_KEPT]:
        latest.setdefault(dump.format, dump)
    return latest
