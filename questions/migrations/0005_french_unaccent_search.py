"""Accent-insensitive French search (PostgreSQL only): the `unaccent` extension and a text search
configuration `french_unaccent` (French stemming after accents are removed), so "election" finds
"élection". The full-text index of migration 0003 is rebuilt on the new configuration: it must
match questions.selectors.search_vector() for the planner to use it.

unaccent is a trusted extension (PostgreSQL 13+): the database owner may create it.
"""

from django.db import migrations

CONFIG = "french_unaccent"
INDEX_NAME = "question_search_fr_idx"


def index_sql(config: str) -> str:
    return (
        f"CREATE INDEX {INDEX_NAME} ON questions_question USING gin (("
        f"setweight(to_tsvector('{config}'::regconfig, COALESCE(title, '')), 'A') || "
        f"setweight(to_tsvector('{config}'::regconfig, COALESCE(text, '')), 'B')))"
    )


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
    schema_editor.execute(
        f"DO $$ BEGIN "
        f"IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = '{CONFIG}') THEN "
        f"CREATE TEXT SEARCH CONFIGURATION {CONFIG} (COPY = french); "
        f"ALTER TEXT SEARCH CONFIGURATION {CONFIG} "
        f"ALTER MAPPING FOR hword, hword_part, word WITH unaccent, french_stem; "
        f"END IF; END $$"
    )
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX_NAME}")
    schema_editor.execute(index_sql(CONFIG))


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX_NAME}")
    schema_editor.execute(index_sql("french"))
    schema_editor.execute(f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {CONFIG}")


class Migration(migrations.Migration):
    dependencies = [("questions", "0004_question_search_trigram")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
