from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from home.services import demo_accounts_load


class Command(BaseCommand):
    help = "Create the demo accounts (learner, instructor, admin) and print their logins. Safe to re-run."

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError("Demo accounts have published passwords: not loaded with DJANGO_PRODUCTION on.")
        accounts = demo_accounts_load()
        self.stdout.write("Demo logins (e-mail / password):")
        for account in accounts:
            self.stdout.write(f"  {account.role:<11} {account.email:<24} {account.password}")
