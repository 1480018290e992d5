"""Every active user has their address as a primary allauth EmailAddress row (portal.adapters).

Sign-up makes its own (unverified) row; every other way a user is made or given a new address (the
admin, `createsuperuser`, load_demo, the test factories) passes here, and the address is taken as
verified: an administrator or a command set it, as Moodle confirms accounts an administrator creates.
"""

from allauth.account.models import EmailAddress
from django.db import transaction


def user_email_address_sync(sender, instance, raw=False, **kwargs):
    if raw or not instance.is_active or not instance.email or getattr(instance, "_addresses_set_by_allauth", False):
        return
    email = instance.email.lower()
    mine = EmailAddress.objects.filter(user_id=instance.pk)
    if mine.filter(email__iexact=email).exists():
        return
    with transaction.atomic():
        mine.delete()  # one address per account: the new one replaces the old
        # Another account's unverified claim on the address cannot outlive the address's owner.
        EmailAddress.objects.filter(email__iexact=email, verified=False).delete()
        taken = EmailAddress.objects.filter(email__iexact=email, verified=True).exists()
        EmailAddress.objects.create(user_id=instance.pk, email=email, primary=True, verified=not taken)
