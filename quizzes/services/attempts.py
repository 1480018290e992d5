"""Writes of the quiz engine: drawing questions, starting, answering, flagging and submitting attempts.

Every write that touches an attempt locks its row (`select_for_update`) inside a transaction, so a
double click, a second tab or a replayed request cannot grade twice or race a submit. Attempts
allowed and "one attempt in progress" are database constraints, so concurrent starts cannot
exceed them either.
"""

import json
import math
import random
from collections import defaultdict
from datetime import datetime
from decimal import Decimal
from typing import NamedTuple

from django.db import IntegrityError, connection, transaction
from django.db.models import Count, F, QuerySet
from django.utils import timezone

from content.models import CORE_COURSE, Module, Objective
from portal.models import User
from progress.scheduling import CERTAINTY_LABELS
from progress.services import reviews_record
from quizzes.grading import IncompleteResponse, InvalidResponse, cbm_summary, grade
from quizzes.models import Attempt, AttemptQuestion, AttemptStep, Question, Quiz
from quizzes.services.bank import questions_snapshots

FINAL_EXAM_SLUG = "final-exam"


class QuizError(Exception):
    """A request the quiz cannot accept; `message` says why, for the learner (views map each kind to a status)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class QuizNotOpen(QuizError):
    """Before the quiz opens, after it closes, or with no active questions."""


class NoAttemptsLeft(QuizError):
    """The learner has used every attempt allowed."""


class AttemptClosed(QuizError):
    """The attempt was submitted or its time is up."""


class AnswerFinal(QuizError):
    """Immediate feedback: the first answer is final."""


class NothingToPractise(QuizError):
    """A practice quiz would have no questions."""


class Drawable(NamedTuple):
    """A question as the draw reads it: its id and where it sits in the course, not the question itself."""

    pk: int
    objective_id: int
    module_id: int
    module_order: int
    objective_order: int


def _round_robin(questions: list[Drawable], count: int, rng: random.Random) -> list[Drawable]:
    """Up to `count` questions, taken in turn from each objective so that every objective is covered.

    How many each objective gives follows from the sizes of the objectives' pools alone, so only that
    many are drawn from each pool: the final exam draws 50 random numbers, not one for each of the
    bank's 537 questions (the start's rng is a SystemRandom: a system call a number)."""
    pools = defaultdict(list)
    for question in questions:
        pools[question.objective_id].append(question)
    queues = [pool for _, pool in sorted(pools.items())]
    rng.shuffle(queues)
    takes, left = [0] * len(queues), count
    while left and any(take < len(queue) for take, queue in zip(takes, queues, strict=True)):
        for i, queue in enumerate(queues):
            if left and takes[i] < len(queue):
                takes[i] += 1
                left -= 1
    drawn = [rng.sample(queue, take) for queue, take in zip(queues, takes, strict=True)]
    return [sample[turn] for turn in range(max(takes, default=0)) for sample in drawn if turn < len(sample)]


def allocate(total: int, weights: dict, available: dict) -> dict:
    """Split `total` across keys in proportion to `weights` (largest remainder), at least one each,
    never more than `available`."""
    weight_sum = sum(weights.values())
    quotas = {k: total * w / weight_sum for k, w in weights.items()}
    shares = {k: min(available[k], max(1, math.floor(q))) for k, q in quotas.items()}
    by_remainder = sorted(weights, key=lambda k: quotas[k] - math.floor(quotas[k]), reverse=True)
    while sum(shares.values()) < total and any(shares[k] < available[k] for k in weights):
        for k in by_remainder:
            if sum(shares.values()) < total and shares[k] < available[k]:
                shares[k] += 1
    while sum(shares.values()) > total:
        largest = max(shares, key=shares.get)
        shares[largest] -= 1
    return shares


def _drawable(questions: QuerySet[Question]) -> list[Drawable]:
    return [
        Drawable(*row)
        for row in questions.order_by().values_list(  # the draw orders them itself
            "pk", "objective_id", "objective__module_id", "objective__module__order", "objective__order"
        )
    ]


def quiz_draw(*, quiz: Quiz, rng: random.Random, exclude: QuerySet | None = None) -> list[Drawable]:
    """The questions of a new attempt (their ids and places), in the order they will be shown (never
    those in `exclude`).

    The draw reads only the ids and places of the candidates (the final exam's are the whole bank),
    and the final exam the number of objectives per module (its shares): one or two queries. The
    questions drawn are read for their snapshots by `questions_snapshots`."""
    active = Question.objects.filter(is_active=True)
    if exclude is not None:
        active = active.exclude(pk__in=exclude)
    if quiz.kind == Quiz.Kind.MODULE:
        picked = _round_robin(_drawable(active.filter(objective__module_id=quiz.module_id)), quiz.question_count, rng)
    elif quiz.kind == Quiz.Kind.FINAL:
        pool = _drawable(active.filter(objective__module__course__slug=CORE_COURSE))
        by_module = defaultdict(list)
        for question in pool:
            by_module[question.module_id].append(question)
        objectives = dict(
            Objective.objects.filter(module_id__in=by_module)
            .order_by("module_id")
            .values("module_id")
            .annotate(n=Count("pk"))
            .values_list("module_id", "n")
        )
        shares = allocate(quiz.question_count, objectives, {m: len(q) for m, q in by_module.items()})
        picked = [q for m, n in shares.items() for q in _round_robin(by_module[m], n, rng)]
    else:
        picked = _round_robin(_drawable(active.filter(pk__in=quiz.practice_questions.all())), quiz.question_count, rng)
    if quiz.shuffle_questions:
        rng.shuffle(picked)
    else:
        picked.sort(key=lambda q: (q.module_order, q.objective_order, q.pk))
    return picked


def _in_progress(quiz: Quiz, user: User) -> Attempt | None:
    """The learner's attempt in progress at `quiz` (at most one: a constraint), read without the default
    ordering (it follows the quiz's: joins for one row)."""
    return next(iter(Attempt.objects.filter(quiz=quiz, user=user, state=Attempt.State.IN_PROGRESS).order_by()), None)


def _log(attempt: Attempt, action: str, now: datetime, position: int | None = None, **data) -> None:
    AttemptStep.objects.create(attempt=attempt, action=action, position=position, data=data, at=now)


def _slots_insert(slots: list[AttemptQuestion]) -> None:
    """Insert a new attempt's questions: bulk_create's rows (every field's value, defaults included), in
    one statement.

    On PostgreSQL the rows travel as one parameter, a JSON document that `jsonb_to_recordset` unpacks:
    the final exam's 50 rows with their 70 kB of snapshots cost about 1 ms of Python. bulk_create spent
    4–5 ms on them: its 500 parameters compiled one by one, then merged into the statement's text by
    psycopg in Python (it caches only short statements), which the server parsed again; its UNNEST form
    quotes each snapshot into an array literal, slower still (docs/performance-notes.md)."""
    if connection.vendor != "postgresql":
        AttemptQuestion.objects.bulk_create(slots)
        return
    fields = [f for f in AttemptQuestion._meta.concrete_fields if not f.primary_key]
    names = [connection.ops.quote_name(f.column) for f in fields]
    columns = ", ".join(names)
    types = ", ".join(f"{name} {f.db_type(connection)}" for name, f in zip(names, fields, strict=True))
    rows = [{f.column: f.value_from_object(slot) for f in fields} for slot in slots]
    with connection.cursor() as cursor:
        cursor.execute(  # names and types from the model, the values in the one parameter
            f"INSERT INTO {connection.ops.quote_name(AttemptQuestion._meta.db_table)} ({columns}) "  # noqa: S608
            f"SELECT {columns} FROM jsonb_to_recordset(%s::jsonb) AS r({types})",
            [json.dumps(rows, default=str)],  # default: a Decimal or a datetime as its text, which the column casts
        )


def attempt_start(*, user: User, quiz: Quiz, now: datetime | None = None, rng: random.Random | None = None) -> Attempt:
    """The learner's attempt in progress at `quiz`, or a new one.

    Side effects: creates the attempt, its questions (snapshots) and a "start" step. Raises
    QuizNotOpen outside the quiz's dates, NoAttemptsLeft past attempts allowed.
    """
    now = now or timezone.now()
    rng = rng or random.SystemRandom()
    current = _in_progress(quiz, user)
    if current and not _expire_if_due(attempt=current, now=now).is_finished:
        return current
    if quiz.opens_at and now < quiz.opens_at:
        raise QuizNotOpen(f"This quiz opens on {timezone.localtime(quiz.opens_at):%d %B %Y at %H:%M}.")
    if quiz.closes_at and now >= quiz.closes_at:
        raise QuizNotOpen("This quiz is closed.")
    count = Attempt.objects.filter(quiz=quiz, user=user).count()
    if quiz.attempts_allowed is not None and count >= quiz.attempts_allowed:
        # Another tab may have started the attempt since we looked: that one is the learner's to continue.
        current = _in_progress(quiz, user)
        if current:
            return current
        raise NoAttemptsLeft(f"You have used all {quiz.attempts_allowed} attempt(s) allowed at this quiz.")
    # A question of another attempt still in progress is not drawn: this attempt's feedback or review
    # would show its answer while the other one can still be answered.
    held = AttemptQuestion.objects.filter(attempt__user=user, attempt__state=Attempt.State.IN_PROGRESS)
    questions = quiz_draw(quiz=quiz, rng=rng, exclude=held.exclude(attempt__quiz=quiz).values("question_id"))
    if not questions:
        raise QuizNotOpen(
            "This quiz has no questions you can take now: finish your other attempts in progress first."
            if held.exists()
            else "This quiz has no active questions yet."
        )
    snapshots = questions_snapshots([q.pk for q in questions], shuffle=quiz.shuffle_answers, rng=rng)
    deadline = now + quiz.time_limit if quiz.time_limit else None
    if quiz.closes_at:
        deadline = min(deadline, quiz.closes_at) if deadline else quiz.closes_at
    try:
        with transaction.atomic():
            attempt = Attempt.objects.create(
                quiz=quiz,
                user=user,
                number=count + 1,
                feedback_mode=quiz.feedback_mode,
                show_correct_answers=quiz.show_correct_answers,
                ask_certainty=quiz.ask_certainty,
                pass_on_cbm=quiz.ask_certainty and quiz.pass_on_cbm,
                started_at=now,
                deadline=deadline,
            )
            _slots_insert(
                [
                    AttemptQuestion(
                        attempt=attempt,
                        position=position,
                        question_id=question.pk,
                        objective_id=question.objective_id,
                        snapshot=snapshot,
                    )
                    for position, (question, snapshot) in enumerate(zip(questions, snapshots, strict=True), start=1)
                ]
            )
            _log(attempt, "start", now, questions=[q.pk for q in questions])
    except IntegrityError:
        # A concurrent start (another tab, a double click) created the attempt first: use it.
        current = _in_progress(quiz, user)
        if current is None:
            raise NoAttemptsLeft("You have used all the attempts allowed at this quiz.") from None
        return current
    return attempt


def attempt_score(
    *, credits: list[Decimal | None], pass_mark: Decimal, certainties: list[int | None] | None = None
) -> tuple[Decimal, bool]:
    """An attempt's score (0 to 1, four places) and whether it passes, from its questions' credits.

    The score is the mean credit (accuracy), an unanswered question counting 0; passed when score ×
    100 reaches the pass mark (in %), or, given the answers' `certainties` (a quiz that passes on the
    CBM grade), when accuracy + CBM bonus × 100 does. The one definition: finishing an attempt and
    regrading it both call it.
    """
    total = sum((c or Decimal(0) for c in credits), Decimal(0))
    score = (total / len(credits)).quantize(Decimal("0.0001")) if credits else Decimal(0)
    if certainties is not None and credits:
        summary = cbm_summary(list(zip(credits, certainties, strict=True)))
        return score, Decimal(str(round(summary.accuracy_and_bonus * 100, 4))) >= pass_mark
    return score, score * 100 >= pass_mark


def _finish(attempt: Attempt, now: datetime, action: str) -> None:
    slots = list(attempt.slots.select_related("objective"))
    attempt.score, attempt.passed = attempt_score(
        credits=[s.credit for s in slots],
        pass_mark=attempt.quiz.pass_mark,
        certainties=[s.certainty for s in slots] if attempt.pass_on_cbm else None,
    )
    attempt.state = Attempt.State.FINISHED
    attempt.finished_at = min(now, attempt.deadline) if attempt.deadline else now
    attempt.save(update_fields=["score", "passed", "state", "finished_at"])
    _log(attempt, action, now, score=str(attempt.score))
    if attempt.feedback_mode != Quiz.FeedbackMode.IMMEDIATE:  # answers became final at submission
        answered = [(s.objective, s.credit, s.answered_at, s.certainty) for s in slots if s.is_answered]
        reviews_record(user=attempt.user, reviews=answered)


def _finish_once(attempt: Attempt, now: datetime, action: str) -> bool:
    """Finish the attempt under its row lock unless a concurrent request already has; True if this did."""
    with transaction.atomic():
        locked = _locked(attempt)
        if locked.is_finished:
            return False
        _finish(locked, now, action)
        return True


def _locked(attempt: Attempt) -> Attempt:
    return Attempt.objects.select_for_update(of=("self",)).select_related("quiz", "user").get(pk=attempt.pk)


def _locked_open_slot(attempt: Attempt, position: int) -> tuple[Attempt, AttemptQuestion]:
    """The attempt, locked, and its question at `position`; refused if finished or not in the attempt.

    Two queries: the attempt's row locked, reading back only its state (a submit or a time-out may have
    finished it since it was read), then the question. In that order: on PostgreSQL a row read in the
    statement that waits for the lock is the row as it was when the statement began, so a question
    read with the lock would miss the answer that the request holding the lock has just saved (a second
    answer to an immediate-feedback question would get through). The instance passed in is reused, as
    everything else an answer or a flag reads of it (its feedback mode, certainty, user) is fixed when it
    starts. The question carries its objective's code (`objective_code`) for the page that shows it."""
    if _locked_state(attempt) == Attempt.State.FINISHED:
        attempt.refresh_from_db()
        raise AttemptClosed(_closed_message(attempt))
    slot = (
        AttemptQuestion.objects.only(*SLOT_FIELDS)
        .annotate(objective_code=F("objective__code"))
        .filter(attempt_id=attempt.pk, position=position)
        .first()
    )
    if slot is None:
        raise InvalidResponse("That question is not part of this attempt.")
    slot.attempt = attempt
    return attempt, slot


SLOT_FIELDS = ("attempt", "position", "question", "objective", "snapshot", "response", "credit", "certainty",
               "flagged", "answered_at")  # fmt: skip


def _locked_state(attempt: Attempt) -> str:
    return Attempt.objects.select_for_update().filter(pk=attempt.pk).values_list("state", flat=True).get()


def _expire_if_due(*, attempt: Attempt, now: datetime) -> Attempt:
    """Finish an attempt past its deadline with the answers it has (every write that touches one calls it)."""
    if attempt.is_finished or not attempt.deadline or now < attempt.deadline:
        return attempt
    _finish_once(attempt, now, "timeout")
    attempt.refresh_from_db()
    return attempt


def attempt_answer(
    *, attempt: Attempt, position: int, response: dict, certainty: int | None = None, now: datetime | None = None
) -> AttemptQuestion:
    """Save and grade the learner's `response` (docs/grading.md: its shape per kind) to one question,
    with how sure they are (1–3) when the attempt asks for certainty.

    Raises InvalidResponse (a question or choice not in the attempt; a certainty outside 1–3),
    IncompleteResponse (no certainty where one is asked), AttemptClosed (after the deadline or after
    submitting), AnswerFinal (immediate feedback: the first answer is final).
    Side effects: updates the slot, appends an "answer" step.
    """
    now = now or timezone.now()
    if _expire_if_due(attempt=attempt, now=now).is_finished:
        raise AttemptClosed(_closed_message(attempt))
    with transaction.atomic():
        attempt, slot = _locked_open_slot(attempt, position)
        if slot.is_answered and attempt.feedback_mode == Quiz.FeedbackMode.IMMEDIATE:
            raise AnswerFinal("This answer is final: the quiz gives feedback after each answer.")
        if attempt.ask_certainty and certainty is None:
            raise IncompleteResponse("Say how sure you are: not sure, fairly sure or very sure.")
        if certainty is not None and (not attempt.ask_certainty or certainty not in CERTAINTY_LABELS):
            raise InvalidResponse("That is not one of the certainty levels of this quiz.")
        slot.response = response
        slot.credit = grade(slot.snapshot, response)
        slot.certainty = certainty
        slot.answered_at = now
        slot.save(update_fields=["response", "credit", "certainty", "answered_at"])
        _log(attempt, "answer", now, position=position, response=response, certainty=certainty)
        if attempt.feedback_mode == Quiz.FeedbackMode.IMMEDIATE:  # final once given: it is a review
            reviews_record(user=attempt.user, reviews=[(slot.objective, slot.credit, now, slot.certainty)])
    return slot


def attempt_flag(*, attempt: Attempt, position: int, flagged: bool, now: datetime | None = None) -> AttemptQuestion:
    """Flag a question for review, or unflag it (not after the deadline)."""
    now = now or timezone.now()
    if _expire_if_due(attempt=attempt, now=now).is_finished:
        raise AttemptClosed(_closed_message(attempt))
    with transaction.atomic():
        attempt, slot = _locked_open_slot(attempt, position)
        slot.flagged = flagged
        slot.save(update_fields=["flagged"])
        _log(attempt, "flag" if flagged else "unflag", now, position=position)
    return slot


def attempt_submit(*, attempt: Attempt, now: datetime | None = None) -> Attempt:
    """Grade and close the attempt. Idempotent: a second submit changes nothing."""
    now = now or timezone.now()
    _expire_if_due(attempt=attempt, now=now)
    _finish_once(attempt, now, "submit")
    attempt.refresh_from_db()
    return attempt


def attempt_is_due(attempt: Attempt, now: datetime) -> bool:
    """Whether an attempt in progress is past its deadline or its quiz's closing time (read from the
    attempt and its quiz as loaded: no query)."""
    if attempt.is_finished:
        return False
    closes_at = attempt.quiz.closes_at
    return bool((attempt.deadline and attempt.deadline <= now) or (closes_at and closes_at <= now))


def attempts_close_expired(
    *, user: User | None = None, attempt: Attempt | None = None, now: datetime | None = None
) -> int:
    """Finish every attempt past its deadline (one learner's, or everyone's for cron) with the answers it
    has; the number this call finished. Idempotent. The one place where expiry happens: pages that show
    attempts call it first, so the reads after it never write.

    With `attempt` (one the page has read, with its quiz): that attempt only, and only when it is due,
    so a page about one attempt costs no query for expiry while its attempt runs; it is refreshed
    when this finishes it.

    Everyone's (cron, `close_expired_attempts`) is safe on several servers at once: each attempt is
    locked with SKIP LOCKED and finished only if still in progress, so concurrent runs share the
    attempts and never both finish one; one that another run or a learner's request holds is left to
    it (or to the next run). One learner's waits for the lock instead: the page reads after it."""
    now = now or timezone.now()
    if attempt is not None:
        if not attempt_is_due(attempt, now):
            return 0
        finished = _finish_once(attempt, now, "timeout")
        attempt.refresh_from_db()
        return int(finished)
    due = Attempt.objects.filter(state=Attempt.State.IN_PROGRESS) & (
        Attempt.objects.filter(deadline__lte=now) | Attempt.objects.filter(quiz__closes_at__lte=now)
    )
    due = due.order_by()  # the default ordering follows the quiz's: joins for nothing
    if user is not None:
        return sum(_finish_once(attempt, now, "timeout") for attempt in due.filter(user=user))
    closed = 0
    for pk in due.order_by("pk").values_list("pk", flat=True):
        with transaction.atomic():
            attempt = (
                Attempt.objects.select_for_update(of=("self",), skip_locked=True)
                .select_related("quiz", "user")
                .filter(pk=pk, state=Attempt.State.IN_PROGRESS)
                .first()
            )
            if attempt is not None:
                _finish(attempt, now, "timeout")
                closed += 1
    return closed


def _closed_message(attempt: Attempt) -> str:
    if attempt.deadline and attempt.finished_at and attempt.finished_at >= attempt.deadline:
        return (
            "Time is up: this attempt ended at "
            f"{timezone.localtime(attempt.deadline):%H:%M} and was graded with the answers saved before then."
        )
    return "This attempt has been submitted: its answers can no longer change."


def practice_quiz_create(*, user: User, source: str, wrong: QuerySet, weakest: list[Objective]) -> Quiz:
    """A practice quiz for the learner: the questions they got wrong, or the questions of `weakest`
    (their weakest objectives, or the one objective they chose)."""
    if source == "wrong":
        questions = list(wrong)
        title = "Practice: the questions I got wrong"
    else:
        questions = list(Question.objects.filter(is_active=True, objective__in=weakest))
        title = f"Practice: {weakest[0].code}" if source == "objective" else "Practice: my weakest objectives"
    if not questions:
        raise NothingToPractise(
            "Nothing to practise yet: you have no wrong answers in a finished quiz. Take a quiz first."
            if source == "wrong"
            else "Nothing to practise yet: take a quiz first."
        )
    quiz = Quiz.objects.create(
        slug=f"practice-{user.pk}-{timezone.now():%Y%m%d%H%M%S%f}",
        title=title,
        kind=Quiz.Kind.PRACTICE,
        owner=user,
        question_count=min(10, len(questions)),
        feedback_mode=Quiz.FeedbackMode.IMMEDIATE,
        ask_certainty=True,  # practice asks "how sure are you?" (docs/grading.md)
        pass_mark=Decimal(0),
    )
    quiz.practice_questions.set(questions)
    return quiz


def course_quizzes_ensure() -> dict[str, int]:
    """Create a quiz for every module of every course (5.1–5.16 and the supplementary S.1–S.4) and the
    final exam of 5.1–5.16 when missing. Settings that exist are never overwritten: instructors own
    them in the admin."""
    counts = {"created": 0, "unchanged": 0}
    for module in Module.objects.all():
        _, created = Quiz.objects.get_or_create(
            slug=f"module-{module.code.replace('.', '-')}",
            defaults={
                "title": f"{module.code} {module.title}: module quiz",
                "kind": Quiz.Kind.MODULE,
                "module": module,
            },
        )
        counts["created" if created else "unchanged"] += 1
    if Module.objects.filter(course__slug=CORE_COURSE).exists():
        _, created = Quiz.objects.get_or_create(
            slug=FINAL_EXAM_SLUG,
            defaults={
                "title": "Final exam: 5.0 Process and Procedures",
                "kind": Quiz.Kind.FINAL,
                "question_count": 50,
                "feedback_mode": Quiz.FeedbackMode.DEFERRED,
                "time_limit": None,
            },
        )
        counts["created" if created else "unchanged"] += 1
    return counts
