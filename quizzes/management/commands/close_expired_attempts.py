from django.core.management.base import BaseCommand

from quizzes.services.attempts import attempts_close_expired


class Command(BaseCommand):
    help = "Finish every attempt past its deadline or whose quiz has closed, with its saved answers (for cron)."

    def handle(self, *args, **options):
        self.stdout.write(f"Closed {attempts_close_expired()} attempt(s).")
