import datetime

import django.core.validators
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def copy_quiz_mode(apps, schema_editor):
    Attempt = apps.get_model("quizzes", "Attempt")
    Quiz = apps.get_model("quizzes", "Quiz")
    Attempt.objects.update(feedback_mode=Subquery(Quiz.objects.filter(pk=OuterRef("quiz_id")).values("feedback_mode")))


class Migration(migrations.Migration):
    dependencies = [("quizzes", "0004_instructors_manage_quizzes")]

    operations = [
        migrations.AddField(
            model_name="attempt",
            name="feedback_mode",
            field=models.CharField(
                choices=[
                    ("immediate", "Immediate: after each answer"),
                    ("deferred", "Deferred: after submitting"),
                    ("none", "None"),
                ],
                default="immediate",
                help_text="The quiz's mode when the attempt started.",
                max_length=10,
            ),
            preserve_default=False,
        ),
        migrations.RunPython(copy_quiz_mode, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="quiz",
            name="attempts_allowed",
            field=models.PositiveSmallIntegerField(
                blank=True,
                help_text="Empty: unlimited.",
                null=True,
                validators=[django.core.validators.MinValueValidator(1)],
            ),
        ),
        migrations.AlterField(
            model_name="quiz",
            name="time_limit",
            field=models.DurationField(
                blank=True,
                help_text="Empty: no time limit. From 00:01:00 to 7 days, e.g. 00:20:00.",
                null=True,
                validators=[
                    django.core.validators.MinValueValidator(datetime.timedelta(seconds=60)),
                    django.core.validators.MaxValueValidator(datetime.timedelta(days=7)),
                ],
            ),
        ),
    ]
