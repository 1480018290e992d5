from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from content.models import Objective
from quizzes.services.bank import gift_import


class Command(BaseCommand):
    help = "Import a GIFT file into the question bank (all or nothing). --dry-run shows what would change."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--objective", help="Objective code for questions whose $CATEGORY names none.")
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args, file: Path, objective: str | None, dry_run: bool, **options):
        try:
            text = file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"{file}: {exc}") from exc
        default = None
        if objective:
            default = Objective.objects.filter(code=objective).first()
            if default is None:
                raise CommandError(f"No objective {objective}.")
        report = gift_import(text=text, default_objective=default, dry_run=dry_run)
        c = report.counts
        verb = "Would import" if dry_run or report.errors else "Imported"
        self.stdout.write(f"{verb}: {c['created']} created, {c['updated']} updated, {c['unchanged']} unchanged")
        for skipped in report.skipped:
            self.stdout.write(f"{file}:{skipped.line}: skipped {skipped.kind} question {skipped.title}".rstrip())
        for error in report.errors:
            self.stderr.write(self.style.ERROR(f"{file}:{error.line}: {error.message}"))
        if report.errors:
            raise CommandError("Nothing was imported.")
