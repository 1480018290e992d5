from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from home.services import demo_accounts_load, demo_cohort_load


class Command(BaseCommand):
    help = (
        "Create the demo accounts (learner, instructor, admin) and the instructor's demo cohort, and print "
        "their logins. Safe to re-run."
    )

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError("Demo accounts have published passwords: not loaded with DJANGO_PRODUCTION on.")
        accounts = demo_accounts_load()
        self.stdout.write("Demo logins (e-mail / password):")
        for account in accounts:
            self.stdout.write(f"  {account.role:<11} {account.email:<24} {account.password}")
        cohort = demo_cohort_load()
        if cohort is None:
            self.stdout.write("No demo cohort: load the course first (manage.py load_course).")
            return
        self.stdout.write(
            f"Demo cohort: {cohort['cohort'].name}, {cohort['learners']} learners "
            f"({cohort['histories_created']} histories made now), join code {cohort['cohort'].join_code}."
        )
        self.stdout.write("See the reports: log in as instructor@example.com and open /cohorts/.")
