"""Trigram indexes so the admin's search (title, text, display name; Django's icontains, i.e.
UPPER(column) LIKE UPPER('%term%')) stays fast at 100,000+ questions. PostgreSQL only.

pg_trgm is a trusted extension (PostgreSQL 13+): the database owner may create it. Where it
cannot be created the indexes are skipped with a warning; search still works, only slower.
"""

import logging

from django.db import DatabaseError, migrations, transaction

logger = logging.getLogger(__name__)

# Expressions match the SQL Django writes for icontains, or the planner would not use them.
INDEXES = {
    "question_search_title_trgm": "UPPER(title::text)",
    "question_search_text_trgm": "UPPER(text)",
    "question_search_name_trgm": "UPPER(display_name::text)",
}


def create_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    try:
        with transaction.atomic(using=schema_editor.connection.alias):
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except DatabaseError as error:
        logger.warning("pg_trgm unavailable (%s): admin search will not be indexed", error)
        return
    for name, expression in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON questions_question "
            f"USING gin ({expression} gin_trgm_ops)"
        )


def drop_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("questions", "0003_question_search_index")]

    operations = [migrations.RunPython(create_trigram_indexes, drop_trigram_indexes)]
