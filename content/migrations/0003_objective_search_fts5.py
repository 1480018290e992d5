from django.db import migrations

# SQLite only: an FTS5 index (Porter stemming) over the objectives' prompt and note text, kept in
# step with content_objective by triggers. An external-content table: it stores only the index and
# reads the text from content_objective (snippet(), highlight()). PostgreSQL has its own full text
# search (content.selectors.objectives_search) and gets nothing here.
#
# Caution: when a later migration makes Django rebuild content_objective on SQLite (most AlterField
# operations copy it to a new table and drop the old one), SQLite drops these triggers with the old
# table; content.apps re-creates them and rebuilds the index after every migrate (post_migrate).

CREATE = [
    """CREATE VIRTUAL TABLE IF NOT EXISTS content_objective_fts USING fts5(
        prompt, note_text, content='content_objective', content_rowid='id', tokenize='porter unicode61'
    )""",
    """CREATE TRIGGER IF NOT EXISTS content_objective_fts_insert AFTER INSERT ON content_objective BEGIN
        INSERT INTO content_objective_fts(rowid, prompt, note_text) VALUES (new.id, new.prompt, new.note_text);
    END""",
    """CREATE TRIGGER IF NOT EXISTS content_objective_fts_delete AFTER DELETE ON content_objective BEGIN
        INSERT INTO content_objective_fts(content_objective_fts, rowid, prompt, note_text)
        VALUES ('delete', old.id, old.prompt, old.note_text);
    END""",
    """CREATE TRIGGER IF NOT EXISTS content_objective_fts_update AFTER UPDATE ON content_objective BEGIN
        INSERT INTO content_objective_fts(content_objective_fts, rowid, prompt, note_text)
        VALUES ('delete', old.id, old.prompt, old.note_text);
        INSERT INTO content_objective_fts(rowid, prompt, note_text) VALUES (new.id, new.prompt, new.note_text);
    END""",
    "INSERT INTO content_objective_fts(content_objective_fts) VALUES ('rebuild')",  # the rows already there
]
DROP = [
    "DROP TRIGGER IF EXISTS content_objective_fts_update",
    "DROP TRIGGER IF EXISTS content_objective_fts_delete",
    "DROP TRIGGER IF EXISTS content_objective_fts_insert",
    "DROP TABLE IF EXISTS content_objective_fts",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "sqlite":
            return
        for statement in statements:
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("content", "0002_studiedobjective")]

    operations = [migrations.RunPython(_run(CREATE), _run(DROP), elidable=False)]
