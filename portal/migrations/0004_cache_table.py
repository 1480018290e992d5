"""The table of the DatabaseCache (portal.settings: the default cache when REDIS_URL is unset)."""

from django.db import migrations


def create_cache_table(apps, schema_editor):
    """The DatabaseCache (settings: rate limits hold across workers) needs its table; a no-op for Redis."""
    from django.core.management import call_command

    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("portal", "0003_email_addresses")]

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop, elidable=True)]
