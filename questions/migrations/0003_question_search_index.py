"""Full-text search index (PostgreSQL only): the same expression as
questions.selectors._full_text, so the planner uses it for `@@` searches."""

from django.db import migrations

INDEX_NAME = "question_search_fr_idx"
CREATE = (
    f"CREATE INDEX IF NOT EXISTS {INDEX_NAME} ON questions_question USING gin (("
    "setweight(to_tsvector('french'::regconfig, COALESCE(title, '')), 'A') || "
    "setweight(to_tsvector('french'::regconfig, COALESCE(text, '')), 'B')))"
)
DROP = f"DROP INDEX IF EXISTS {INDEX_NAME}"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("questions", "0002_question_created_index")]

    operations = [migrations.RunPython(create_index, drop_index, elidable=False)]
