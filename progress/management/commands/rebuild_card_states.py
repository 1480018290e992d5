from django.core.management.base import BaseCommand

from progress.services import card_states_rebuild


class Command(BaseCommand):
    help = "Derive every learner's card states again from their review events (which are never changed)."

    def handle(self, *args, **options):
        self.stdout.write(f"Rebuilt {card_states_rebuild()} card state(s) from the review events.")
