"""Every active user gets their address as a primary allauth EmailAddress row (portal.signals).

Users made by load_demo, the admin or createsuperuser had none, so allauth let another account add
their address. Another account's unverified claim on an address that is someone's User.email is
removed; an account's own address is taken as verified unless another account verified it first.
"""

from django.db import migrations


def forwards(apps, schema_editor):
    User = apps.get_model("portal", "User")
    EmailAddress = apps.get_model("account", "EmailAddress")
    for user in User.objects.filter(is_active=True).exclude(email="").iterator():
        email = user.email.lower()
        EmailAddress.objects.filter(email__iexact=email, verified=False).exclude(user_id=user.pk).delete()
        if EmailAddress.objects.filter(user_id=user.pk, email__iexact=email).exists():
            continue
        has_primary = EmailAddress.objects.filter(user_id=user.pk, primary=True).exists()
        taken = EmailAddress.objects.filter(email__iexact=email, verified=True).exists()
        EmailAddress.objects.create(user_id=user.pk, email=email, primary=not has_primary, verified=not taken)


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0002_user_daily_new_cards_user_exam_date_and_more"),
        ("account", "0009_emailaddress_unique_primary_email"),
    ]

    operations = [
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
