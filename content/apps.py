import importlib

from django.apps import AppConfig
from django.db import connections
from django.db.models.signals import post_migrate

FTS_MIGRATION = "content.migrations.0003_objective_search_fts5"
FTS_TRIGGERS = {"content_objective_fts_insert", "content_objective_fts_update", "content_objective_fts_delete"}


def search_index_repair(using="default", **kwargs) -> None:
    """SQLite: bring back the search index's triggers if a table rebuild dropped them, and rebuild it.

    Django's SQLite schema editor alters a table by copying it to a new one and dropping the old,
    and SQLite drops a table's triggers with it: without this, a later migration of Objective
    would leave search silently stale.
    """
    connection = connections[using]
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT type, name FROM sqlite_master WHERE name LIKE 'content_objective_fts%'")
        names = {name for _, name in cursor.fetchall()}
        if "content_objective_fts" not in names or names >= FTS_TRIGGERS:
            return  # not migrated yet (or migrated back), or intact
        for statement in importlib.import_module(FTS_MIGRATION).CREATE:
            cursor.execute(statement)


class ContentConfig(AppConfig):
    name = "content"
    verbose_name = "Content"

    def ready(self):
        post_migrate.connect(search_index_repair, sender=self, dispatch_uid="content-search-index-repair")
