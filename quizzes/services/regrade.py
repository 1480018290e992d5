"""Regrading finished attempts after an instructor corrects a question's key (docs/grading.md: Regrading).

An attempt grades from its frozen snapshot, so fixing the key in the bank changes no past grade by
itself. A regrade carries the corrected key into the snapshots of the finished attempts that had
the question: each snapshot choice keeps what the learner was shown (its key, text, HTML, feedback
and the order of the list) and takes from the live choice it corresponds to only what decides the
grade: its credit (`fraction`), its correct position (`order`, ordering) and its answer
(`match_text` / `match_html`, matching). The credit is then graded again from the saved response,
and the attempt's score and pass follow (`attempt_score`, as when it was finished).

Correspondence is by text: options and ordering items by their `text`, matching items by their
`text` and distractor answers (empty `text`) by their `match_text`. When the live choices no longer
correspond one to one with a snapshot's (a choice added, removed or reworded, a different kind, or
for matching a different set of answers), the question's regrade is refused with the reason:
guessing which choice became which could move credit to an option the learner never saw.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from portal.models import User
from quizzes.grading import InvalidResponse, grade
from quizzes.models import Attempt, AttemptQuestion, AttemptStep, Question
from quizzes.services.attempts import attempt_score

REGRADE = "regrade"


class RegradeRefused(Exception):
    """The live question's choices no longer correspond one to one with those an attempt showed."""


@dataclass(frozen=True)
class RegradeChange:
    """What a regrade does to one finished attempt (credits and scores are 0 to 1)."""

    attempt_id: int
    attempt_uuid: str
    email: str
    quiz_title: str
    attempt_number: int
    positions: tuple[int, ...]
    old_credit: Decimal | None
    new_credit: Decimal | None
    old_score: Decimal
    new_score: Decimal
    old_passed: bool
    new_passed: bool

    @property
    def grade_changes(self) -> bool:
        return self.old_credit != self.new_credit

    @property
    def pass_changes(self) -> bool:
        return self.old_passed != self.new_passed


@dataclass(frozen=True)
class RegradePlan:
    """The regrade of one question: refused (with the reason), or the attempts it changes.

    `changes` lists every finished attempt whose snapshot of the question takes the corrected key:
    those whose credit changes (`grade_changes`) and those whose credit stays (the key their review
    shows is corrected, the grade is not). `unchanged` counts the finished attempts already graded
    with the live key. `applied` is True once `attempts_regrade_apply` has written it.
    """

    question_id: int
    question_label: str
    refused: str | None = None
    changes: tuple[RegradeChange, ...] = field(default=())
    unchanged: int = 0
    applied: bool = False

    @property
    def grade_changes(self) -> tuple[RegradeChange, ...]:
        return tuple(c for c in self.changes if c.grade_changes)

    @property
    def key_only(self) -> tuple[RegradeChange, ...]:
        return tuple(c for c in self.changes if not c.grade_changes)


def _unique(rows: list[dict], name: str, what: str) -> dict[str, dict]:
    by = {}
    for row in rows:
        if row[name] in by:
            raise RegradeRefused(f"two {what} have the same text “{row[name]}”, so they cannot be told apart")
        by[row[name]] = row
    return by


def _corresponding(snapshot_choices: list[dict], live: list[dict], kind: str) -> list[tuple[dict, dict]]:
    """Each snapshot choice with its live choice, or RegradeRefused when they do not correspond one to one."""
    if kind == Question.Kind.MATCHING:
        pairs = []
        for what, name, pick in (("items", "text", bool), ("distractor answers", "match_text", lambda t: not t)):
            shown = _unique([c for c in snapshot_choices if pick(c["text"])], name, what)
            now = _unique([c for c in live if pick(c["text"])], name, what)
            if set(shown) != set(now):
                raise RegradeRefused(_difference(what, shown, now))
            pairs += [(shown[text], now[text]) for text in shown]
        return pairs
    what = "items" if kind == Question.Kind.ORDERING else "options"
    shown = _unique(snapshot_choices, "text", what)
    now = _unique(live, "text", what)
    if set(shown) != set(now):
        raise RegradeRefused(_difference(what, shown, now))
    return [(shown[text], now[text]) for text in shown]


def _difference(what: str, shown: dict, now: dict) -> str:
    added = sorted(set(now) - set(shown))
    removed = sorted(set(shown) - set(now))
    parts = []
    if added:
        parts.append("added or reworded: " + ", ".join(f"“{t}”" for t in added))
    if removed:
        parts.append("removed or reworded: " + ", ".join(f"“{t}”" for t in removed))
    return f"the {what} are not those the attempts showed ({'; '.join(parts)})"


def regraded_snapshot(snapshot: dict, question: Question, live: list[dict]) -> dict:
    """`snapshot` with the live question's key: what was shown stays, credits, positions and answers follow.

    `live` is the question's choices as dicts (text, match_text, fraction, order). Raises
    RegradeRefused when the live choices no longer correspond one to one with the snapshot's.
    """
    kind = snapshot["kind"]
    if question.kind != kind:
        raise RegradeRefused(f"the question is now {question.get_kind_display()}, the attempts showed another kind")
    pairs = _corresponding(snapshot["choices"], live, kind)
    corrected = {}
    answers_html = {a["match_text"]: a["match_html"] for a in snapshot.get("answers", [])}
    if kind == Question.Kind.MATCHING and set(answers_html) != {c["match_text"] for c in live}:
        raise RegradeRefused(_difference("answers", answers_html, {c["match_text"]: c for c in live}))
    for shown, now in pairs:
        new = dict(shown)
        if Decimal(shown["fraction"]) != Decimal(now["fraction"]):  # compared as numbers: "1" is "1.0000000"
            new["fraction"] = str(now["fraction"])
        if kind == Question.Kind.ORDERING:
            new["order"] = now["order"]
        if kind == Question.Kind.MATCHING:
            # The answer list the learner saw stays as it was; the item now points at its corrected answer.
            new["match_text"], new["match_html"] = now["match_text"], answers_html[now["match_text"]]
        corrected[shown["key"]] = new
    return {**snapshot, "choices": [corrected[c["key"]] for c in snapshot["choices"]]}


def _label(question: Question) -> str:
    return str(question)


def _plan(question: Question, *, lock: bool) -> tuple[RegradePlan, dict[int, dict]]:
    """The plan, and for each slot to write its new snapshot and credit (slot id -> values)."""
    live = list(question.choices.values("text", "match_text", "fraction", "order"))
    finished = Attempt.objects.filter(state=Attempt.State.FINISHED, slots__question=question).distinct()
    if lock:
        # Lock the attempts (in a fixed order, so two regrades cannot deadlock) before reading their slots.
        list(Attempt.objects.select_for_update().filter(pk__in=finished.values("pk")).order_by("pk").values("pk"))
    slots = list(
        AttemptQuestion.objects.filter(question=question, attempt__state=Attempt.State.FINISHED)
        .select_related("attempt__quiz", "attempt__user")
        .order_by("attempt_id", "position")
    )
    if not slots:
        return RegradePlan(question_id=question.pk, question_label=_label(question)), {}
    credits = defaultdict(dict)  # attempt id -> slot id -> credit, for every slot of the attempts
    certainties = defaultdict(dict)  # attempt id -> slot id -> certainty (CBM pass rule)
    for row in AttemptQuestion.objects.filter(attempt_id__in={s.attempt_id for s in slots}).values(
        "attempt_id", "pk", "credit", "certainty"
    ):
        credits[row["attempt_id"]][row["pk"]] = row["credit"]
        certainties[row["attempt_id"]][row["pk"]] = row["certainty"]
    writes: dict[int, dict] = {}
    by_attempt = defaultdict(list)
    try:
        for slot in slots:
            snapshot = regraded_snapshot(slot.snapshot, question, live)
            if snapshot == slot.snapshot:
                continue
            credit = slot.credit
            if slot.is_answered:
                try:
                    credit = grade(snapshot, slot.response)
                except InvalidResponse:  # a response the question never accepted: its grade is left alone
                    credit = slot.credit
            writes[slot.pk] = {"snapshot": snapshot, "credit": credit}
            by_attempt[slot.attempt_id].append((slot, credit))
    except RegradeRefused as exc:
        message = f"Not regraded: {exc}. Restore the choices the attempts showed, or make a new question."
        return RegradePlan(question_id=question.pk, question_label=_label(question), refused=message), {}
    changes = []
    for attempt_id, changed in by_attempt.items():
        attempt = changed[0][0].attempt
        new_credits = {**credits[attempt_id], **{slot.pk: credit for slot, credit in changed}}
        new_score, new_passed = attempt_score(
            credits=list(new_credits.values()),
            pass_mark=attempt.quiz.pass_mark,
            certainties=[certainties[attempt_id][pk] for pk in new_credits] if attempt.pass_on_cbm else None,
        )
        old = [slot.credit for slot, _ in changed]
        new = [credit for _, credit in changed]
        changes.append(
            RegradeChange(
                attempt_id=attempt_id,
                attempt_uuid=str(attempt.uuid),
                email=attempt.user.email,
                quiz_title=attempt.quiz.title,
                attempt_number=attempt.number,
                positions=tuple(slot.position for slot, _ in changed),
                old_credit=None if None in old else sum(old, Decimal(0)),
                new_credit=None if None in new else sum(new, Decimal(0)),
                old_score=attempt.score,
                new_score=new_score,
                old_passed=attempt.passed,
                new_passed=new_passed,
            )
        )
    plan = RegradePlan(
        question_id=question.pk,
        question_label=_label(question),
        changes=tuple(changes),
        unchanged=len({s.attempt_id for s in slots} - set(by_attempt)),
    )
    return plan, writes


def attempts_regrade_preview(*, question: Question) -> RegradePlan:
    """The dry run: which finished attempts a regrade of `question` would change, and how. Writes nothing."""
    plan, _ = _plan(question, lock=False)
    return plan


def attempts_regrade_apply(*, question: Question, by: User) -> RegradePlan:
    """Regrade the finished attempts that had `question` with its live key (the plan the preview shows).

    In one transaction with the attempts locked: each changed slot takes its corrected snapshot and
    credit, each changed attempt its new score and pass, and a "regrade" step (who, the question,
    old and new credit and score). Idempotent: once applied, a second apply changes nothing.
    Attempts in progress are left alone. Review events are not touched (docs/grading.md).
    A refused plan writes nothing.
    """
    now = timezone.now()
    with transaction.atomic():
        plan, writes = _plan(question, lock=True)
        if plan.refused or not writes:
            return plan
        slots = list(AttemptQuestion.objects.filter(pk__in=writes))
        for slot in slots:
            slot.snapshot, slot.credit = writes[slot.pk]["snapshot"], writes[slot.pk]["credit"]
        AttemptQuestion.objects.bulk_update(slots, ["snapshot", "credit"])
        attempts = {a.pk: a for a in Attempt.objects.filter(pk__in=[c.attempt_id for c in plan.changes])}
        for change in plan.changes:
            attempts[change.attempt_id].score = change.new_score
            attempts[change.attempt_id].passed = change.new_passed
        Attempt.objects.bulk_update(attempts.values(), ["score", "passed"])
        AttemptStep.objects.bulk_create(
            AttemptStep(
                attempt_id=change.attempt_id,
                action=REGRADE,
                at=now,
                data={
                    "by": {"id": by.pk, "email": by.email},
                    "question_id": question.pk,
                    "positions": list(change.positions),
                    "old_credit": _str(change.old_credit),
                    "new_credit": _str(change.new_credit),
                    "old_score": str(change.old_score),
                    "new_score": str(change.new_score),
                },
            )
            for change in plan.changes
        )
    return RegradePlan(
        question_id=plan.question_id,
        question_label=plan.question_label,
        changes=plan.changes,
        unchanged=plan.unchanged,
        applied=True,
    )


def _str(value: Decimal | None) -> str | None:
    return None if value is None else str(value)
