import json
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from bench.builder import DOMAIN, dataset_build
from portal.models import User
from quizzes.models import Question


class Command(BaseCommand):
    help = "Build the benchmark's data set into the (migrated, course-loaded) database; write its description."

    def add_arguments(self, parser):
        parser.add_argument("--out", type=Path, required=True, help="Where to write the data set's description (JSON).")
        parser.add_argument("--learners", type=int, default=500)
        parser.add_argument("--reviews", type=int, default=100_000)
        parser.add_argument("--attempts", type=int, default=5_000)
        parser.add_argument("--small", type=int, default=5, help="Learners of the small cohort.")

    def handle(self, *args, out: Path, learners: int, reviews: int, attempts: int, small: int, **options):
        if not Question.objects.exists():
            raise CommandError("Load the course first (manage.py load_course).")
        if User.objects.filter(email__endswith="@" + DOMAIN).exists():
            raise CommandError("This database has benchmark data already: build into a fresh one (bench/run.py).")
        began = time.perf_counter()
        info = dataset_build(learners=learners, reviews=reviews, attempts=attempts, small=small)
        info["database"] = settings.BENCH_DATABASE
        info["build_seconds"] = round(time.perf_counter() - began, 1)
        out.write_text(json.dumps(info, indent=1))
        counts = ", ".join(f"{n} {k.replace('_', ' ')}" for k, n in info["counts"].items())
        self.stdout.write(f"Built on {settings.BENCH_DATABASE} in {info['build_seconds']} s: {counts}.")
