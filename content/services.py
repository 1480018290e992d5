"""Writes to the content library."""

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from content.loader import ContentError, ModuleData, parse_course_file, parse_module_file
from content.markdown import html_to_text, render_markdown
from content.models import Course, Module, Objective, StudiedObjective
from portal.models import User


@dataclass
class LoadReport:
    """What `course_load` did: counts per kind and outcome, and the files it refused."""

    counts: Counter = field(default_factory=Counter)  # ("objective", "created") -> n
    errors: list[ContentError] = field(default_factory=list)
    missing_from_files: list[str] = field(default_factory=list)

    def count(self, kind: str, outcome: str) -> int:
        return self.counts[(kind, outcome)]


def objective_render(objective: Objective) -> None:
    """Derive the note's HTML (sanitized) and plain text from its Markdown. The one place they are made:
    the loader and the admin call it. It sets the fields; the caller saves them."""
    objective.note_html = render_markdown(objective.note_md)
    objective.note_text = html_to_text(objective.note_html)


def _upsert(model, existing: dict, key: str, values: dict, report: LoadReport, kind: str):
    """Create the row or update the fields that differ; count the outcome."""
    obj = existing.get(key)
    if obj is None:
        obj = model.objects.create(**values)
        existing[key] = obj
        report.counts[(kind, "created")] += 1
        return obj
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    if changed:
        for name in changed:
            setattr(obj, name, values[name])
        obj.save(update_fields=changed)
        report.counts[(kind, "updated")] += 1
    else:
        report.counts[(kind, "unchanged")] += 1
    return obj


def _load_module(data: ModuleData, course: Course, modules: dict, objectives: dict, report: LoadReport) -> None:
    module = _upsert(
        Module,
        modules,
        data.code,
        {
            "course": course,
            "code": data.code,
            "title": data.title,
            "order": data.order,
            "summary": data.summary,
            "source": data.source,
        },
        report,
        "module",
    )
    for item in data.objectives:
        rendered = Objective(note_md=item.note_md)
        objective_render(rendered)
        _upsert(
            Objective,
            objectives,
            item.code,
            {
                "module": module,
                "code": item.code,
                "prompt": item.prompt,
                "note_md": item.note_md,
                "note_html": rendered.note_html,
                "note_text": rendered.note_text,
                "order": item.order,
            },
            report,
            "objective",
        )


def course_load(*, root: Path) -> LoadReport:
    """Load every course folder under `root` (docs/content-format.md) into the database.

    Idempotent: a second run changes nothing. Rows are matched by slug or code and updated in
    place, so learner data that points at an objective survives an edit. A file with an error is
    skipped whole (its module is left as it was) and reported; the other files still load.
    Objectives that are in the database but no longer in any file are kept and reported.
    """
    report = LoadReport()
    courses = {c.slug: c for c in Course.objects.all()}
    modules = {m.code: m for m in Module.objects.all()}
    objectives = {o.code: o for o in Objective.objects.all()}
    claimed: dict[str, ContentError] = {}  # code -> where it was first defined in this run

    for course_file in sorted(root.glob("*/course.toml")):
        try:
            course_data = parse_course_file(course_file)
        except ContentError as exc:
            report.errors.append(exc)
            continue
        with transaction.atomic():
            course = _upsert(Course, courses, course_data.slug, vars(course_data), report, "course")
        for path in sorted(course_file.parent.glob("*.md")):
            try:
                data = parse_module_file(path)
                for code, line in [(data.code, 1)] + [(o.code, o.line) for o in data.objectives]:
                    if code in claimed:
                        first = claimed[code]
                        raise ContentError(path, line, f"{code} is already defined in {first.path}:{first.line}")
            except ContentError as exc:
                report.errors.append(exc)
                continue
            for code, line in [(data.code, 1)] + [(o.code, o.line) for o in data.objectives]:
                claimed[code] = ContentError(path, line, "")
            with transaction.atomic():
                _load_module(data, course, modules, objectives, report)

    if not report.errors:
        report.missing_from_files = sorted(code for code in objectives if code not in claimed)
    return report


def studied_set(*, user: User, objective: Objective, studied: bool) -> None:
    """Mark or unmark an objective as studied by the learner. Idempotent: replaying it is harmless."""
    if studied:
        StudiedObjective.objects.get_or_create(user=user, objective=objective)
    else:
        StudiedObjective.objects.filter(user=user, objective=objective).delete()
