import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    """Takes StudiedObjective over from the progress app with its rows, then renames its table."""

    dependencies = [
        ("content", "0001_initial"),
        ("progress", "0003_studiedobjective_moves_to_content"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="StudiedObjective",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("studied_at", models.DateTimeField(auto_now_add=True)),
                        (
                            "objective",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="studied_marks",
                                to="content.objective",
                            ),
                        ),
                        (
                            "user",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="studied_objectives",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "db_table": "progress_studiedobjective",
                        "constraints": [
                            models.UniqueConstraint(fields=("user", "objective"), name="studied_once_per_user")
                        ],
                    },
                ),
            ]
        ),
        migrations.AlterModelTable(name="studiedobjective", table=None),
    ]
