from django.core.management.base import BaseCommand, CommandError

from content.models import Module
from quizzes.models import Question
from quizzes.services.bank import gift_export


class Command(BaseCommand):
    help = "Write the question bank (or one module's questions) as GIFT to standard output."

    def add_arguments(self, parser):
        parser.add_argument("--module", help="Module code, e.g. 5.13.")

    def handle(self, *args, module: str | None, **options):
        questions = Question.objects.all()
        if module:
            if not Module.objects.filter(code=module).exists():
                raise CommandError(f"No module {module}.")
            questions = questions.filter(objective__module__code=module)
        self.stdout.write(gift_export(questions=questions), ending="")
