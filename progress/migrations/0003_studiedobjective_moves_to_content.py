from django.db import migrations


class Migration(migrations.Migration):
    """StudiedObjective moves to the content app (docs/architecture.md: layers). The table stays; the
    content app's migration takes the model over and renames its table."""

    dependencies = [("progress", "0002_cardstate_reviewevent")]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[migrations.DeleteModel(name="StudiedObjective")]),
    ]
