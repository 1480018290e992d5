from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from content.services import course_load


class Command(BaseCommand):
    help = "Load the course text files (docs/content-format.md) into the database. Safe to re-run."

    def add_arguments(self, parser):
        parser.add_argument("--root", type=Path, default=None, help="Folder of course folders (default: CONTENT_DIR).")

    def handle(self, *args, root: Path | None, **options):
        root = root or Path(settings.CONTENT_DIR)
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
        for error in report.errors:
            self.stderr.write(self.style.ERROR(f"{error} (nothing from this file was loaded)"))
        if report.errors:
            raise CommandError(f"{len(report.errors)} file(s) could not be loaded.")
