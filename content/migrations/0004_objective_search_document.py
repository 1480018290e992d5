from django.db import migrations

# PostgreSQL only: the search document of each objective (its prompt, weight A, and note text,
# weight B, English stemming) as a stored generated column with a GIN index, so a search matches and
# ranks without running to_tsvector over every note of the library on every query (about 6 ms of
# a search's 9 ms in the database with the whole course: docs/performance-notes.md). The column is
# not a model field: content.selectors.objectives_search reads it by name, and PostgreSQL keeps it
# in step with the row. SQLite has its FTS5 index (0003) and gets nothing here.
#
# Caution: PostgreSQL refuses to change the type of a column a generated column uses (prompt,
# note_text): a later migration that alters either must drop this column first and add it back.

DOCUMENT = (
    "setweight(to_tsvector('english'::regconfig, COALESCE(prompt, '')), 'A') || "
    "setweight(to_tsvector('english'::regconfig, COALESCE(note_text, '')), 'B')"
)
CREATE = [
    f"ALTER TABLE content_objective ADD COLUMN search_document tsvector GENERATED ALWAYS AS ({DOCUMENT}) STORED",
    "CREATE INDEX content_objective_search_document ON content_objective USING GIN (search_document)",
]
DROP = [
    "DROP INDEX IF EXISTS content_objective_search_document",
    "ALTER TABLE content_objective DROP COLUMN IF EXISTS search_document",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements:
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("content", "0003_objective_search_fts5")]

    operations = [migrations.RunPython(_run(CREATE), _run(DROP), elidable=False)]
