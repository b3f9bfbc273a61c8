"""A full-text index for the story search, on PostgreSQL only.

The expression is exactly the one ``SearchVector("title", "narrative", "translation",
config="simple")`` in progress/filters.py produces, so the planner can use the index; change
both together. SQLite (the embedded default) searches by substring and needs no index.
"""

from django.db import migrations

EXPRESSION = (
    "to_tsvector('simple'::regconfig, COALESCE(title, '') || ' ' || COALESCE(narrative, '')"
    " || ' ' || COALESCE(translation, ''))"
)


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS story_search_idx ON progress_changestory "
            f"USING gin ({EXPRESSION})"
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS story_search_idx")


class Migration(migrations.Migration):
    dependencies = [("progress", "0004_story_list_indexes")]

    operations = [migrations.RunPython(create_index, drop_index)]
