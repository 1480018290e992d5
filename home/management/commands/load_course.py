from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from content.services import course_load
from quizzes.services.attempts import course_quizzes_ensure
from quizzes.services.bank import bank_load


class Command(BaseCommand):
    help = (
        "Load the course text files (docs/content-format.md) and then the question bank "
        "(docs/question-bank.md) into the database. Safe to re-run."
    )

    def add_arguments(self, parser):
        parser.add_argument("--root", type=Path, default=None, help="Folder of course folders (default: CONTENT_DIR).")
        parser.add_argument(
            "--bank", type=Path, default=None, help="Folder of GIFT files (default: QUESTION_BANK_DIR)."
        )

    def handle(self, *args, root: Path | None, bank: Path | None, **options):
        root = root or Path(settings.CONTENT_DIR)
        bank = bank or Path(settings.QUESTION_BANK_DIR)
        if not root.is_dir():
            raise CommandError(f"{root} is not a folder.")
        report = course_load(root=root)
        for kind in ("course", "module", "objective"):
            self.stdout.write(
                f"{kind.capitalize() + 's':<11} {report.count(kind, 'created')} created, "
                f"{report.count(kind, 'updated')} updated, {report.count(kind, 'unchanged')} unchanged"
            )
        if report.missing_from_files:
            self.stdout.write(
                self.style.WARNING(
                    "Kept, though no longer in any file (learner data may refer to them): "
                    + ", ".join(report.missing_from_files)
                )
            )
        errors = [f"{error} (nothing from this file was loaded)" for error in report.errors]
        if bank.is_dir():
            totals = {"created": 0, "updated": 0, "unchanged": 0, "skipped": 0}
            for path, result in bank_load(root=bank).items():
                for outcome, n in result.counts.items():
                    totals[outcome] += n
                totals["skipped"] += len(result.skipped)
                errors += [f"{path}:{e.line}: {e.message} (nothing from this file was loaded)" for e in result.errors]
            self.stdout.write(
                f"Questions   {totals['created']} created, {totals['updated']} updated, "
                f"{totals['unchanged']} unchanged, {totals['skipped']} skipped"
            )
        quizzes = course_quizzes_ensure()
        self.stdout.write(f"Quizzes     {quizzes['created']} created, {quizzes['unchanged']} unchanged")
        for error in errors:
            self.stderr.write(self.style.ERROR(error))
        if errors:
            raise CommandError(f"{len(errors)} problem(s): see above.")
