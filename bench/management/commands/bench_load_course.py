import io
import json
import time

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Time `load_course` (notes, the whole question bank, the quizzes) in this database; print JSON."

    def handle(self, *args, **options):
        began = time.perf_counter()
        call_command("load_course", stdout=io.StringIO())
        self.stdout.write(json.dumps({"load_course_seconds": round(time.perf_counter() - began, 2)}))
