from django.contrib.auth.management import create_permissions
from django.db import migrations

GRANTS = ["add_quiz", "change_quiz", "view_quiz", "view_attempt"]  # attempts are learners' work: view only


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="Instructors")
    group.permissions.add(*Permission.objects.filter(content_type__app_label="quizzes", codename__in=GRANTS))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name="Instructors").first()
    if group:
        group.permissions.remove(*Permission.objects.filter(content_type__app_label="quizzes", codename__in=GRANTS))


class Migration(migrations.Migration):
    dependencies = [("quizzes", "0003_quizzes_and_attempts")]
    operations = [migrations.RunPython(grant, revoke)]
