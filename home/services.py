"""Site-wide writes."""

from dataclasses import dataclass

from django.contrib.auth.models import Group
from django.db import transaction

from portal.models import User


@dataclass(frozen=True)
class DemoAccount:
    role: str
    email: str
    password: str
    is_staff: bool = False
    is_superuser: bool = False
    groups: tuple[str, ...] = ()


DEMO_ACCOUNTS = [
    DemoAccount("learner", "learner@example.com", "learner-demo-pass"),
    DemoAccount("instructor", "instructor@example.com", "instructor-demo-pass", is_staff=True, groups=("Instructors",)),
    DemoAccount("admin", "admin@example.com", "admin-demo-pass", is_staff=True, is_superuser=True),
]


@transaction.atomic
def demo_accounts_load() -> list[DemoAccount]:
    """Create the demo accounts, or reset them to their documented passwords and roles. Idempotent."""
    for account in DEMO_ACCOUNTS:
        user, _ = User.objects.get_or_create(email=account.email)
        user.is_staff, user.is_superuser = account.is_staff, account.is_superuser
        user.set_password(account.password)
        user.save()
        user.groups.set(Group.objects.filter(name__in=account.groups))
    return DEMO_ACCOUNTS
