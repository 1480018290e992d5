"""Writes to the question bank: GIFT import (also the shipped bank) and question actions."""

import random
import secrets
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.db import transaction

from content.markdown import render_text
from content.models import Objective
from quizzes import gift
from quizzes.models import Choice, Question, Tag
from quizzes.validation import ChoiceData


@dataclass
class ImportReport:
    """What an import did, or would do (dry run): counts, skipped kinds, and errors with lines."""

    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    skipped: list[gift.GiftSkipped] = field(default_factory=list)
    errors: list[gift.GiftError] = field(default_factory=list)
    saved: bool = False

    @property
    def counts(self) -> Counter:
        return Counter(created=len(self.created), updated=len(self.updated), unchanged=len(self.unchanged))


CHOICE_HTML_FIELDS = ["text_html", "match_html", "feedback_html"]
QUESTION_HTML_FIELDS = ["stem_html", "explanation_html"]


def question_render(*, question: Question, choices: list[Choice]) -> None:
    """Render the question's and its choices' HTML from their text, in the question's format (sanitized).

    The one place where a question's derived HTML is made: the GIFT import, the admin and the test
    factories all call it, so no path leaves stale HTML. It sets the fields; the caller saves them.
    """
    text_format = question.text_format
    question.stem_html = render_text(question.stem, text_format)
    question.explanation_html = render_text(question.explanation, text_format)
    for choice in choices:
        choice.text_html = render_text(choice.text, text_format, inline=True)
        choice.match_html = render_text(choice.match_text, text_format, inline=True)
        choice.feedback_html = render_text(choice.feedback, text_format)


@transaction.atomic
def question_rerender(*, question: Question) -> None:
    """Render a saved question and all of its saved choices again (after an edit in the admin)."""
    choices = list(question.choices.all())
    question_render(question=question, choices=choices)
    question.save(update_fields=QUESTION_HTML_FIELDS)
    Choice.objects.bulk_update(choices, CHOICE_HTML_FIELDS)


def question_to_gift(question: Question) -> gift.GiftQuestion:
    """The question as GIFT data (choices as they are stored)."""
    objective = question.objective
    return gift.GiftQuestion(
        line=0,
        kind=question.kind,
        stem=question.stem,
        text_format=question.text_format,
        title=question.title,
        explanation=question.explanation,
        category=f"{objective.module.code}/{objective.code}",
        idnumber=question.idnumber or "",
        tags=[t.name for t in question.tags.all()],
        choices=[
            ChoiceData(c.text, c.match_text, c.fraction.normalize(), c.feedback, c.order)
            for c in question.choices.all()
        ],
    )


def _comparable(data: gift.GiftQuestion, objective_id: int) -> tuple:
    return (
        objective_id,
        data.kind,
        data.stem,
        data.text_format,
        data.title,
        data.explanation,
        data.idnumber or None,
        tuple(sorted(data.tags)),
        tuple((c.text, c.match_text, Decimal(c.fraction).normalize(), c.feedback) for c in data.choices),
    )


def _write_question(question: Question, data: gift.GiftQuestion, objective: Objective) -> None:
    question.objective = objective
    question.kind = data.kind
    question.stem = data.stem
    question.text_format = data.text_format
    question.title = data.title[:200]
    question.explanation = data.explanation
    question.idnumber = data.idnumber or None
    choices = [
        Choice(
            text=c.text,
            match_text=c.match_text,
            fraction=c.fraction,
            feedback=c.feedback,
            order=c.order if data.kind == Question.Kind.ORDERING else position,
        )
        for position, c in enumerate(data.choices)
    ]
    question_render(question=question, choices=choices)
    question.save()
    question.choices.all().delete()
    for choice in choices:
        choice.question = question
    Choice.objects.bulk_create(choices)
    tags = [Tag.objects.get_or_create(name=name[:50])[0] for name in data.tags]
    question.tags.set(tags)


def gift_import(*, text: str, default_objective: Objective | None = None, dry_run: bool = False) -> ImportReport:
    """Import GIFT text into the bank, all or nothing.

    A question is matched to an existing one by its `[id:...]`, else by its objective and stem,
    and updated in place; otherwise it is created. Its objective is the last segment of its
    `$CATEGORY:` path, or `default_objective`. With any error, nothing is saved (and the report
    lists every error with its line); with `dry_run`, nothing is saved either.
    """
    parsed = gift.parse(text)
    report = ImportReport(skipped=parsed.skipped, errors=list(parsed.errors))
    objectives = {o.code: o for o in Objective.objects.select_related("module")}
    ids = [q.idnumber for q in parsed.questions if q.idnumber]
    existing_rows = Question.objects.filter(idnumber__in=ids).select_related("objective__module")
    by_id = {q.idnumber: q for q in existing_rows.prefetch_related("choices", "tags")}
    seen_ids: dict[str, int] = {}
    plan = []
    for data in parsed.questions:
        objective = objectives.get(data.objective_code) if data.category else default_objective
        if objective is None:
            where = f"category {data.category!r}" if data.category else "no $CATEGORY and no objective chosen"
            report.errors.append(gift.GiftError(data.line, f"{where} does not name an objective of the course"))
            continue
        if data.idnumber:
            if data.idnumber in seen_ids:
                report.errors.append(gift.GiftError(data.line, f"id {data.idnumber} is used twice in the file"))
                continue
            seen_ids[data.idnumber] = data.line
            existing = by_id.get(data.idnumber)
        else:
            existing = (
                Question.objects.filter(objective=objective, stem=data.stem)
                .select_related("objective__module")
                .prefetch_related("choices", "tags")
                .first()
            )
        label = f"line {data.line}: {data.title or data.stem[:60]}"
        if existing is None:
            report.created.append(label)
        elif _comparable(question_to_gift(existing), existing.objective_id) == _comparable(data, objective.pk):
            report.unchanged.append(label)
            continue
        else:
            report.updated.append(label)
        plan.append((existing or Question(), data, objective))
    if report.errors or dry_run:
        return report
    with transaction.atomic():
        for question, data, objective in plan:
            _write_question(question, data, objective)
    report.saved = True
    return report


def bank_load(*, root: Path) -> dict[str, ImportReport]:
    """Load every `*.gift` file under `root` (the shipped bank), one import per file."""
    return {str(path): gift_import(text=path.read_text(encoding="utf-8")) for path in sorted(root.glob("*.gift"))}


def gift_export(*, questions) -> str:
    """GIFT text for `questions` (a queryset), in bank order."""
    rows = questions.select_related("objective__module").prefetch_related("choices", "tags")
    return gift.write([question_to_gift(q) for q in rows])


@transaction.atomic
def question_duplicate(*, question: Question) -> Question:
    """A copy of the question (inactive, no id number) for an instructor to edit."""
    choices = list(question.choices.all())
    tags = list(question.tags.all())
    copy = Question.objects.get(pk=question.pk)
    copy.pk = None
    copy.idnumber = None
    copy.is_active = False
    copy.title = f"Copy of {question.title}"[:200] if question.title else ""
    copy.save()
    for choice in choices:
        choice.pk = None
        choice.question = copy
    Choice.objects.bulk_create(choices)
    copy.tags.set(tags)
    return copy


SNAPSHOT_CHOICE_FIELDS = ("text", "text_html", "match_text", "match_html", "fraction", "feedback_html", "order")


def question_snapshot(question: Question, *, shuffle: bool = True, rng: random.Random | None = None) -> dict:
    """The question as an attempt (or a preview) freezes it: what is shown, and the key to grade it.

    Choice keys are random tokens, so neither a key nor the order of keys says which is right;
    the choices are listed in the order they will be shown (shuffled when `shuffle`; ordering
    items are always shuffled, and never left in the correct order).
    """
    choices = [tuple(getattr(c, name) for name in SNAPSHOT_CHOICE_FIELDS) for c in question.choices.all()]
    return _snapshot(
        (question.pk, question.kind, question.stem_html, question.explanation_html, question.objective.code),
        choices,
        shuffle=shuffle,
        rng=rng or random.SystemRandom(),
    )


def questions_snapshots(pks: list[int], *, shuffle: bool, rng: random.Random) -> list[dict]:
    """`question_snapshot` of each question of `pks`, in that order (the rng is drawn from in that order
    too), read as values: two queries (the questions with their objectives' codes, their choices),
    no model instances. Starting an attempt snapshots 50 questions of the final exam this way."""
    questions = {
        row[0]: row
        for row in Question.objects.filter(pk__in=pks)
        .order_by()
        .values_list("pk", "kind", "stem_html", "explanation_html", "objective__code")
    }
    choices: dict[int, list[tuple]] = {pk: [] for pk in pks}
    rows = Choice.objects.filter(question_id__in=pks).order_by("question_id", "order", "pk")
    for question_id, *values in rows.values_list("question_id", *SNAPSHOT_CHOICE_FIELDS):
        choices[question_id].append(values)
    return [_snapshot(questions[pk], choices[pk], shuffle=shuffle, rng=rng) for pk in pks]


def _snapshot(question: tuple, choice_rows: list, *, shuffle: bool, rng: random.Random) -> dict:
    """The snapshot of a question given as (pk, kind, stem_html, explanation_html, objective code) and its
    choices as `SNAPSHOT_CHOICE_FIELDS` rows in the bank's order."""
    pk, kind, stem_html, explanation_html, objective_code = question
    choices = [
        {
            "key": secrets.token_hex(6),
            "text": text,
            "text_html": text_html,
            "match_text": match_text,
            "match_html": match_html,
            "fraction": str(fraction),
            "feedback_html": feedback_html,
            "order": order,
        }
        for text, text_html, match_text, match_html, fraction, feedback_html, order in choice_rows
    ]
    if shuffle or kind == Question.Kind.ORDERING:
        rng.shuffle(choices)
        if kind == Question.Kind.ORDERING and len(choices) > 1:
            while [c["order"] for c in choices] == sorted(c["order"] for c in choices):
                rng.shuffle(choices)
    answers = []
    if kind == Question.Kind.MATCHING:
        # The answers have keys of their own: an answer's key says nothing about which item it fits.
        seen = set()
        for c in sorted(choices, key=lambda c: c["match_text"].casefold()):
            if c["match_text"] not in seen:
                seen.add(c["match_text"])
                answers.append(
                    {"key": secrets.token_hex(6), "match_text": c["match_text"], "match_html": c["match_html"]}
                )
    return {
        "question_id": pk,
        "kind": kind,
        "objective": objective_code,
        "stem_html": stem_html,
        "explanation_html": explanation_html,
        "choices": choices,
        "answers": answers,
    }
