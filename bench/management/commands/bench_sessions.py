import json
from pathlib import Path

from django.core.management.base import BaseCommand

from bench.builder import sessions_write


class Command(BaseCommand):
    help = "Write a fresh signed-in session for each account of the data set; save email → session key (JSON)."

    def add_arguments(self, parser):
        parser.add_argument("--dataset", type=Path, required=True)
        parser.add_argument("--out", type=Path, required=True)

    def handle(self, *args, dataset: Path, out: Path, **options):
        info = json.loads(dataset.read_text())
        keys = sessions_write([info["instructor"], *(learner["email"] for learner in info["learners"])])
        out.write_text(json.dumps(keys))
        self.stdout.write(f"{len(keys)} session(s) written.")
